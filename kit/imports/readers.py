"""Read a spreadsheet file into grids of cell text, merged cells expanded.

.xlsx (openpyxl, cached values of formulas), legacy .xls (xlrd) and .csv (UTF-8, UTF-8 with
BOM, GBK, GB18030, tried in that order). The type is taken from the content, not the file
name, and a name that lies (a text file called .xlsx) is said so. An .xlsx is a zip: the
uncompressed sizes of its members are checked before anything is unpacked.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import PurePath

from kit.formatting import plain
from kit.imports.problems import TableFileError

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 10 * MB
DEFAULT_MAX_UNZIPPED = 200 * MB
MAX_ZIP_MEMBERS = 2000
MAX_ROWS = 200_000
MAX_COLS = 500
CSV_ENCODINGS = ("utf-8-sig", "gbk", "gb18030")
EXCEL_EXTENSIONS = (".xlsx", ".xlsm", ".xls")

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"


@dataclass
class Sheet:
    name: str
    rows: list[list[str]]
    # (row, col), 0-based → formula text, for formula cells whose result was never saved.
    uncached: dict = field(default_factory=dict)


def megabytes(n: int) -> str:
    return f"{n / MB:.1f} MB"


def read_table_file(
    data: bytes,
    filename: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_unzipped: int = DEFAULT_MAX_UNZIPPED,
) -> list[Sheet]:
    name = PurePath(filename).name or "上传文件"
    ext = PurePath(filename).suffix.lower()
    if len(data) > max_bytes:
        raise TableFileError(
            f"文件「{name}」大小为 {megabytes(len(data))}，超过导入上限 {megabytes(max_bytes)}。"
            "请删去无关的工作表或拆分后再导入。"
        )
    if not data:
        raise TableFileError(f"文件「{name}」是空的。")
    if data.startswith(_ZIP):
        return _read_xlsx(data, name, max_unzipped)
    if data.startswith(_OLE2):
        return _read_xls(data, name)
    if ext in EXCEL_EXTENSIONS:
        kind = "文本文件" if _decode_text(data) is not None else "无法识别的格式"
        raise TableFileError(
            f"文件「{name}」的扩展名是 {ext}，但内容不是 Excel 工作簿（看起来是{kind}）。"
            "可能是改了扩展名的文件；请在 Excel 中打开后另存为 .xlsx 再导入。"
        )
    return [_read_csv(data, name)]


# --- xlsx -------------------------------------------------------------------------------


def _read_xlsx(data: bytes, name: str, max_unzipped: int) -> list[Sheet]:
    has_formulas = _check_zip(data, name, max_unzipped)
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        formula_book = (
            openpyxl.load_workbook(io.BytesIO(data), data_only=False) if has_formulas else None
        )
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise TableFileError(
            f"文件「{name}」已损坏，无法作为 Excel 工作簿打开（{type(exc).__name__}）。"
        ) from None
    sheets = []
    for ws in book.worksheets:
        fws = formula_book[ws.title] if formula_book is not None else None
        sheets.append(_xlsx_sheet(ws, fws, name))
    return sheets


def _check_zip(data: bytes, name: str, max_unzipped: int) -> bool:
    """Refuse zip bombs and non-workbook zips; tell whether any sheet holds formulas."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise TableFileError(f"文件「{name}」已损坏，无法作为 Excel 工作簿打开。") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise TableFileError(
            f"文件「{name}」包含 {len(members)} 个内部文件，不像正常的工作簿，已拒绝。"
        )
    unzipped = sum(m.file_size for m in members)
    if unzipped > max_unzipped:
        raise TableFileError(
            f"文件「{name}」解压后有 {megabytes(unzipped)}，超过上限 {megabytes(max_unzipped)}"
            "（疑似“压缩炸弹”），已拒绝，未作任何处理。"
        )
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise TableFileError(
            f"文件「{name}」是压缩包，但不是 Excel 工作簿（可能是改了扩展名的 Word 文档或其他文件）。"
        )
    has_formulas = False
    try:
        for member in members:
            if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                # Reads at most the declared size: zipfile stops there and checks the CRC.
                xml = archive.read(member)
                if b"<f>" in xml or b"<f " in xml or b":f>" in xml:
                    has_formulas = True
                    break
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError):
        raise TableFileError(f"文件「{name}」已损坏，无法作为 Excel 工作簿打开。") from None
    return has_formulas


