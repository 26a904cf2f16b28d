"""Read an .xlsx into grids of cell text with memory bounded by the table limits.

A workbook is a zip of XML parts, and a small file can declare a sheet of 16,384 columns,
a million rows or a shared-strings table of millions of entries. Nothing here trusts what a
part declares (the sheet's ``<dimension>``, the table's ``count``):

1. the zip's members are counted and their unpacked sizes summed before anything unpacks;
2. each sheet and the shared strings are pre-scanned as they unpack, counting cell and
   string tags, so a file far past a limit is refused in a fraction of a second;
3. each part is then parsed as a stream (expat, no tree), and a cell past the row or column
   limit, a used range past the cell limit, or text past the character limit stops the
   read at once. Only cells with content are kept; empty styled cells are passed over.

The values are those openpyxl gives with ``data_only=True`` (the cached results of
formulas; numbers in date formats as dates), turned into text as the other readers do; a
formula whose result was never saved is reported in ``Sheet.uncached``. A document type
declaration (the way to billion-laughs and external entities) is refused.
"""

import posixpath
import zipfile
from datetime import date, datetime, time
from decimal import Decimal
from xml.parsers import expat

from kit.formatting import plain
from kit.imports.grid import Sheet, fill_merged, trim
from kit.imports.limits import EXCEL_MAX_CELL_CHARS, TableLimits
from kit.imports.problems import TableFileError, col_letter

MB = 1024 * 1024
MAX_ZIP_MEMBERS = 2000
MAX_SHEETS = 255
MAX_STYLES = 65_536  # Excel keeps at most 64,000 cell formats
MAX_SMALL_PART = 16 * MB  # workbook.xml, its relationships and styles.xml
CHUNK = 64 * 1024
# Markup per cell in the worst ordinary case (<c><f>…</f><v>…</v></c>, inline strings):
# more "<" than this per allowed cell is not a table. Bounds the time spent parsing.
MARKS_PER_CELL = 10
MARKS_SPARE = 1_000_000


def megabytes(n: int) -> str:
    return f"{n / MB:.1f} MB"


def _local(tag: str) -> str:
    return tag[tag.rfind(":") + 1 :]


def _corrupt(name: str) -> TableFileError:
    return TableFileError(f"文件「{name}」已损坏，无法作为 Excel 工作簿打开。")


def _unusual(name: str, what: str) -> TableFileError:
    return TableFileError(
        f"文件「{name}」{what}，不像正常的工作簿，已拒绝，未作任何处理。"
        "请在 Excel 或 WPS 中打开它，把表格复制到新建的工作簿，另存为 .xlsx 后再导入。"
    )


class _Workbook:
    def __init__(self, data, name: str, limits: TableLimits, max_unzipped: int):
        import io

        self.name = name
        self.limits = limits
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
            members = self.archive.infolist()
        except (zipfile.BadZipFile, ValueError, OSError):
            raise _corrupt(name) from None
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
        self.members = {m.filename: m for m in members}
        if "xl/workbook.xml" not in self.members:
            raise TableFileError(
                f"文件「{name}」是压缩包，但不是 Excel 工作簿（可能是改了扩展名的 Word 文档或其他文件）。"
            )
        # The "<" budget of the whole file: every part's markup counts against it.
        self.marks_left = MARKS_PER_CELL * limits.cells + MARKS_SPARE
        self.text_left = limits.text_chars

    # --- parts ----------------------------------------------------------------------

    def chunks(self, path: str):
        info = self.members.get(path)
        if info is None:
            raise _corrupt(self.name)
        try:
            with self.archive.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    yield chunk
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError):
            raise _corrupt(self.name) from None

    def small_part(self, path: str) -> None:
        info = self.members.get(path)
        if info is not None and info.file_size > MAX_SMALL_PART:
            raise _unusual(self.name, f"的内部文件「{path}」有 {megabytes(info.file_size)}")

    def parse(self, path: str, start, end=None, text=None) -> None:
        """Stream ``path`` through expat with these handlers; tag names lose their prefix."""
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

        def refuse(*_args):
            raise _unusual(self.name, "含有文档类型声明（DOCTYPE）")

        parser.StartDoctypeDeclHandler = refuse
        parser.EntityDeclHandler = refuse
        parser.StartElementHandler = start
        if end is not None:
            parser.EndElementHandler = end
        if text is not None:
            parser.CharacterDataHandler = text
        try:
            for chunk in self.chunks(path):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except (expat.ExpatError, ValueError, IndexError, TypeError, KeyError):
            raise _corrupt(self.name) from None

    def prescan(self, path: str, tags: tuple[bytes, ...], most: int, refusal) -> None:
        """Count ``tags`` and markup as ``path`` unpacks, without parsing; refuse past
        ``most`` tags or past the file's markup budget. Tags split by a chunk border are
        counted once: the tail kept is shorter than every tag."""
        found = 0
        tail = b""
        for chunk in self.chunks(path):
            window = tail + chunk
            found += sum(window.count(tag) for tag in tags)
            tail = chunk[-2:]
            self.marks_left -= chunk.count(b"<")
            if found > most:
                raise refusal()
            if self.marks_left < 0:
                raise _unusual(self.name, f"的内部文件「{path}」结构异常（标记过多）")

    def spend_text(self, length: int) -> None:
        if length > EXCEL_MAX_CELL_CHARS:
            raise _unusual(
                self.name,
                f"有一段文字长 {length} 个字符，超过 Excel 允许的 {EXCEL_MAX_CELL_CHARS} 个",
            )
        self.text_left -= length
        if self.text_left < 0:
            raise TableFileError(
                f"文件「{self.name}」中的文字超过 {self.limits.text_chars} 个字符，"
                "远超正常表格，已拒绝，未作任何处理。请删去无关的工作表或内容后再导入。"
            )


