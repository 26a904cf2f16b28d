"""Read a spreadsheet file into grids of cell text, merged cells expanded.

.xlsx (a bounded pre-scan, then python-calamine, ``kit.imports.prescan``; what the pre-scan
cannot vouch for is streamed by ``kit.imports.xlsx``; cached values of formulas), .ods
(pre-scan and calamine, ``kit.imports.ods``), legacy .xls (xlrd) and .csv (UTF-8, UTF-8 with BOM, GBK, GB18030, tried in that order). The type is taken from
the content, not the file name, and a name that lies (a text file called .xlsx) is said so.

Every reader bounds what it builds by ``TableLimits`` (rows, columns, cells of the used
range): a file past a limit is refused with a message naming the file, the sheet, the limit
and what to do, before its grid is built. Only content counts: empty cells past the table
(formatting, trailing separators) are passed over.
"""

import csv
import io
from decimal import Decimal
from pathlib import PurePath

from kit.formatting import plain
from kit.imports.grid import Sheet, fill_merged, trim
from kit.imports.limits import TableLimits
from kit.imports.ods import is_ods, read_ods
from kit.imports.problems import TableFileError, col_letter
from kit.imports.xlsx import read_xlsx

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 10 * MB
DEFAULT_MAX_UNZIPPED = 200 * MB
CSV_ENCODINGS = ("utf-8-sig", "gbk", "gb18030")
EXCEL_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"

__all__ = ["Sheet", "read_table_file"]


def megabytes(n: int) -> str:
    return f"{n / MB:.1f} MB"


def read_table_file(
    data: bytes,
    filename: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_unzipped: int = DEFAULT_MAX_UNZIPPED,
    limits: TableLimits | None = None,
    fill: bool = True,
) -> list[Sheet]:
    """``fill``: give every cell of a merged range the text of its top-left cell (as
    people read a merged title or total); False leaves the other cells empty."""
    limits = limits or TableLimits()
    name = PurePath(filename).name or "上传文件"
    ext = PurePath(filename).suffix.lower()
    if len(data) > max_bytes:
        raise TableFileError(
            f"文件「{name}」大小为 {megabytes(len(data))}，超过导入上限 {megabytes(max_bytes)}。"
            "请删去无关的工作表或拆分后再导入。"
        )
    if not data:
        raise TableFileError(f"文件「{name}」是空的。")
    if data.startswith(_ZIP) and is_ods(data):
        return read_ods(data, name, limits=limits, max_unzipped=max_unzipped, fill=fill)
    if data.startswith(_ZIP):
        return read_xlsx(data, name, limits=limits, max_unzipped=max_unzipped, fill=fill)
    if data.startswith(_OLE2):
        return _read_xls(data, name, limits, fill)
    if ext in EXCEL_EXTENSIONS:
        kind = "文本文件" if _decode_text(data) is not None else "无法识别的格式"
        raise TableFileError(
            f"文件「{name}」的扩展名是 {ext}，但内容不是 Excel 工作簿（看起来是{kind}）。"
            "可能是改了扩展名的文件；请在 Excel 中打开后另存为 .xlsx 再导入。"
        )
    return [_read_csv(data, name, limits)]


def _too_large(where: str, rows: int, cols: int, limits: TableLimits) -> TableFileError:
    return TableFileError(
        f"{where}有 {rows} 行、{cols} 列（共 {rows * cols} 个单元格），"
        f"超过可导入的 {limits.shown}。"
        "请删去无关的行、列或工作表，或把表格拆成几个文件分别导入。"
    )


# --- xls --------------------------------------------------------------------------------


def _read_xls(data: bytes, name: str, limits: TableLimits, fill: bool) -> list[Sheet]:
    import xlrd

    try:
        # on_demand: one sheet in memory at a time; ragged_rows: rows are not padded to
        # the widest one before the size is checked.
        book = xlrd.open_workbook(
            file_contents=data, formatting_info=True, on_demand=True, ragged_rows=True
        )
    except Exception as exc:  # xlrd raises XLRDError, struct.error, AssertionError…
        hint = "（文件可能设置了密码）" if "encrypt" in str(exc).lower() else ""
        raise TableFileError(
            f"文件「{name}」已损坏或不是 Excel 97-2003 工作簿（.xls），无法打开{hint}。"
        ) from None
    sheets = []
    cells_left = limits.cells
    for index in range(book.nsheets):
        try:
            sh = book.sheet_by_index(index)
        except Exception:  # noqa: BLE001 — as above, for one sheet's records
            raise TableFileError(
                f"文件「{name}」已损坏或不是 Excel 97-2003 工作簿（.xls），无法打开。"
            ) from None
        where = f"文件「{name}」的工作表「{sh.name}」"
        nrows, ncols = sh.nrows, sh.ncols
        cells_left -= nrows * ncols
        if nrows > limits.rows or ncols > limits.columns or cells_left < 0:
            raise _too_large(where, nrows, ncols, limits)
        rows = []
        for r in range(nrows):
            cells = [_xls_text(book, sh.cell(r, c)) for c in range(sh.row_len(r))]
            cells.extend([""] * (ncols - len(cells)))
            rows.append(cells)
        if fill:
            for rlo, rhi, clo, chi in sh.merged_cells:
                fill_merged(rows, rlo, rhi - 1, clo, chi - 1)
        trim(rows)
        sheets.append(Sheet(sh.name, rows))
        book.unload_sheet(index)
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


def _read_csv(data: bytes, name: str, limits: TableLimits) -> Sheet:
    text = _decode_text(data)
    if text is None:
        raise TableFileError(
            f"文件「{name}」不是可识别的表格：既不是 Excel 工作簿，也不是 UTF-8 或 GBK 编码的 CSV 文本。"
        )
    where = f"文件「{name}」"
    head = text[:8192]
    delimiter = max(",\t;", key=head.count) if any(d in head for d in ",\t;") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    del text
    rows: list[list[str]] = []
    blank = 0  # empty lines not yet kept: kept only when content follows them
    width = 0
    try:
        for number, row in enumerate(reader, start=1):
            if len(row) > limits.columns:
                beyond = next((i for i in range(limits.columns, len(row)) if row[i]), None)
                if beyond is not None:
                    raise TableFileError(
                        f"{where}第 {number} 行 {col_letter(beyond)} 列有内容，超出可导入的 "
                        f"{limits.columns} 列。请删去多余的列（或多余的分隔符）后再导入。"
                    )
                # only empty fields past the limit (trailing separators): not content
                row = row[: max((i + 1 for i, v in enumerate(row) if v), default=0)]
            if not any(row):
                blank += 1
                continue
            if number > limits.rows:
                raise TableFileError(
                    f"{where}第 {number} 行有内容，超出可导入的 {limits.rows} 行。"
                    "请删去多余的行，或把表格拆成几个文件分别导入。"
                )
            rows.extend([] for _ in range(blank))
            blank = 0
            rows.append(row)
            width = max(width, len(row))
            if len(rows) * width > limits.cells:
                raise _too_large(where, len(rows), width, limits)
    except csv.Error:
        raise TableFileError(f"文件「{name}」不是格式正确的 CSV 文本，无法读取。") from None
    rows = [r + [""] * (width - len(r)) for r in rows]
    trim(rows)
    return Sheet(PurePath(name).stem or name, rows)