def _xlsx_sheet(ws, formula_ws, name: str) -> Sheet:
    if ws.max_row > MAX_ROWS or ws.max_column > MAX_COLS:
        raise TableFileError(
            f"文件「{name}」的工作表「{ws.title}」有 {ws.max_row} 行、{ws.max_column} 列，"
            f"超过可导入的 {MAX_ROWS} 行、{MAX_COLS} 列。"
        )
    rows = []
    for cells in ws.iter_rows():
        rows.append([_xlsx_text(c) for c in cells])
    _trim(rows)
    sheet = Sheet(ws.title, rows)
    if formula_ws is not None:
        for cells in formula_ws.iter_rows():
            for c in cells:
                formula = c.value
                if c.data_type == "f" or (isinstance(formula, str) and formula.startswith("=")):
                    r, k = c.row - 1, c.column - 1
                    cached = rows[r][k] if r < len(rows) and k < len(rows[r]) else ""
                    if cached == "":
                        sheet.uncached[(r, k)] = str(getattr(formula, "text", formula))
    for merged in ws.merged_cells.ranges:
        _fill_merged(
            rows, merged.min_row - 1, merged.max_row - 1, merged.min_col - 1, merged.max_col - 1
        )
    return sheet


def _xlsx_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | Decimal):
        number = value if isinstance(value, Decimal) else Decimal(repr(value))
        if "%" in (cell.number_format or ""):
            return plain(number * 100) + "%"
        return plain(number)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


# --- xls --------------------------------------------------------------------------------


def _read_xls(data: bytes, name: str) -> list[Sheet]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except Exception as exc:  # xlrd raises XLRDError, struct.error, AssertionError…
        hint = "（文件可能设置了密码）" if "encrypt" in str(exc).lower() else ""
        raise TableFileError(
            f"文件「{name}」已损坏或不是 Excel 97-2003 工作簿（.xls），无法打开{hint}。"
        ) from None
    sheets = []
    for sh in book.sheets():
        if sh.nrows > MAX_ROWS or sh.ncols > MAX_COLS:
            raise TableFileError(f"文件「{name}」的工作表「{sh.name}」过大，无法导入。")
        rows = [[_xls_text(book, sh.cell(r, c)) for c in range(sh.ncols)] for r in range(sh.nrows)]
        for rlo, rhi, clo, chi in sh.merged_cells:
            _fill_merged(rows, rlo, rhi - 1, clo, chi - 1)
        _trim(rows)
        sheets.append(Sheet(sh.name, rows))
    return sheets


def _xls_text(book, cell) -> str:
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if cell.ctype == xlrd.XL_CELL_TEXT:
        return cell.value
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        number = Decimal(repr(cell.value))
        fmt = book.format_map.get(book.xf_list[cell.xf_index].format_key) if book.xf_list else None
        if fmt is not None and "%" in fmt.format_str:
            return plain(number * 100) + "%"
        return plain(number)
    if cell.ctype == xlrd.XL_CELL_DATE:
        return xlrd.xldate_as_datetime(cell.value, book.datemode).date().isoformat()
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "是" if cell.value else "否"
    return ""  # error cells (#DIV/0!…) read as empty


# --- csv --------------------------------------------------------------------------------


def _decode_text(data: bytes) -> str | None:
    if b"\x00" in data[:4096]:
        return None
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _read_csv(data: bytes, name: str) -> Sheet:
    text = _decode_text(data)
    if text is None:
        raise TableFileError(
            f"文件「{name}」不是可识别的表格：既不是 Excel 工作簿，也不是 UTF-8 或 GBK 编码的 CSV 文本。"
        )
    head = text[:8192]
    delimiter = max(",\t;", key=head.count) if any(d in head for d in ",\t;") else ","
    rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    if len(rows) > MAX_ROWS:
        raise TableFileError(f"文件「{name}」有 {len(rows)} 行，超过可导入的 {MAX_ROWS} 行。")
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    _trim(rows)
    return Sheet(PurePath(name).stem or name, rows)


# --- shared -----------------------------------------------------------------------------


def _fill_merged(rows, r1: int, r2: int, c1: int, c2: int) -> None:
    if r1 >= len(rows):
        return
    top_left = rows[r1][c1] if c1 < len(rows[r1]) else ""
    for r in range(r1, min(r2, len(rows) - 1) + 1):
        row = rows[r]
        for c in range(c1, min(c2, len(row) - 1) + 1):
            row[c] = top_left


def _trim(rows: list[list[str]]) -> None:
    """Drop trailing empty rows (formatting often extends a sheet far below the table)."""
    while rows and not any(str(c).strip() for c in rows[-1]):
        rows.pop()