# --- workbook.xml, relationships, styles, shared strings ---------------------------------


def _sheet_parts(book: _Workbook) -> tuple[list[tuple[str, str]], dict, bool]:
    """([(sheet title, part path)], {relationship kind: part path}, 1904 dates?)."""
    for path in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
        book.small_part(path)
    listed: list[tuple[str, str]] = []
    date1904 = [False]

    def on_workbook(tag, attrs):
        local = _local(tag)
        if local == "sheet":
            rid = next((v for k, v in attrs.items() if _local(k) == "id"), None)
            listed.append((attrs.get("name", ""), rid))
            if len(listed) > MAX_SHEETS:
                raise _unusual(book.name, f"有超过 {MAX_SHEETS} 个工作表")
        elif local == "workbookPr":
            date1904[0] = attrs.get("date1904", "").lower() in ("1", "true")

    book.parse("xl/workbook.xml", on_workbook)
    targets: dict[str, tuple[str, str]] = {}

    def on_rels(tag, attrs):
        if _local(tag) == "Relationship":
            target = attrs.get("Target", "")
            path = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join("xl", target))
            )
            targets[attrs.get("Id", "")] = (attrs.get("Type", "").rsplit("/", 1)[-1], path)

    if "xl/_rels/workbook.xml.rels" in book.members:
        book.parse("xl/_rels/workbook.xml.rels", on_rels)
    sheets = []
    for title, rid in listed:
        kind, path = targets.get(rid, ("worksheet", ""))
        if kind != "worksheet":
            continue  # chart sheets and dialog sheets hold no table
        if path not in book.members:
            raise _corrupt(book.name)
        sheets.append((title, path))
    parts = {kind: path for kind, path in targets.values() if kind in ("sharedStrings", "styles")}
    return sheets, parts, date1904[0]


class _Styles:
    """Per cell format (the ``s`` of a cell): is its number format a percent, a date, a
    duration? As openpyxl decides it, so values read as they did."""

    def __init__(self, book: _Workbook, path: str | None):
        from openpyxl.styles.numbers import (
            BUILTIN_FORMATS,
            is_date_format,
            is_timedelta_format,
        )

        custom: dict[int, str] = {}
        ids: list[int] = []
        within = [False]

        def start(tag, attrs):
            local = _local(tag)
            if local == "numFmt":
                try:
                    custom[int(attrs.get("numFmtId", "0"))] = attrs.get("formatCode", "")
                except ValueError:
                    raise _corrupt(book.name) from None
            elif local == "cellXfs":
                within[0] = True
            elif local == "xf" and within[0]:
                try:
                    ids.append(int(attrs.get("numFmtId", "0")))
                except ValueError:
                    raise _corrupt(book.name) from None
                if len(ids) > MAX_STYLES:
                    raise _unusual(book.name, f"有超过 {MAX_STYLES} 种单元格格式")

        def end(tag):
            if _local(tag) == "cellXfs":
                within[0] = False

        if path and path in book.members:
            book.small_part(path)
            book.parse(path, start, end)
        self.percent, self.dates, self.durations = set(), set(), set()
        for index, fmt_id in enumerate(ids):
            code = custom[fmt_id] if fmt_id in custom else BUILTIN_FORMATS.get(fmt_id)
            if "%" in (code or ""):
                self.percent.add(index)
            if is_date_format(code):
                self.dates.add(index)
            if is_timedelta_format(code):
                self.durations.add(index)


