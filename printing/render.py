"""Documents in, one PDF out.

``render_pdf(docs)`` prints any list of registered documents (``printing.registry``: each
app's ``print_documents`` module) into a single PDF in which every document keeps its own
「第 X 页 共 Y 页」.

The HTML of each document is made here, in the calling process (Django templates are
cheap); laying out and painting (WeasyPrint, the expensive part) happens in
``printing.pdf``. Small jobs are rendered in-process. Larger ones are cut into chunks of
documents: each chunk is one ``write_pdf()`` of the chunk's separately laid-out pages,
the chunks run in a pool with one process per core, and the chunk PDFs are concatenated
in order with pypdf. The workers are started with ``spawn`` when the calling process
runs other threads (a web process rendering from its job thread: forking a threaded
process can deadlock the child), and with ``fork`` otherwise (management commands, the
job worker), which saves each worker about a second of imports. Each worker dies with
the calling process (``printing.parent_death``): a killed job runner leaves no orphans.
"""

from __future__ import annotations

import io
import math
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

from django.template.loader import render_to_string

from printing import pdf
from printing.registry import document_type

Progress = Callable[[int, int], None]

# Below this many documents a process pool costs more than it saves (start-up ≈ 1 s).
POOL_THRESHOLD = 8
MAX_CHUNK = 25
MIN_CHUNK = 4


def html_for(doc) -> str:
    """The print HTML of one document (its template extends ``print_base.html``)."""
    entry = document_type(doc)
    return render_to_string(entry.template_name, entry.context(doc))


def render_one(doc) -> bytes:
    """One document as a PDF, rendered in this process."""
    return pdf.render_chunk([html_for(doc)])


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def start_method() -> str:
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return "fork"
    return "spawn"


def chunk_size_for(count: int, workers: int) -> int:
    """About four chunks per worker (balance and progress), 4..25 documents each."""
    return max(MIN_CHUNK, min(MAX_CHUNK, math.ceil(count / (workers * 4))))


def chunked(items: Sequence, size: int) -> list[Sequence]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def render_pdf(
    docs: Sequence,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
    chunk_size: int | None = None,
) -> bytes:
    """Print ``docs`` into one PDF, in order. ``progress(done, total)`` counts documents."""
    docs = list(docs)
    if not docs:
        raise ValueError("没有可打印的内容。")
    total = len(docs)
    workers = default_workers() if workers is None else max(1, workers)
    size = chunk_size or chunk_size_for(total, workers)
    report = progress or (lambda done, total: None)
    report(0, total)

    if workers == 1 or total < POOL_THRESHOLD:
        parts = []
        done = 0
        for chunk in chunked(docs, size):
            parts.append(pdf.render_chunk([html_for(doc) for doc in chunk]))
            done += len(chunk)
            report(done, total)
        return pdf.merge(parts)

    chunks = chunked(docs, size)
    merger = _OrderedMerge(len(chunks))
    done = 0
    method = start_method()
    if method == "fork":
        pdf.preload()  # the workers inherit WeasyPrint already imported
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(
        max_workers=min(workers, len(chunks)),
        mp_context=context,
        initializer=pdf.worker_init,
        initargs=(os.getpid(),),  # each worker dies with this process
    ) as pool:
        pending = {}
        # Submit as the HTML is made, so the workers start while the rest is templated.
        for index, chunk in enumerate(chunks):
            htmls = [html_for(doc) for doc in chunk]
            pending[pool.submit(pdf.render_chunk_in_worker, htmls)] = (index, len(chunk))
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                index, count = pending.pop(future)
                merger.add(index, future.result())
                done += count
                report(done, total)
    return merger.result()


class _OrderedMerge:
    """Appends chunk PDFs in document order as they arrive, while later chunks render."""

    def __init__(self, count: int):
        from pypdf import PdfWriter

        self.count = count
        self.writer = PdfWriter()
        self.waiting: dict[int, bytes] = {}
        self.next = 0
        self.single: bytes | None = None

    def add(self, index: int, data: bytes) -> None:
        from pypdf import PdfReader

        if self.count == 1:
            self.single = data
            return
        self.waiting[index] = data
        while self.next in self.waiting:
            part = self.waiting.pop(self.next)
            self.writer.append(PdfReader(io.BytesIO(part)))
            self.next += 1

    def result(self) -> bytes:
        if self.single is not None:
            return self.single
        out = io.BytesIO()
        self.writer.write(out)
        return out.getvalue()
