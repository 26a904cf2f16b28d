"""Running one job inside a task-engine worker, and noticing jobs whose worker died.

``jobs.tasks.run_job`` (a django-tasks task) calls ``execute(job_id)``. Claiming is one
conditional UPDATE (``queued`` → ``running``), so a job runs once even if its task were
delivered twice. The row records the worker (``host:pid``); a job whose worker is gone
(same host) or silent for ``JOB_STALE_SECONDS`` is failed with a message asking to
resubmit — checked by the periodic housekeeping and whenever the job's page is looked at.

A runner that returns ``Continues()`` leaves the job running with no worker of its own:
its kind's ``parts(job)`` says which processes work on it now (a batch print's chunks),
and the task that ends the job calls ``finish`` or ``fail``.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.utils import timezone

from jobs.models import Job
from jobs.progress import Progress
from jobs.registry import Continues, JobError, get_kind

logger = logging.getLogger(__name__)

State = Job.State
HOST = socket.gethostname()[:60]

INTERNAL_ERROR = "后台任务出现内部错误（{name}），请稍后重新提交；如仍失败请联系管理员。"
INTERRUPTED = "后台任务在进行中中断（执行进程已停止），请重新提交。"
LOST = "后台任务没有被执行（任务队列中找不到它），请重新提交。"


def worker_id() -> str:
    return f"{HOST}:{os.getpid()}"


def stale_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "JOB_STALE_SECONDS", 15 * 60))


def claim(job_id: int, *, task_id: str = "") -> Job | None:
    """Switch job ``job_id`` from queued to running for this process, or None if it is not
    queued any more (run already, failed, or taken by another worker)."""
    now = timezone.now()
    fields = {
        "state": State.RUNNING,
        "worker": worker_id(),
        "started_at": now,
        "updated_at": now,
        "stage": "正在准备",
    }
    if task_id:
        fields["task_id"] = task_id
    if not Job.objects.filter(pk=job_id, state=State.QUEUED).update(**fields):
        return None
    return Job.objects.get(pk=job_id)


def _store(job: Job, outcome, content_type: str) -> None:
    output = outcome.file
    if output is None:
        return
    name = outcome.filename or f"{job.kind}-{job.pk}"
    if isinstance(output, bytes | bytearray):
        job.result.save(name, ContentFile(bytes(output)), save=False)
    else:
        path = Path(output)
        with path.open("rb") as handle:
            job.result.save(name, File(handle), save=False)
        path.unlink(missing_ok=True)
    job.filename = name


def finish(job: Job, outcome, content_type: str = "") -> bool:
    """Store the outcome and mark the job done; False (and the file not kept) when the
    job is not running any more (failed meanwhile, or finished by another task)."""
    _store(job, outcome, content_type)
    now = timezone.now()
    fields = {
        "summary": outcome.summary,
        "link": outcome.link,
        "pages": outcome.pages,
        "state": State.DONE,
        "stage": "已完成",
        "progress_done": max(job.progress_done, job.progress_total),
        "progress_total": job.progress_total,
        "error": "",
        "finished_at": now,
        "updated_at": now,
        "result": job.result.name or "",
        "filename": job.filename,
    }
    if not Job.objects.filter(pk=job.pk, state=State.RUNNING).update(**fields):
        if job.result:
            job.result.delete(save=False)
        job.refresh_from_db()
        return False
    job.refresh_from_db()
    return True


def fail(job_id: int, message: str) -> None:
    now = timezone.now()
    Job.objects.filter(pk=job_id).exclude(state=State.DONE).update(
        state=State.FAILED, error=message, stage="", finished_at=now, updated_at=now
    )


def execute(job_id: int, *, task_id: str = "") -> Job | None:
    """Claim and run job ``job_id``; never raises for the job's own failures."""
    job = claim(job_id, task_id=task_id)
    if job is None:
        return None
    try:
        kind = get_kind(job.kind)
        job.refresh_from_db()
        progress = Progress(job)
        outcome = kind.run(job, progress)
        if isinstance(outcome, Continues):
            # Other tasks carry on; whoever runs them is watched through kind.parts.
            Job.objects.filter(pk=job.pk, state=State.RUNNING, worker=worker_id()).update(worker="")
            job.refresh_from_db()
            return job
        job.refresh_from_db()
        job.progress_done, job.progress_total = progress.done, progress.total
        finish(job, outcome, kind.content_type)
    except JobError as exc:
        fail(job.pk, str(exc))
    except Exception as exc:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        fail(job.pk, INTERNAL_ERROR.format(name=type(exc).__name__))
    job.refresh_from_db()
    return job


def _process_gone(worker: str) -> bool:
    host, _, pid = worker.rpartition(":")
    if host != HOST or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _suspects(job: Job) -> list[tuple[str, object, str]]:
    """(worker, last sign of life, task id) of whoever works on ``job`` now."""
    try:
        parts = get_kind(job.kind).parts
    except JobError:
        parts = None
    found = []
    if job.worker or parts is None:
        found.append((job.worker, job.updated_at, job.task_id))
    if parts is not None:
        found += [(part.worker, part.since, part.task_id) for part in parts(job)]
    return found


def fail_abandoned(job_id: int | None = None) -> int:
    """Fail the running jobs (only ``job_id`` when given) whose worker — or the worker of
    one of their running parts — is gone or silent for too long, and their task results;
    returns how many jobs."""
    now = timezone.now()
    count = 0
    running = Job.objects.filter(state=State.RUNNING)
    if job_id is not None:
        running = running.filter(pk=job_id)
    for job in running.only("pk", "kind", "worker", "updated_at", "task_id"):
        suspects = _suspects(job)
        if any(
            _process_gone(worker) or since < now - stale_after() for worker, since, _ in suspects
        ):
            won = Job.objects.filter(pk=job.pk, state=State.RUNNING).update(
                state=State.FAILED, error=INTERRUPTED, finished_at=now, updated_at=now
            )
            if won:
                count += 1
                for task_id in {job.task_id, *(task for _, _, task in suspects)}:
                    _fail_task_result(task_id)
    return count


def _fail_task_result(task_id: str) -> None:
    """The task engine keeps a killed worker's task as running for ever; say it failed."""
    if not task_id:
        return
    import uuid

    from django_tasks_db.models import DBTaskResult

    try:
        uuid.UUID(task_id)
    except ValueError:  # not the database backend's (the tests' immediate backend)
        return

    from jobs.tasks import TaskResultStatus

    DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED, finished_at=timezone.now()
    )


def enqueue_lost(job_id: int | None = None, *, older_than: timedelta | None = None) -> int:
    """Give a task to queued jobs that never got one (their enqueue was lost, e.g. the
    process stopped right after the commit); returns how many."""
    from jobs.tasks import enqueue_task

    cutoff = timezone.now() - (older_than if older_than is not None else timedelta(seconds=30))
    lost = Job.objects.filter(state=State.QUEUED, task_id="", created_at__lt=cutoff)
    if job_id is not None:
        lost = lost.filter(pk=job_id)
    count = 0
    for pk in lost.values_list("pk", flat=True):
        enqueue_task(pk)
        count += 1
    return count