def _shared_strings(book: _Workbook, path: str | None) -> list[str]:
    if not path or path not in book.members:
        return []
    most = book.limits.cells

    def too_many():
        return TableFileError(
            f"文件「{book.name}」的共享字符串表有超过 {most} 条文字，超过可导入的 {most} 个"
            "单元格，不像正常的表格，已拒绝，未作任何处理。"
            "请删去无关的工作表或内容，另存为新的 .xlsx 后再导入。"
        )

    book.prescan(path, (b"<si>", b"<si "), most, too_many)
    strings: list[str] = []
    parts: list[str] = []
    state = {"t": False, "rph": 0, "si": False}

    def start(tag, attrs):
        local = _local(tag)
        if local == "si":
            state["si"] = True
            parts.clear()
        elif local == "t" and state["si"] and not state["rph"]:
            state["t"] = True
        elif local == "rPh":
            state["rph"] += 1

    def end(tag):
        local = _local(tag)
        if local == "t":
            state["t"] = False
        elif local == "rPh":
            state["rph"] -= 1
        elif local == "si":
            state["si"] = False
            text = "".join(parts).replace("x005F_", "")
            book.spend_text(len(text))
            strings.append(text)
            if len(strings) > most:
                raise too_many()

    def on_text(data):
        if state["t"]:
            parts.append(data)

    book.parse(path, start, end, on_text)
    return strings


# --- sheets -----------------------------------------------------------------------------


def _cell_ref(ref: str) -> tuple[int, int]:
    """'XFD12' → (12, 16384), 1-based; ValueError when it is not a cell reference."""
    letters = ref.rstrip("0123456789")
    col = 0
    for char in letters.upper():
        col = col * 26 + ord(char) - 64
    return int(ref[len(letters) :]), col


def _number_text(raw: str, style: int, styles: _Styles, epoch) -> str:
    is_float = "." in raw or "E" in raw or "e" in raw
    if style in styles.dates:
        from openpyxl.utils.datetime import from_excel

        try:
            value = from_excel(
                float(raw) if is_float else int(raw), epoch, timedelta=style in styles.durations
            )
        except (OverflowError, ValueError):
            return "#VALUE!"
        if isinstance(value, datetime | date | time):
            return value.isoformat()
        return str(value)
    if style in styles.percent:
        return plain(Decimal(repr(float(raw) if is_float else int(raw))) * 100) + "%"
    if not is_float:
        return str(int(raw))
    text = repr(float(raw))
    if "e" in text or "n" in text:  # 1e+20, nan, inf: as Decimal writes them out
        return plain(Decimal(text))
    text = text.rstrip("0").rstrip(".")  # what plain() does to a decimal without exponent
    return "0" if text in ("-0", "") else text


def _value_text(kind: str, raw: str | None, style: int, strings, styles, epoch) -> str:
    if raw is None:
        return ""
    if kind == "n":
        return _number_text(raw, style, styles, epoch)
    if kind == "s":
        return strings[int(raw)]
    if kind == "b":
        return "是" if int(raw) else "否"
    if kind == "d":
        from openpyxl.utils.datetime import from_ISO8601

        value = from_ISO8601(raw)
        return value.isoformat() if isinstance(value, datetime | date | time) else str(value)
    return raw  # "str" (a formula's text result), "e" (#DIV/0!…) and anything else


_OTHER, _CELL, _VALUE, _FORMULA, _INLINE, _TEXT, _PHONETIC, _ROW, _MERGE = range(9)
_TAGS = {
    "c": _CELL,
    "v": _VALUE,
    "f": _FORMULA,
    "is": _INLINE,
    "t": _TEXT,
    "rPh": _PHONETIC,
    "row": _ROW,
    "mergeCell": _MERGE,
}


