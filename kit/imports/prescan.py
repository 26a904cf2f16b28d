"""The fast way to read an .xlsx: a bounded pre-scan, then python-calamine for the values.

python-calamine reads cells about five times faster than the streaming reader of
``kit.imports.xlsx``, but it trusts the file: a cell at XFD1048576 makes it allocate the
whole 17-billion-cell range and abort the process, it keeps every shared string, and it
reads a dense sheet whole. So calamine only sees a file this pre-scan has vouched for. The
pre-scan unpacks each part (the zip's members were already counted and bounded) and, with
byte counts and regular expressions over the raw XML (no tree, no per-element callbacks):

- counts cells and strings against the limits, as the streaming reader's pre-scan does;
- finds the last row and column that hold content, so the range calamine builds is
  within the row, column and cell limits;
- bounds the text (a part's size in bytes bounds its characters);
- passes over text calamine would change (white space at an edge without
  ``xml:space="preserve"``, which calamine trims; Excel always writes it);
- takes from the XML what calamine cannot say: the raw value of cells whose number format
  is a percent, a date or a duration (read as the streaming reader reads them), error cells
  (「#DIV/0!」, which calamine drops) and merged ranges.

Anything it cannot vouch for — a document type declaration, cells without a plain ``r``
reference, prefixed element names, formulas without a saved result, escaped characters
(``_x000D_``), integers longer than a float holds, a value calamine gives as a date the
styles do not explain, any limit passed — and ``read_with_calamine`` returns None: the
streaming reader then reads the file or refuses it, saying where, exactly as before.
"""

import io
import re

from kit.imports.grid import Sheet, fill_merged, trim
from kit.imports.problems import TableFileError

_CHUNK = 1024 * 1024
_DOCTYPE = b"<!DOCTYPE"
# Every way a cell's start tag can begin, and the one form the scan understands.
_CELL_STARTS = (b"<c ", b"<c>", b"<c/", b"<c\t", b"<c\n", b"<c\r")
_PLAIN_REF = b'<c r="'
_CONTENT = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*>\s*<(?:v|f|is)[\s/>]')
_PREFIXED_CELLS = re.compile(rb"<[A-Za-z_][\w.-]*:(?:c|row|v|is|sheetData|mergeCell)[\s/>]")
_PREFIXED_STRINGS = re.compile(rb"<[A-Za-z_][\w.-]*:(?:si|t|r|rPh)[\s/>]")
_FORMULA = re.compile(rb"<f[\s/>]")
_CACHED = re.compile(rb"(?:</f>|<f\b[^>]*/>)\s*<v>[^<]")
_LONG_INTEGER = re.compile(rb"<v>\s*[+-]?[0-9]{16,}\s*</v>")
_LONG_TEXT = re.compile(rb"[^<]{32768}")
_MERGE = re.compile(rb'<mergeCell ref="([A-Z]{1,3})([0-9]{1,7}):([A-Z]{1,3})([0-9]{1,7})"')
# Text with white space at an edge and no xml:space="preserve": calamine trims it.
_BARE_EDGE = re.compile(rb"<t>(?:\s|[^<]*\s</t>)")
_TYPE = re.compile(rb'\bt="(\w+)"')
_STYLE = re.compile(rb'\bs="([0-9]+)"')


class _Unsure(Exception):
    """The pre-scan cannot vouch for this file: the streaming reader takes it."""


def _column(letters: bytes) -> int:
    col = 0
    for char in letters:
        col = col * 26 + char - 64
    return col


def _last_column(letters: list[bytes]) -> int:
    if not letters:
        return 0
    longest = max(map(len, letters))
    return _column(max(x for x in letters if len(x) == longest))


def _windows(book, path: str, cut: bytes):
    """The part's bytes in pieces that end just after ``cut`` (a closing tag), so no
    element the patterns look at is split between two pieces."""
    tail = b""
    for chunk in _chunks(book, path):
        window = tail + chunk
        end = window.rfind(cut)
        if end < 0:
            tail = window
            continue
        end += len(cut)
        tail = window[end:]
        yield window[:end]
    if tail:
        yield tail


