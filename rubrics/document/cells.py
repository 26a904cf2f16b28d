"""Rows of cell text from the three forms the office's table comes in.

- ``docx_rows``: every table of a Word document, row by row. A vertically merged cell
  (a section's name spanning its items) gives its text on every row it spans, as python-docx
  reports it; a horizontally merged one repeats across the columns it covers. A cell of
  several paragraphs is joined without a separator (the line breaks are layout, as in the
  Chinese of the documents).
- ``xlsx_rows``: the sheets of a workbook through ``kit.imports.read_table_file`` (bounded,
  merged cells filled with their top-left text).
- ``text_rows``: text pasted from a PDF, one cell per line; ``table.read_rows`` groups it.

Every reader refuses a file past its size bounds with a Chinese message naming the file.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

MB = 1024 * 1024
MAX_BYTES = 5 * MB
MAX_UNZIPPED = 50 * MB
MAX_ROWS = 2000
MAX_CELLS = 40_000
MAX_TEXT_LINES = 20_000


class DocumentError(Exception):
    """The file cannot be read as a rubric table; the message says why, in Chinese."""


def _name(filename: str) -> str:
    return PurePath(filename).name or "上传文件"


def _check_size(data: bytes, name: str, max_bytes: int) -> None:
    if not data:
        raise DocumentError(f"文件「{name}」是空的。")
    if len(data) > max_bytes:
        raise DocumentError(
            f"文件「{name}」大小为 {len(data) / MB:.1f} MB，超过上限 {max_bytes / MB:.1f} MB；"
            "请只保留评分表所在的页面后再上传。"
        )


def _cell_text(cell) -> str:
    return "".join(part.strip() for p in cell.paragraphs for part in p.text.splitlines())


def docx_rows(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES) -> list[list[str]]:
    name = _name(filename)
    _check_size(data, name, max_bytes)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            unzipped = sum(info.file_size for info in book.infolist())
    except zipfile.BadZipFile:
        raise DocumentError(
            f"文件「{name}」不是 Word 文档（.docx）；旧版 .doc 请在 Word 中另存为 .docx 再上传。"
        ) from None
    if unzipped > MAX_UNZIPPED:
        raise DocumentError(
            f"文件「{name}」解压后有 {unzipped / MB:.0f} MB，超过上限 {MAX_UNZIPPED / MB:.0f} MB。"
        )
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # noqa: BLE001 — python-docx raises many kinds for a damaged file
        raise DocumentError(f"文件「{name}」已损坏或不是 Word 文档（.docx），无法打开。") from None
    rows: list[list[str]] = []
    cells = 0
    for table in document.tables:
        for row in table.rows:
            texts = [_cell_text(cell) for cell in row.cells]
            cells += len(texts)
            if len(rows) >= MAX_ROWS or cells > MAX_CELLS:
                raise DocumentError(
                    f"文件「{name}」的表格超过 {MAX_ROWS} 行或 {MAX_CELLS} 个单元格，"
                    "不像一张评分表；请只保留评分表后再上传。"
                )
            rows.append(texts)
        rows.append([])  # tables are separated by an empty row
    if not any(any(r) for r in rows):
        raise DocumentError(f"文件「{name}」里没有表格；评分表须是 Word 表格。")
    return rows


def xlsx_rows(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES) -> list[list[str]]:
    from kit.imports import TableFileError
    from kit.imports.limits import TableLimits
    from kit.imports.readers import read_table_file

    name = _name(filename)
    _check_size(data, name, max_bytes)
    limits = TableLimits(rows=MAX_ROWS, columns=50, cells=MAX_CELLS)
    try:
        sheets = read_table_file(data, filename, max_bytes=max_bytes, limits=limits, fill=True)
    except TableFileError as error:
        raise DocumentError(str(error)) from None
    rows: list[list[str]] = []
    for sheet in sheets:
        rows.extend([_flat(c) for c in row] for row in sheet.rows)
        rows.append([])
    return rows


def _flat(text: str) -> str:
    return "".join(part.strip() for part in str(text or "").splitlines())


def text_rows(text: str) -> list[str]:
    """The pasted lines, stripped, empty ones dropped (a PDF copy leaves many)."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise DocumentError("粘贴的内容是空的。")
    if len(lines) > MAX_TEXT_LINES:
        raise DocumentError(f"粘贴的内容超过 {MAX_TEXT_LINES} 行，不像一张评分表。")
    return lines