class _SheetReader:
    """One worksheet part, streamed: content cells into rows, merged ranges, formulas
    without a saved result."""

    def __init__(self, book: _Workbook, title: str, strings, styles: _Styles, epoch):
        self.book, self.title = book, title
        self.strings, self.styles, self.epoch = strings, styles, epoch
        self.limits = book.limits
        self.rows: list[list[str]] = []
        self.width = 0
        self.merges: list[tuple[int, int, int, int]] = []
        self.uncached: dict = {}
        self.shared_formulas: dict = {}
        self.row_number = 0
        self.col_number = 0
        self.cell = None  # (row, col, type, style) of the cell being read
        self.value: list[str] | None = None
        self.formula: list[str] | None = None
        self.formula_attrs: dict = {}
        self.inline: list[str] | None = None
        self.capture: list[str] | None = None
        self.phonetic = 0
        self.tags: dict[str, int] = {}  # tag as written (perhaps prefixed) → _TAGS kind

    def where(self) -> str:
        return f"文件「{self.book.name}」的工作表「{self.title}」"

    def read(self, path: str) -> Sheet:
        most = self.limits.cells
        self.book.prescan(
            path, (b"<v>", b"<is>"), most, lambda: self.too_many_cells(f"超过 {most} ")
        )
        self.book.parse(path, self.start, self.end, self.text)
        return self.finish()

    # refusals ---------------------------------------------------------------------------

    def too_many_cells(self, count: str) -> TableFileError:
        return TableFileError(
            f"{self.where()}有{count}个单元格，超过可导入的 {self.limits.cells} 个"
            f"（可导入 {self.limits.shown}）。"
            "请删去无关的行、列或工作表，或把表格拆成几个文件分别导入。"
        )

    def outside(self, row: int, col: int) -> TableFileError:
        limits = self.limits
        if col > limits.columns:
            return TableFileError(
                f"{self.where()}第 {row} 行 {col_letter(col - 1)} 列有内容，超出可导入的 "
                f"{limits.columns} 列（到 {col_letter(limits.columns - 1)} 列为止）。"
                "请删去表格右侧多余的内容，或只把要导入的表格复制到新工作簿后再导入。"
            )
        return TableFileError(
            f"{self.where()}第 {row} 行有内容，超出可导入的 {limits.rows} 行。"
            "请删去表格下方多余的内容，或把表格拆成几个文件分别导入。"
        )

    def check_area(self, rows: int, cols: int) -> None:
        if rows * cols > self.limits.cells:
            raise self.too_many_cells(f" {rows} 行 × {cols} 列共 {rows * cols} ")

    # expat handlers ---------------------------------------------------------------------

    def start(self, tag, attrs):
        kind = self.tags.get(tag)
        if kind is None:
            kind = self.tags[tag] = _TAGS.get(_local(tag), _OTHER)
        if kind == _CELL:
            ref = attrs.get("r")
            if ref:
                row, col = _cell_ref(ref)
            else:
                row, col = self.row_number, self.col_number + 1
            self.col_number = col
            style = attrs.get("s")
            self.cell = (row, col, attrs.get("t", "n"), int(style) if style else 0)
            self.value = self.formula = self.inline = None
        elif self.cell is not None:
            if kind == _VALUE:
                self.value = self.capture = []
            elif kind == _FORMULA:
                self.formula = self.capture = []
                self.formula_attrs = attrs
            elif kind == _INLINE:
                self.inline = []
            elif kind == _PHONETIC:
                self.phonetic += 1
            elif kind == _TEXT and self.inline is not None and not self.phonetic:
                self.capture = self.inline
        elif kind == _ROW:
            ref = attrs.get("r")
            self.row_number = int(ref) if ref else self.row_number + 1
            self.col_number = 0
        elif kind == _MERGE:
            self.merge(attrs.get("ref", ""))

    def end(self, tag):
        kind = self.tags.get(tag)
        if kind == _CELL:
            self.end_cell()
            self.cell = None
        elif kind == _VALUE or kind == _FORMULA or kind == _TEXT:
            self.capture = None
        elif kind == _PHONETIC:
            self.phonetic -= 1

    def text(self, data):
        if self.capture is not None:
            self.capture.append(data)

    # cells ------------------------------------------------------------------------------

    def end_cell(self) -> None:
        row, col, kind, style = self.cell
        value = self.value
        try:
            if kind == "n" and value:
                text = _number_text("".join(value), style, self.styles, self.epoch)
            elif kind == "inlineStr":
                text = "".join(self.inline) if self.inline is not None else ""
                self.book.spend_text(len(text))
            else:
                raw = "".join(value) if value else None
                if raw and kind in ("str", "e", "d"):
                    self.book.spend_text(len(raw))
                text = _value_text(kind, raw or None, style, self.strings, self.styles, self.epoch)
        except (ValueError, IndexError, TypeError, OverflowError):
            raise _corrupt(self.book.name) from None
        formula = self.formula_text(row, col) if self.formula is not None else None
        if not text and formula is None:
            return  # an empty (perhaps formatted) cell: no content, not kept
        limits = self.limits
        if row > limits.rows or col > limits.columns:
            raise self.outside(row, col)
        if row < 1 or col < 1:
            raise _corrupt(self.book.name)
        rows = self.rows
        if col > self.width:
            self.width = col
            self.check_area(max(len(rows), row), col)
        if row > len(rows):
            self.check_area(row, self.width)
            rows.extend([] for _ in range(row - len(rows)))
        cells = rows[row - 1]
        if col > len(cells):
            cells.extend([""] * (col - len(cells)))
        cells[col - 1] = text
        if formula is not None and not text:
            self.uncached[(row - 1, col - 1)] = formula

    def formula_text(self, row: int, col: int) -> str:
        """The formula as openpyxl gives it: "=" + text; a shared formula's dependents
        translated from its first cell."""
        text = "=" + "".join(self.formula)
        attrs = self.formula_attrs
        if attrs.get("t") == "shared":
            index = attrs.get("si")
            master = self.shared_formulas.get(index)
            if master is not None:
                from openpyxl.formula.translate import Translator

                try:
                    return Translator(*master).translate_formula(f"{col_letter(col - 1)}{row}")
                except Exception:  # noqa: BLE001 — a formula it cannot parse stays as written
                    return text
            if text != "=":
                self.shared_formulas[index] = (text, f"{col_letter(col - 1)}{row}")
        return text

    def merge(self, ref: str) -> None:
        if ":" not in ref:
            return
        first, last = ref.split(":", 1)
        try:
            (r1, c1), (r2, c2) = _cell_ref(first), _cell_ref(last)
        except ValueError:
            raise _corrupt(self.book.name) from None
        if r1 > self.limits.rows or c1 > self.limits.columns:
            return  # a merged range wholly outside the table holds nothing to read
        self.merges.append((r1, c1, min(r2, self.limits.rows), min(c2, self.limits.columns)))
        if len(self.merges) > self.limits.cells:
            raise _unusual(self.book.name, f"的工作表「{self.title}」合并区域过多")

    def finish(self) -> Sheet:
        height, width = len(self.rows), self.width
        for r1, _c1, r2, c2 in self.merges:  # merged ranges are part of the used range
            if r1 <= height:
                height, width = max(height, r2), max(width, c2)
        self.check_area(height, width)
        rows = self.rows
        rows.extend([] for _ in range(height - len(rows)))
        for cells in rows:
            if len(cells) < width:
                cells.extend([""] * (width - len(cells)))
        trim(rows)
        sheet = Sheet(self.title, rows, self.uncached)
        self.merged = [(r1 - 1, r2 - 1, c1 - 1, c2 - 1) for r1, c1, r2, c2 in self.merges]
        return sheet


