"""The task engine for real: a `db_worker` process runs the jobs and the periodic work."""

import subprocess
import sys

import pytest

from jobs.models import Job
from jobs.tasks import run_job
from tests.jobs.workers import ROOT, shared_database, worker


def enqueue_for_a_worker(job_id: int) -> str:
    """Put job ``job_id``'s task in the database queue (the tests' backend runs at once)."""
    from django_tasks_db.backend import DatabaseBackend

    backend = DatabaseBackend("default", {})
    return str(backend.enqueue(run_job, (job_id,), {}).id)


@pytest.mark.django_db(transaction=True)
def test_a_worker_runs_a_queued_job_and_explains_its_failure(world):
    job = Job.objects.create(
        kind="cycle_sheets",
        title="评分表",
        params={"cycle": 999999, "town": None, "blank": False},
        requested_by=world.users["admin"],
    )
    task_id = enqueue_for_a_worker(job.pk)
    with shared_database() as shared:
        process = worker(shared, "--batch")
        out, _ = process.communicate(timeout=120)
        assert process.returncode == 0, out
        [(state, error, stored_task)] = shared.rows(
            "SELECT state, error, task_id FROM jobs_job WHERE id = ?", (job.pk,)
        )
        assert state == "failed", out
        assert "考核周期" in error and "Traceback" not in error
        assert stored_task.replace("-", "") == task_id.replace("-", "")
        [(status,)] = shared.rows(
            "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = ? OR id = ?",
            (task_id, task_id.replace("-", "")),
        )
        assert status == "SUCCESSFUL"  # the task ran; the job's own failure is on the job


@pytest.mark.django_db(transaction=True)
def test_a_worker_runs_the_periodic_work_and_schedules_the_next_look():
    with shared_database() as shared:
        started = subprocess.run(
            [sys.executable, "manage.py", "start_schedule"],
            cwd=ROOT,
            env=shared.env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert "已启动定时任务" in started.stdout, started.stdout + started.stderr
        process = worker(shared, "--batch")
        out, _ = process.communicate(timeout=120)
        assert process.returncode == 0, out
        ran = {name for (name,) in shared.rows("SELECT name FROM jobs_scheduledrun")}
        assert {"jobs_fail_abandoned", "jobs_prune_finished", "prune_audit_log"} <= ran
        waiting = shared.rows(
            "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'READY'"
        )
        assert waiting == [(1,)]  # the next tick, due in a minute
