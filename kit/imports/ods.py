"""Read an OpenDocument spreadsheet (.ods): a bounded pre-scan, then python-calamine.

An .ods keeps its cells in content.xml, and a cell or a row may say it repeats
(``table:number-columns-repeated``, ``table:number-rows-repeated``): LibreOffice writes the
empty rest of a sheet as one row repeated a million times. calamine passes over repeated
empty cells but expands repeated cells with content, so a 1 KB file can ask it for a
100-million-cell range (it aborts). The pre-scan streams content.xml through expat (no
tree; a document type declaration is refused) and counts the cells with content, their
last row and column, and their text against ``TableLimits`` with repeats counted, before
calamine sees the file. It also keeps what calamine does not say: percentages (calamine
gives 0.85 for 85 %), dates (written as the .xlsx reader writes them) and merged cells
(``number-columns-spanned``/``number-rows-spanned``).
"""

import io
import zipfile
from datetime import datetime
from decimal import Decimal, InvalidOperation
from xml.parsers import expat

from kit.formatting import plain
from kit.imports.grid import Sheet, fill_merged, trim
from kit.imports.limits import EXCEL_MAX_CELL_CHARS, TableLimits
from kit.imports.problems import TableFileError, col_letter

MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
MAX_MEMBERS = 2000
MAX_TABLES = 255
CHUNK = 64 * 1024
MB = 1024 * 1024

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_SEP = "\x01"


def is_ods(data: bytes) -> bool:
    """An .ods zip names its type in a first, stored member called mimetype."""
    return MIMETYPE in data[:200]


def _corrupt(name: str) -> TableFileError:
    return TableFileError(f"文件「{name}」已损坏，无法作为 OpenDocument 电子表格（.ods）打开。")


def _repeat(attrs: dict, key: str) -> int:
    try:
        return max(1, int(attrs.get(f"{_TABLE}{_SEP}{key}", "1")))
    except ValueError:
        return 1


class _Table:
    def __init__(self, name: str):
        self.name = name
        self.last_row = 0
        self.last_col = 0
        self.merges: list[tuple[int, int, int, int]] = []  # 0-based r1, r2, c1, c2
        self.override: dict = {}  # (row, col) 0-based → text


class _Scan:
    def __init__(self, name: str, limits: TableLimits):
        self.name, self.limits = name, limits
        self.tables: list[_Table] = []
        self.table: _Table | None = None
        self.row = 0  # 0-based row of the current row element
        self.row_repeat = 1
        self.col = 0
        self.cell: dict | None = None
        self.cell_text = 0
        self.cells = 0
        self.text = 0

    def where(self) -> str:
        return f"文件「{self.name}」的工作表「{self.table.name}」"

    def start(self, tag, attrs):
        if tag == f"{_TABLE}{_SEP}table":
            self.table = _Table(attrs.get(f"{_TABLE}{_SEP}name", ""))
            self.tables.append(self.table)
            if len(self.tables) > MAX_TABLES:
                raise TableFileError(f"文件「{self.name}」有超过 {MAX_TABLES} 个工作表，已拒绝。")
            self.row = 0
        elif self.table is None:
            return
        elif tag == f"{_TABLE}{_SEP}table-row":
            self.row_repeat = _repeat(attrs, "number-rows-repeated")
            self.col = 0
        elif tag in (f"{_TABLE}{_SEP}table-cell", f"{_TABLE}{_SEP}covered-table-cell"):
            self.cell = attrs
            self.cell_text = 0

    def end(self, tag):
        if self.table is None:
            return
        if tag == f"{_TABLE}{_SEP}table-row":
            self.row += self.row_repeat
            self.row_repeat = 1
        elif tag in (f"{_TABLE}{_SEP}table-cell", f"{_TABLE}{_SEP}covered-table-cell"):
            self.end_cell(self.cell or {})
            self.cell = None
        elif tag == f"{_TABLE}{_SEP}table":
            self.table = None

    def on_text(self, data):
        if self.cell is not None:
            self.cell_text += len(data)
            self.text += len(data)
            if self.cell_text > EXCEL_MAX_CELL_CHARS or self.text > self.limits.text_chars:
                raise TableFileError(
                    f"文件「{self.name}」中的文字过长，远超正常表格，已拒绝，未作任何处理。"
                )

    def end_cell(self, attrs) -> None:
        repeat = _repeat(attrs, "number-columns-repeated")
        kind = attrs.get(f"{_OFFICE}{_SEP}value-type")
        r, c = self.row, self.col
        self.col += repeat
        if not kind and not self.cell_text:
            return  # empty (perhaps formatted): passed over, however often it repeats
        limits, table = self.limits, self.table
        last_row, last_col = r + self.row_repeat, c + repeat
        if last_col > limits.columns:
            raise TableFileError(
                f"{self.where()}第 {r + 1} 行 {col_letter(limits.columns)} 列有内容，超出可导入的 "
                f"{limits.columns} 列。请删去表格右侧多余的内容后再导入。"
            )
        if last_row > limits.rows:
            raise TableFileError(
                f"{self.where()}第 {limits.rows + 1} 行有内容，超出可导入的 {limits.rows} 行。"
                "请删去表格下方多余的内容，或把表格拆成几个文件分别导入。"
            )
        table.last_row, table.last_col = (
            max(table.last_row, last_row),
            max(table.last_col, last_col),
        )
        self.cells += repeat * self.row_repeat
        if self.cells > limits.cells or table.last_row * table.last_col > limits.cells:
            raise TableFileError(
                f"{self.where()}的单元格超过可导入的 {limits.cells} 个（可导入 {limits.shown}）。"
                "请删去无关的行、列或工作表，或把表格拆成几个文件分别导入。"
            )
        spans = (_repeat(attrs, "number-rows-spanned"), _repeat(attrs, "number-columns-spanned"))
        if spans != (1, 1):
            table.merges.append(
                (r, min(r + spans[0], limits.rows) - 1, c, min(c + spans[1], limits.columns) - 1)
            )
        text = None
        if kind == "percentage":
            try:
                value = Decimal(attrs.get(f"{_OFFICE}{_SEP}value", ""))
                text = plain(value * 100) + "%"
            except InvalidOperation:
                raise _corrupt(self.name) from None
        elif kind == "date":
            raw = attrs.get(f"{_OFFICE}{_SEP}date-value", "")
            try:
                text = datetime.fromisoformat(raw).isoformat()
            except ValueError:
                text = raw
        if text is not None:
            for dr in range(min(self.row_repeat, 1000)):
                for dc in range(min(repeat, 1000)):
                    table.override[(r + dr, c + dc)] = text


