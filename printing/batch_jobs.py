"""A batch print as a background job, split into chunks that any task worker renders.

Each print kind registered with ``printing.registry.register`` is also a job kind of the
same name (``jobs.registry``). Its job runs in three kinds of task:

1. the runner (``runner_for``, called by ``jobs.tasks.run_job``) asks the kind what to print
   (``PrintKind.planned``: ids in the builder's order, no documents), cuts that list into
   chunks of consecutive items (``chunk_size``), records a ``PrintChunk`` for each,
   enqueues one ``printing.tasks.render_chunk`` task per chunk and returns ``Continues()``:
   the job stays running;
2. each chunk task (``run_chunk``) builds its own documents, renders them in its worker
   (``render_pdf`` with ``PRINT_RENDER_PROCESSES`` processes, 1 by default: the parallelism
   comes from the number of task workers) and stores the chunk's PDF in the default storage
   (``printing/chunks/<job>/<index>.pdf``). The last one to finish — a conditional UPDATE of
   the job that only passes when no chunk is left undone and nobody passed it before —
   enqueues the merge;
3. the merge task (``merge``) joins the chunk PDFs in order with pypdf (each document keeps
   its bookmark and its own 「第 X 页 共 Y 页」), stores the job's file, page count and
   summary through ``jobs.runner.finish`` and deletes the chunk files.

A chunk that raises fails the job (``PrintError`` as written, anything else with the
generic message); chunk tasks that start after that do nothing. A chunk whose worker died
fails the job as interrupted (``chunk_parts`` tells ``jobs.runner.fail_abandoned`` who works
on the job). Files are only touched through the storage API, so the workers may be on
several machines sharing the database and the storage.
"""

from __future__ import annotations

import io
import logging
import math
import tempfile
import time
from contextlib import suppress
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Count, Exists, Q, Sum
from django.utils import timezone

from jobs.models import Job
from jobs.registry import Continues, JobError, Outcome, Part
from jobs.runner import INTERNAL_ERROR, fail, finish, worker_id
from printing import pdf
from printing.models import PrintChunk
from printing.registry import PrintError, get_kind
from printing.render import render_pdf

logger = logging.getLogger(__name__)

NOTHING = "没有可打印的内容：所选范围内没有任何评分表或表格。"
MERGE_WAITING = "等待合并"
MERGING = "正在合并"

# About this many chunks per batch (enough for several workers to share and for the
# progress bar to move), of MIN..MAX documents: a chunk pays one font subsetting, and its
# worker holds its laid-out pages (about 15 MiB a sheet) until it is painted.
TARGET_CHUNKS = 8
MIN_CHUNK = 4
MAX_CHUNK = 25

State = PrintChunk.State
RUNNING = Job.State.RUNNING


def chunk_size(count: int) -> int:
    """Documents per chunk: ``PRINT_CHUNK_SHEETS`` when set, else about eight chunks."""
    fixed = getattr(settings, "PRINT_CHUNK_SHEETS", 0)
    if fixed:
        return max(1, fixed)
    return max(MIN_CHUNK, min(MAX_CHUNK, math.ceil(count / TARGET_CHUNKS)))


def rendering_stage(done: int, total: int) -> str:
    return f"正在排版：{done} / {total} 组"


def runner_for(key: str):
    def run(job, progress):
        kind = get_kind(key)
        progress.stage("正在准备数据")
        try:
            items = kind.planned(dict(job.params), progress)
        except PrintError as exc:
            raise JobError(str(exc)) from exc
        if not items:
            raise JobError(NOTHING)
        size = chunk_size(len(items))
        pieces = [items[start : start + size] for start in range(0, len(items), size)]
        chunks = PrintChunk.objects.bulk_create(
            PrintChunk(job=job, index=index, items=piece, documents=len(piece))
            for index, piece in enumerate(pieces)
        )
        progress.stage(rendering_stage(0, len(chunks)), total=len(items))
        from printing.tasks import enqueue_chunk

        for chunk in sorted(chunks, key=lambda c: c.index):
            enqueue_chunk(chunk.pk if chunk.pk else _chunk_pk(job, chunk.index))
        return Continues()

    return run


def _chunk_pk(job, index: int) -> int:
    # bulk_create does not set primary keys on every database backend.
    return PrintChunk.objects.values_list("pk", flat=True).get(job=job, index=index)


def chunk_parts(job) -> list[Part]:
    """The chunks of ``job`` running now, for ``jobs.runner.fail_abandoned``."""
    return [
        Part(chunk.worker, chunk.started_at, chunk.task_id)
        for chunk in PrintChunk.objects.filter(job=job, state=State.RUNNING).only(
            "worker", "started_at", "task_id"
        )
    ]


