"""A batch print shared by real task workers (``manage.py db_worker``) that share only the
database and the media directory: both take chunks and the merged PDF has every sheet in
order; a worker killed mid-chunk fails the job as interrupted and leaves no render process."""

import io
import os
import signal
import subprocess
import sys

import pytest
from django.core.files.storage import default_storage

from assessments import services
from jobs.models import Job
from jobs.runner import INTERRUPTED
from org.models import Unit
from tests.conftest import import_seed_rubric
from tests.jobs.test_worker import enqueue_for_a_worker
from tests.jobs.workers import ROOT, shared_database, worker
from tests.printing.conftest import page_texts
from tests.printing.test_orphans import alive, descendants, wait_until

pytestmark = pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="reads /proc")

SHEETS = 12


def twelve_sheet_cycle(world):
    """A 常州 cycle of 12 communities of 湖塘镇, listed in the reverse of their creation."""
    units = [
        Unit.objects.create(
            name=f"测试第{n:02d}社区",
            kind=Unit.Kind.COMMUNITY,
            parent=world.town_a,
            sort_order=SHEETS - n,
        )
        for n in range(1, SHEETS + 1)
    ]
    cycle = services.cycle_create(
        title="2026年分组打印测试",
        year=2026,
        rubric=import_seed_rubric("changzhou-community"),
        units=units,
        user=world.users["admin"],
    )
    return cycle, [unit.name for unit in reversed(units)]


def print_job(world, cycle, **params) -> Job:
    job = Job.objects.create(
        kind="cycle_sheets",
        title="分组打印测试",
        params={"cycle": cycle.pk, "town": None, "blank": False, **params},
        requested_by=world.users["admin"],
    )
    enqueue_for_a_worker(job.pk)
    return job


def job_row(shared, job) -> tuple:
    [row] = shared.rows(
        "SELECT state, error, result, pages, stage FROM jobs_job WHERE id = ?", (job.pk,)
    )
    return row


def stop(processes) -> str:
    out = []
    for process in processes:
        if process.poll() is None:
            process.terminate()
        try:
            out.append(process.communicate(timeout=60)[0] or "")
        except subprocess.TimeoutExpired:
            process.kill()
            out.append(process.communicate()[0] or "")
    return "\n".join(out)


@pytest.mark.django_db(transaction=True)
def test_two_workers_share_the_chunks_and_the_merged_pdf_keeps_every_sheet_in_order(world):
    cycle, expected = twelve_sheet_cycle(world)
    job = print_job(world, cycle)
    env = {"PRINT_CHUNK_SHEETS": "4", "PRINT_CHUNK_TEST_DELAY": "3", "LOG_LEVEL": "WARNING"}
    with shared_database() as shared:
        workers = [worker(shared, **env), worker(shared, **env)]
        try:
            done = wait_until(lambda: job_row(shared, job)[0] in ("done", "failed"), timeout=600)
        finally:
            out = stop(workers)
        state, error, result, pages, _ = job_row(shared, job)
        assert done and state == "done", (error, out[-3000:])
        chunks = shared.rows(
            'SELECT "index", state, worker, pages, file FROM printing_printchunk'
            ' WHERE job_id = ? ORDER BY "index"',
            (job.pk,),
        )
        assert len(chunks) == 3
        assert all(c[1] == "done" and c[3] == 8 and c[4] == "" for c in chunks)
        assert len({c[2] for c in chunks}) == 2, chunks  # both workers took a chunk
        assert pages == 2 * SHEETS

        with default_storage.open(result, "rb") as handle:
            data = handle.read()
        texts = page_texts(data)
        assert len(texts) == 2 * SHEETS
        for n, name in enumerate(expected):
            assert name in texts[2 * n], (n, name)
            assert "第 1 页 共 2 页" in texts[2 * n] and "第 2 页 共 2 页" in texts[2 * n + 1]
        from pypdf import PdfReader

        titles = [entry.title for entry in PdfReader(io.BytesIO(data)).outline]
        assert [next(name for name in expected if name in t) for t in titles] == expected
        assert default_storage.listdir(f"printing/chunks/{job.pk}")[1] == []


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_chunk_fails_the_job_as_interrupted_and_leaves_no_render_process(
    world,
):
    cycle, _ = twelve_sheet_cycle(world)
    job = print_job(world, cycle)
    # One chunk of 12 sheets rendered by a pool of two processes inside the worker.
    env = {"PRINT_CHUNK_SHEETS": "12", "PRINT_RENDER_PROCESSES": "2", "LOG_LEVEL": "WARNING"}
    with shared_database() as shared:
        process = worker(shared, **env)
        children = {}
        try:

            def rendering():
                assert process.poll() is None, process.communicate()[0][-3000:]
                running = shared.rows(
                    "SELECT COUNT(*) FROM printing_printchunk WHERE job_id = ? AND state = ?",
                    (job.pk, "running"),
                )
                return running == [(1,)] and len(descendants(process.pid)) >= 2

            assert wait_until(rendering, timeout=300, step=0.2), "no chunk was rendered"
            children = descendants(process.pid)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
            wait_until(lambda: not alive(children), timeout=10)
            assert alive(children) == [], "render processes outlived their worker"
        finally:
            stop([process])
            for pid in alive(children):
                os.kill(pid, signal.SIGKILL)

        # What the job's page (or the housekeeping) does: notice the dead chunk worker.
        look = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from jobs.models import Job; from jobs.policy import access;"
                "from jobs.runner import fail_abandoned; from jobs.services import job_resubmit;"
                f"print('failed', fail_abandoned({job.pk})); j = Job.objects.get(pk={job.pk});"
                "print('resubmit', access(j.requested_by, j).resubmit);"
                "again = job_resubmit(job=j, user=j.requested_by); print('again', again.state)",
            ],
            cwd=ROOT,
            env=shared.env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert look.returncode == 0, look.stderr[-3000:]
        assert "failed 1" in look.stdout and "resubmit True" in look.stdout, look.stdout
        assert "again queued" in look.stdout
        state, error, result, _, _ = job_row(shared, job)
        assert (state, error, result) == ("failed", INTERRUPTED, "")