def _chunks(book, path: str):
    """Unpacked chunks of a part, a megabyte at a time (``_Workbook.chunks`` reads 64 KB)."""
    import zipfile

    info = book.members[path]
    try:
        with book.archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                yield chunk
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError):
        raise _Unsure from None


class _SheetScan:
    """What the pre-scan learned of one worksheet part."""

    def __init__(self, book, title: str, path: str, styles, special_ids: set):
        self.title = title
        self.last_row = 0
        self.last_col = 0
        self.cells = 0
        self.merges: list[tuple[int, int, int, int]] = []  # 1-based r1, c1, r2, c2
        self.raw: dict = {}  # (row, col) 1-based → (type, style, raw value) of special cells
        self._scan(book, path, styles, special_ids)

    def _scan(self, book, path, styles, special_ids) -> None:
        limits = book.limits
        special = _special_pattern(special_ids)
        first = True
        for window in _windows(book, path, b"</row>"):
            if first:
                first = False
                if b"<worksheet" not in window[:4096]:
                    raise _Unsure  # a prefixed or unusual root element
            if _DOCTYPE in window or _PREFIXED_CELLS.search(window) or b"_x" in window:
                raise _Unsure
            starts = sum(window.count(s) for s in _CELL_STARTS)
            if starts != window.count(_PLAIN_REF):
                raise _Unsure  # a cell without a plain reference first
            book.marks_left -= window.count(b"<")
            values = window.count(b"<v>") + window.count(b"<is>")
            self.cells += values
            if self.cells > limits.cells or book.marks_left < 0:
                raise _Unsure
            found = _CONTENT.findall(window)
            if len(found) != values:
                raise _Unsure  # a formula without a value, <v/>, an odd value tag…
            formulas = len(_FORMULA.findall(window))
            if formulas and formulas != len(_CACHED.findall(window)):
                raise _Unsure  # a formula whose result was never saved
            if _LONG_INTEGER.search(window) or _LONG_TEXT.search(window):
                raise _Unsure
            if b"<is>" in window and _BARE_EDGE.search(window):
                raise _Unsure
            if found:
                letters, rows = zip(*found, strict=True)
                self.last_row = max(self.last_row, max(map(int, rows)))
                self.last_col = max(self.last_col, _last_column(letters))
            if self.last_row > limits.rows or self.last_col > limits.columns:
                raise _Unsure
            if self.last_row * self.last_col > limits.cells:
                raise _Unsure
            if special is not None:
                for letters_, digits, attrs, raw in special.findall(window):
                    kind = _TYPE.search(attrs)
                    style = _STYLE.search(attrs)
                    self.raw[(int(digits), _column(letters_))] = (
                        kind.group(1).decode() if kind else "n",
                        int(style.group(1)) if style else 0,
                        raw.decode(),
                    )
            if b"<mergeCell" in window:
                self._merges(window, limits)

    def _merges(self, window: bytes, limits) -> None:
        found = _MERGE.findall(window)
        if len(found) != window.count(b"<mergeCell "):
            raise _Unsure
        for l1, d1, l2, d2 in found:
            r1, c1, r2, c2 = int(d1), _column(l1), int(d2), _column(l2)
            if r1 > limits.rows or c1 > limits.columns:
                continue  # wholly outside the table: nothing to read (as the streaming reader)
            self.merges.append((r1, c1, min(r2, limits.rows), min(c2, limits.columns)))
        if len(self.merges) > limits.cells:
            raise _Unsure


def _special_pattern(style_ids: set):
    """Cells whose raw value the pre-scan keeps: error cells and cells in a percent, date
    or duration format (calamine gives 0.85 for 85 %, and dates its own way)."""
    wanted = rb't="e"'
    if style_ids:
        wanted = rb'(?:t="e"|\bs="(?:' + b"|".join(b"%d" % i for i in sorted(style_ids)) + rb')")'
    return re.compile(
        rb'<c r="([A-Z]{1,3})([0-9]{1,7})"([^>]*' + wanted + rb"[^>]*)>\s*"
        rb"(?:<f\b[^>]*?(?:/>|>[^<]*</f>)\s*)?<v>([^<]*)</v>"
    )


