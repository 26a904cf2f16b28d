"""Printing from management commands: documents straight to a file, no job row."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from printing.render import render_pdf


def write_pdf_file(
    docs: Sequence,
    out_path: str | os.PathLike,
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Render ``docs`` into one PDF at ``out_path``; returns the number of pages.

    The file is written next to its destination and renamed into place, so an
    interrupted run never leaves a truncated PDF behind under the requested name.
    """
    from pypdf import PdfReader

    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    data = render_pdf(docs, workers=workers, progress=progress)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(PdfReader(str(out)).pages)
