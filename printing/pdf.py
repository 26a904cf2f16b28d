"""HTML strings in, PDF bytes out: WeasyPrint and pypdf only, no Django.

Worker processes of ``printing.render`` import this module alone, so it must not touch
Django settings or models.

Why each printed document is laid out as its own WeasyPrint document: the footer
「第 X 页 共 Y 页」 uses ``counter(page)`` and ``counter(pages)``, and ``counter(pages)``
counts the pages of the whole WeasyPrint document. Laying out each document separately
gives every sheet its own count; ``Document.copy(pages)`` then joins the laid-out pages of
a chunk into one document that is painted by a single ``write_pdf()``, so fonts are
subset and embedded once per chunk rather than once per sheet — that is where most of
the time of the naive way goes (a subset of Noto CJK per sheet).
"""

from __future__ import annotations

import gc
import io
from collections.abc import Sequence
from contextlib import contextmanager

from printing.frame_stack import call_with_room
from printing.parent_death import die_with_parent

_font_config = None


def font_config():
    """One FontConfiguration per process, shared by every document it lays out."""
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


def html_document(html: str):
    """The WeasyPrint ``HTML`` of one print document, through its public constructor."""
    from weasyprint import HTML

    return HTML(string=html, base_url=None)


def layout(html: str):
    """Lay out one HTML document; returns the WeasyPrint ``Document``."""
    return html_document(html).render(font_config=font_config())


def render_chunk(htmls: Sequence[str]) -> bytes:
    """Several documents, each paginated on its own, painted into one PDF."""
    if not htmls:
        raise ValueError("nothing to render")
    return call_with_room(_render_chunk, htmls)


def _render_chunk(htmls: Sequence[str]) -> bytes:
    documents = [layout(html) for html in htmls]
    pages = [page for document in documents for page in document.pages]
    combined = documents[0].copy(pages)
    combined.metadata.title = documents[0].metadata.title if len(documents) == 1 else None
    return combined.write_pdf()


def preload() -> None:
    import weasyprint  # noqa: F401
    import weasyprint.text.fonts  # noqa: F401


def worker_init(parent_pid: int) -> None:
    """Start-up of a pool process: tie its life to the parent's, load WeasyPrint and the
    fonts, then tune the GC.

    The worker dies with ``parent_pid`` (``printing.parent_death``), so a killed job
    runner leaves no render process behind.

    A chunk keeps its laid-out documents alive until it is painted — millions of small
    objects — and the default collector thresholds make Python rescan them over and over
    (about 15 % of the time). Long-lived start-up objects are frozen out of the scans, and
    the young generation is collected less often; each chunk ends with a full collection
    (``render_chunk_in_worker``), so nothing accumulates. The warm-up goes through
    ``call_with_room`` so that its one-off compilation is done here too.
    """
    die_with_parent(parent_pid)
    warm_up = "<html><body style=\"font-family: 'Noto Serif CJK SC'\">预热</body></html>"
    call_with_room(layout, warm_up)
    gc.collect()
    gc.freeze()
    gc.set_threshold(20000, 50, 1000)


def render_chunk_in_worker(htmls: Sequence[str]) -> bytes:
    try:
        return render_chunk(htmls)
    finally:
        gc.collect()


@contextmanager
def relaxed_gc():
    """The pool workers' collector settings (``worker_init``) for a render done in this
    process (a batch print's chunk task), restored afterwards."""
    before = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(20000, 50, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
        gc.collect()


def merge(parts: Sequence[bytes]) -> bytes:
    """Concatenate PDFs, keeping their outlines (one bookmark per document)."""
    if len(parts) == 1:
        return parts[0]
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
