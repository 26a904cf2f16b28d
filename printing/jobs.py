"""The background runner of print jobs: the ``PrintJob`` table is the queue.

Claiming a job is one conditional UPDATE (``state=queued`` → ``running``), so exactly
one runner wins it on any database. On PostgreSQL the candidate is first picked with
``SELECT … FOR UPDATE SKIP LOCKED``, so several workers on several app servers never
queue up behind each other's row locks.

Who runs the jobs (``settings.PRINT_JOB_RUNNER``):

- ``thread`` (default on SQLite, i.e. the one-process dev server): after the enqueueing
  transaction commits, the web process starts one daemon thread that drains the queue;
  a second enqueue while it runs only wakes it. Rendering itself still uses a process
  pool (``printing.render``), so the web process stays responsive.
- ``worker`` (default on PostgreSQL): nothing runs in the web processes; one or more
  ``python manage.py run_print_jobs`` workers (e.g. one systemd unit per app server)
  poll the table and claim jobs. A gunicorn worker may be recycled at any moment, so
  long renders do not belong there.
- ``inline``: the job runs right after the commit, in the same thread (tests, scripts).

A job whose runner died (a restarted dev server, a killed worker) is marked failed with
a message asking to resubmit: at once when its process is known to be gone (same host),
otherwise when it has reported nothing for ``PRINT_JOB_STALE_SECONDS`` (15 minutes).
Every runner checks before claiming, and the job's status page checks its own job. The
render processes of a killed runner die with it (``printing.parent_death``).
"""

from __future__ import annotations

import io
import logging
import os
import socket
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, connections, transaction
from django.utils import timezone

from printing.models import PrintJob
from printing.registry import PrintError, get_kind
from printing.render import render_pdf

logger = logging.getLogger(__name__)

State = PrintJob.State
HOST = socket.gethostname()[:60]
PROGRESS_INTERVAL = 0.5  # seconds between two progress writes

INTERNAL_ERROR = "生成 PDF 时出现内部错误（{name}），请稍后重试；如仍失败请联系管理员。"
INTERRUPTED = "打印任务在生成过程中中断（生成进程已停止），请重新提交。"


def worker_id() -> str:
    return f"{HOST}:{os.getpid()}"


def runner_mode() -> str:
    mode = getattr(settings, "PRINT_JOB_RUNNER", None)
    if mode:
        return mode
    return "thread" if connection.vendor == "sqlite" else "worker"


def stale_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "PRINT_JOB_STALE_SECONDS", 15 * 60))


# --- claiming ---------------------------------------------------------------------


def claim(job_id: int | None = None, *, worker: str | None = None) -> PrintJob | None:
    """Take the oldest queued job (or job ``job_id``) for this runner, or None."""
    worker = worker or worker_id()
    while True:
        with transaction.atomic():
            queued = PrintJob.objects.filter(state=State.QUEUED)
            if job_id is not None:
                queued = queued.filter(pk=job_id)
            if connection.features.has_select_for_update_skip_locked:
                queued = queued.select_for_update(skip_locked=True)
            candidate = queued.order_by("created_at", "pk").values_list("pk", flat=True).first()
            if candidate is None:
                return None
            now = timezone.now()
            won = PrintJob.objects.filter(pk=candidate, state=State.QUEUED).update(
                state=State.RUNNING,
                worker=worker,
                started_at=now,
                updated_at=now,
                stage="正在准备数据",
            )
        if won:
            return PrintJob.objects.get(pk=candidate)
        if job_id is not None:
            return None  # someone else took it


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


def fail_abandoned(job_id: int | None = None) -> int:
    """Mark failed the running jobs (only ``job_id`` when given) whose runner is gone or
    silent for too long; returns how many."""
    now = timezone.now()
    count = 0
    running = PrintJob.objects.filter(state=State.RUNNING)
    if job_id is not None:
        running = running.filter(pk=job_id)
    for job in running.only("pk", "worker", "updated_at"):
        if _process_gone(job.worker) or job.updated_at < now - stale_after():
            count += PrintJob.objects.filter(pk=job.pk, state=State.RUNNING).update(
                state=State.FAILED, error=INTERRUPTED, finished_at=now, updated_at=now
            )
    return count