def read_xlsx(
    data: bytes,
    name: str,
    *,
    limits: TableLimits,
    max_unzipped: int,
    fill: bool = True,
    fast: bool = True,
) -> list[Sheet]:
    """``fast``: read the values with python-calamine once the pre-scan of
    ``kit.imports.prescan`` vouches for the file; False: always the streaming reader."""
    book = _Workbook(data, name, limits, max_unzipped)
    sheets, parts, date1904 = _sheet_parts(book)
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

    epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
    styles = _Styles(book, parts.get("styles"))
    from kit.imports.prescan import read_with_calamine

    read = read_with_calamine(data, book, sheets, parts, styles, epoch, fill=fill) if fast else None
    if read is not None:
        return read
    # Something the pre-scan cannot vouch for: the streaming reader reads it (or refuses
    # it, saying where), as before.
    book.marks_left = MARKS_PER_CELL * limits.cells + MARKS_SPARE
    book.text_left = limits.text_chars
    strings = _shared_strings(book, parts.get("sharedStrings"))
    out = []
    cells_left = limits.cells
    for title, path in sheets:
        reader = _SheetReader(book, title, strings, styles, epoch)
        sheet = reader.read(path)
        cells_left -= len(sheet.rows) * (len(sheet.rows[0]) if sheet.rows else 0)
        if cells_left < 0:
            raise TableFileError(
                f"文件「{name}」各工作表合计超过可导入的 {limits.cells} 个单元格。"
                "请删去无关的工作表，或把表格拆成几个文件分别导入。"
            )
        if fill:
            for merged in reader.merged:
                fill_merged(sheet.rows, *merged)
        out.append(sheet)
    return out