def run_chunk(chunk_id: int, *, task_id: str = "") -> str:
    """Render one chunk (the task ``printing.tasks.render_chunk``); never raises for the
    job's own failures. Returns what happened, for the task's result."""
    now = timezone.now()
    claimed = PrintChunk.objects.filter(pk=chunk_id, state=State.QUEUED, job__state=RUNNING).update(
        state=State.RUNNING, worker=worker_id(), task_id=task_id[:64], started_at=now
    )
    chunk = PrintChunk.objects.select_related("job").filter(pk=chunk_id).first()
    if chunk is None:
        return "gone"
    job = chunk.job
    if not claimed:
        if job.state == Job.State.FAILED:
            discard_chunk_files(job)
        return "skipped"
    try:
        kind = get_kind(job.kind)
        docs = kind.documents(dict(job.params), list(chunk.items))
        delay = getattr(settings, "PRINT_CHUNK_TEST_DELAY", 0)
        if delay:  # tests only: lets a second worker take a chunk before the first is done
            time.sleep(delay)
        pages = None
        if docs:
            data = render(docs)
            pages = count_pages(data)
            chunk.file.save(f"{chunk.index}.pdf", ContentFile(data), save=False)
    except PrintError as exc:
        return _chunk_failed(chunk, str(exc))
    except Exception as exc:
        logger.exception("print job %s, chunk %s failed", job.pk, chunk.index)
        return _chunk_failed(chunk, INTERNAL_ERROR.format(name=type(exc).__name__))
    finished = PrintChunk.objects.filter(pk=chunk.pk, state=State.RUNNING).update(
        state=State.DONE,
        file=chunk.file.name or "",
        pages=pages,
        documents=len(docs),
        finished_at=timezone.now(),
    )
    if not finished or not Job.objects.filter(pk=job.pk, state=RUNNING).exists():
        discard_chunk_files(job)
        return "skipped"
    _report(job)
    if _claim_merge(job):
        from printing.tasks import enqueue_merge

        enqueue_merge(job.pk)
    return "done"


def render(docs) -> bytes:
    """The PDF of one chunk's documents, in this worker (or its own render pool)."""
    processes = max(1, getattr(settings, "PRINT_RENDER_PROCESSES", 1))
    with pdf.relaxed_gc():
        # In one process the whole chunk is one write_pdf(): fonts embedded once.
        return render_pdf(docs, workers=processes, chunk_size=len(docs) if processes == 1 else None)


def _chunk_failed(chunk: PrintChunk, message: str) -> str:
    PrintChunk.objects.filter(pk=chunk.pk).update(state=State.FAILED, finished_at=timezone.now())
    if Job.objects.filter(pk=chunk.job_id, state=RUNNING).exists():
        fail(chunk.job_id, message)
    discard_chunk_files(chunk.job)
    return "failed"


def _report(job) -> None:
    """「正在排版：3 / 8 组」, and the documents of the chunks done."""
    counts = PrintChunk.objects.filter(job=job).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(state=State.DONE)),
        documents=Sum("documents", filter=Q(state=State.DONE)),
    )
    Job.objects.filter(pk=job.pk, state=RUNNING).exclude(stage__in=[MERGE_WAITING, MERGING]).update(
        stage=rendering_stage(counts["done"], counts["total"]),
        progress_done=counts["documents"] or 0,
        updated_at=timezone.now(),
    )


def _claim_merge(job) -> bool:
    """True for exactly one caller: the first to find every chunk of ``job`` done."""
    undone = PrintChunk.objects.filter(job_id=job.pk).exclude(state=State.DONE)
    return bool(
        Job.objects.filter(pk=job.pk, state=RUNNING)
        .exclude(stage__in=[MERGE_WAITING, MERGING])
        .filter(~Exists(undone))
        .update(stage=MERGE_WAITING, updated_at=timezone.now())
    )


def merge(job_id: int) -> str:
    """Join the chunk PDFs of job ``job_id`` in order and finish the job (the task
    ``printing.tasks.merge_chunks``); runs once even if its task is delivered twice."""
    now = timezone.now()
    if not Job.objects.filter(pk=job_id, state=RUNNING, stage=MERGE_WAITING).update(
        stage=MERGING, worker=worker_id(), updated_at=now
    ):
        return "skipped"
    job = Job.objects.get(pk=job_id)
    chunks = list(PrintChunk.objects.filter(job=job).order_by("index"))
    out = None
    try:
        from pypdf import PdfReader, PdfWriter

        kind = get_kind(job.kind)
        writer = PdfWriter()
        documents = 0
        for chunk in chunks:
            documents += chunk.documents
            if chunk.file:
                with chunk.file.open("rb") as handle:
                    writer.append(PdfReader(io.BytesIO(handle.read())))
        if not documents:
            raise JobError(NOTHING)
        pages = len(writer.pages)
        with tempfile.NamedTemporaryFile(prefix="kaohe-print-", suffix=".pdf", delete=False) as fh:
            out = Path(fh.name)
            writer.write(fh)
        label = job.title or kind.label
        finish(
            job,
            Outcome(
                summary=f"已生成「{label}」：{documents} 份，共 {pages} 页。",
                file=out,  # moved into the default storage
                filename=f"{label}-{job.pk}.pdf",
                pages=pages,
            ),
        )
    except (JobError, PrintError) as exc:
        fail(job.pk, str(exc))
    except Exception as exc:
        logger.exception("print job %s: the merge failed", job.pk)
        fail(job.pk, INTERNAL_ERROR.format(name=type(exc).__name__))
    finally:
        if out is not None:
            out.unlink(missing_ok=True)
        discard_chunk_files(job)
    job.refresh_from_db()
    return job.state


def discard_chunk_files(job) -> int:
    """Delete the stored chunk PDFs of ``job`` (after the merge, or once it failed)."""
    count = 0
    for chunk in PrintChunk.objects.filter(job=job).exclude(file=""):
        with suppress(FileNotFoundError):
            chunk.file.delete(save=False)
        PrintChunk.objects.filter(pk=chunk.pk).update(file="")
        count += 1
    return count


def count_pages(data: bytes) -> int | None:
    try:
        from pypdf import PdfReader

        return len(PdfReader(io.BytesIO(data)).pages)
    except Exception:  # the count is a courtesy; the PDF itself is what matters
        return None