def _scan_strings(book, path: str | None) -> None:
    if not path or path not in book.members:
        return
    info = book.members[path]
    if info.file_size > book.text_left:
        raise _Unsure  # could hold more characters than allowed: counted exactly instead
    most = book.limits.cells
    count = 0
    for window in _windows(book, path, b"</si>"):
        if _DOCTYPE in window or _PREFIXED_STRINGS.search(window) or b"_x" in window:
            raise _Unsure
        count += window.count(b"<si>") + window.count(b"<si ")
        book.marks_left -= window.count(b"<")
        if count > most or book.marks_left < 0 or _LONG_TEXT.search(window):
            raise _Unsure
        if _BARE_EDGE.search(window):
            raise _Unsure


def _text(value):
    """A calamine value as the streaming reader writes it; None when unsure."""
    kind = type(value)
    if kind is str:
        return value
    if kind is float:
        text = repr(value)
        if "e" in text or "n" in text:  # 1e+20, nan, inf: as Decimal writes them out
            from decimal import Decimal

            from kit.formatting import plain

            return plain(Decimal(text))
        text = text.rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    if kind is bool:
        return "是" if value else "否"
    if kind is int:
        return str(value)
    return None  # a date, time or duration the styles did not explain


def read_with_calamine(data: bytes, book, sheets, parts, styles, epoch, *, fill: bool):
    """The sheets, read by calamine after the pre-scan; None when the streaming reader
    must read (or refuse) the file."""
    try:
        return _read(data, book, sheets, parts, styles, epoch, fill)
    except _Unsure:
        return None


def _read(data, book, sheets, parts, styles, epoch, fill):
    from kit.imports.xlsx import _number_text

    limits = book.limits
    text_parts = [parts.get("sharedStrings"), *(path for _title, path in sheets)]
    if sum(book.members[p].file_size for p in text_parts if p in book.members) > book.text_left:
        raise _Unsure  # could hold more text than allowed: counted exactly instead
    _scan_strings(book, parts.get("sharedStrings"))
    special_ids = styles.percent | styles.dates | styles.durations
    scans = [_SheetScan(book, title, path, styles, special_ids) for title, path in sheets]
    if sum(s.last_row * s.last_col for s in scans) > limits.cells:
        raise _Unsure
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception:  # noqa: BLE001 — calamine's own errors: the streaming reader says why
        raise _Unsure from None
    out = []
    for scan in scans:
        try:
            values = workbook.get_sheet_by_name(scan.title).to_python(skip_empty_area=False)
        except Exception:  # noqa: BLE001 — as above
            raise _Unsure from None
        if len(values) > scan.last_row + 1:
            raise _Unsure
        rows = [[v if type(v) is str else _text(v) for v in row] for row in values]
        for (r, c), (kind, style, raw) in scan.raw.items():
            if kind not in ("n", "e") or not raw:
                continue
            if r > len(rows) or c > len(rows[r - 1]):
                raise _Unsure
            try:
                text = _number_text(raw, style, styles, epoch) if kind == "n" else raw
            except (ValueError, TypeError, OverflowError):
                raise _Unsure from None
            rows[r - 1][c - 1] = text
        height = width = 0
        for number, cells in enumerate(rows, start=1):
            if None in cells:
                raise _Unsure
            n = len(cells)
            while n and not cells[n - 1]:
                n -= 1
            if n:
                height = number
                width = max(width, n)
        for r1, _c1, r2, c2 in scan.merges:
            if r1 <= height:
                height, width = max(height, r2), max(width, c2)
        if height * width > limits.cells:
            raise _Unsure
        del rows[height:]
        rows.extend([] for _ in range(height - len(rows)))
        for i, cells in enumerate(rows):
            if len(cells) > width:
                rows[i] = cells = cells[:width]
            elif len(cells) < width:
                cells.extend([""] * (width - len(cells)))
        trim(rows)
        if fill:
            for r1, c1, r2, c2 in scan.merges:
                fill_merged(rows, r1 - 1, r2 - 1, c1 - 1, c2 - 1)
        out.append(Sheet(scan.title, rows))
    return out


__all__ = ["TableFileError", "read_with_calamine"]