# --- running ----------------------------------------------------------------------


class _Progress:
    """Writes progress to the job's row, at most every PROGRESS_INTERVAL seconds."""

    def __init__(self, job: PrintJob):
        self.job = job
        self.last = 0.0

    def write(self, *, stage: str, done: int, total: int, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < PROGRESS_INTERVAL and done < total:
            return
        self.last = now
        PrintJob.objects.filter(pk=self.job.pk).update(
            stage=stage, progress_done=done, progress_total=total, updated_at=timezone.now()
        )

    def building(self, done: int, total: int) -> None:
        self.write(stage="正在准备数据", done=done, total=total)

    def rendering(self, done: int, total: int) -> None:
        self.write(stage="正在排版", done=done, total=total)


def _fail(job: PrintJob, message: str) -> None:
    now = timezone.now()
    PrintJob.objects.filter(pk=job.pk).update(
        state=State.FAILED, error=message, stage="", finished_at=now, updated_at=now
    )


def run(job: PrintJob) -> PrintJob:
    """Build, render and store one claimed job; never raises."""
    progress = _Progress(job)
    try:
        kind = get_kind(job.kind)
        docs = list(kind.builder(dict(job.params), progress.building))
        if not docs:
            raise PrintError("没有可打印的内容：所选范围内没有任何评分表或表格。")
        progress.write(stage="正在排版", done=0, total=len(docs), force=True)
        data = render_pdf(docs, progress=progress.rendering)
        progress.write(stage="正在保存", done=len(docs), total=len(docs), force=True)
        job.refresh_from_db()
        job.result.save(f"{job.kind}-{job.pk}.pdf", ContentFile(data), save=False)
        job.pages = _count_pages(data)
        job.state = State.DONE
        job.stage = "已完成"
        job.progress_done = job.progress_total = len(docs)
        job.error = ""
        job.finished_at = timezone.now()
        job.save()
    except PrintError as exc:
        _fail(job, str(exc))
    except Exception as exc:
        logger.exception("print job %s (%s) failed", job.pk, job.kind)
        _fail(job, INTERNAL_ERROR.format(name=type(exc).__name__))
    job.refresh_from_db()
    return job


def _count_pages(data: bytes) -> int | None:
    try:
        from pypdf import PdfReader

        return len(PdfReader(io.BytesIO(data)).pages)
    except Exception:  # the count is a courtesy; the PDF itself is what matters
        return None


def run_pending(job_id: int | None = None) -> int:
    """Claim and run queued jobs (only ``job_id`` when given) until none is left."""
    fail_abandoned()
    count = 0
    while (job := claim(job_id)) is not None:
        run(job)
        count += 1
        if job_id is not None:
            break
    return count


# --- the thread of the one-process set-up -----------------------------------------

_lock = threading.Lock()
_wake = False
_thread_running = False


def kick() -> None:
    """Make sure a runner thread will look at the queue (starting one if none runs)."""
    global _wake, _thread_running
    with _lock:
        _wake = True
        if _thread_running:
            return
        _thread_running = True
    threading.Thread(target=_drain, name="print-jobs", daemon=True).start()


def _drain() -> None:
    global _wake, _thread_running
    try:
        while True:
            with _lock:
                _wake = False
            try:
                run_pending()
            except Exception:
                logger.exception("print job runner thread")
                time.sleep(1)
            with _lock:
                if not _wake:
                    _thread_running = False
                    return
    finally:
        with _lock:
            _thread_running = False
        connections.close_all()


def dispatch(job_id: int) -> None:
    """Called after the enqueueing transaction commits."""
    mode = runner_mode()
    if mode == "thread":
        kick()
    elif mode == "inline":
        run_pending(job_id)
    # "worker": a run_print_jobs process polls the table.


def work(*, once: bool = False, poll: float = 2.0) -> int:
    """The loop of ``manage.py run_print_jobs``; returns the number of jobs run."""
    count = 0
    while True:
        ran = run_pending()
        count += ran
        if once:
            return count
        if not ran:
            connections.close_all()  # do not hold a connection while idle
            time.sleep(poll)