def read_ods(data: bytes, name: str, *, limits: TableLimits, max_unzipped: int, fill=True):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _corrupt(name) from None
    if len(members) > MAX_MEMBERS:
        raise TableFileError(
            f"文件「{name}」包含 {len(members)} 个内部文件，不像正常的表格，已拒绝。"
        )
    unzipped = sum(m.file_size for m in members)
    if unzipped > max_unzipped:
        raise TableFileError(
            f"文件「{name}」解压后有 {unzipped / MB:.1f} MB，超过上限 {max_unzipped / MB:.1f} MB"
            "（疑似“压缩炸弹”），已拒绝，未作任何处理。"
        )
    if "content.xml" not in {m.filename for m in members}:
        raise _corrupt(name)
    scan = _Scan(name, limits)
    parser = expat.ParserCreate(namespace_separator=_SEP)
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_args):
        raise TableFileError(
            f"文件「{name}」含有文档类型声明（DOCTYPE），不像正常的表格，已拒绝，未作任何处理。"
        )

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    parser.CharacterDataHandler = scan.on_text
    try:
        with archive.open("content.xml") as stream:
            while chunk := stream.read(CHUNK):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except (expat.ExpatError, zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError):
        raise _corrupt(name) from None
    if sum(t.last_row * t.last_col for t in scan.tables) > limits.cells:
        raise TableFileError(
            f"文件「{name}」各工作表合计超过可导入的 {limits.cells} 个单元格。"
            "请删去无关的工作表，或把表格拆成几个文件分别导入。"
        )
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = workbook.sheet_names
    except Exception:  # noqa: BLE001 — calamine's own errors
        raise _corrupt(name) from None
    if len(names) != len(scan.tables):
        raise _corrupt(name)
    out = []
    for index, table in enumerate(scan.tables):
        if not table.last_row:
            out.append(Sheet(table.name, []))
            continue
        try:
            values = workbook.get_sheet_by_index(index).to_python(skip_empty_area=False)
        except Exception:  # noqa: BLE001
            raise _corrupt(name) from None
        height, width = table.last_row, table.last_col
        for _r1, r2, _c1, c2 in table.merges:
            height, width = max(height, r2 + 1), max(width, c2 + 1)
        rows = []
        for r in range(height):
            source = values[r] if r < len(values) else ()
            cells = [_text(v) for v in source[:width]]
            cells.extend([""] * (width - len(cells)))
            rows.append(cells)
        for (r, c), text in table.override.items():
            if r < height and c < width:
                rows[r][c] = text
        trim(rows)
        if fill:
            for merged in table.merges:
                fill_merged(rows, *merged)
        out.append(Sheet(table.name, rows))
    return out


def _text(value) -> str:
    from kit.imports.prescan import _text as text_of

    text = text_of(value)
    if text is not None:
        return text
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
