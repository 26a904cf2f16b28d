"""Find the table in a sheet and read its targets.

The header block is the rows above the first row holding a number, less title and note
rows (one distinct text, e.g. 附件1 or the table's title). Below it, empty rows, note rows
(备注…) and a header block repeated where the paper table broke across pages are skipped.
Units stand either in a column (units as rows) or in the header (units as columns); the
axis whose names match more known units wins, unless the caller says which.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from kit.imports.problems import ERROR, NOTE, WARNING, Place, Problem, issue, where
from kit.imports.readers import Sheet
from org.naming import normalize_name
from targets.tables.labels import (
    IGNORED_HEADERS,
    SERIAL_HEADERS,
    IndicatorName,
    clean_label,
    header_word_in,
    is_sub_label,
    is_total_label,
    looks_like_unit,
    split_indicator,
    sub_label_for,
)
from targets.tables.numbers import CellNumber, NotANumber, parse_number, plain

ROWS = "rows"
COLUMNS = "columns"
ORIENTATIONS = (ROWS, COLUMNS)
ORIENTATION_LABELS = {ROWS: "单位为行", COLUMNS: "单位为列"}
# What the database keeps of a number (DecimalField(max_digits=14, decimal_places=4)).
MAX_INTEGER_DIGITS = 10
MAX_PLACES = 4
_LARGEST = Decimal(10) ** MAX_INTEGER_DIGITS


@dataclass
class IndicatorHead:
    name: str
    measure: str
    sub_label: str
    place: Place  # where the name stands

    @property
    def key(self) -> str:
        return normalize_name(self.name)


@dataclass
class Value:
    unit_name: str
    unit_place: Place
    indicator: str  # IndicatorHead.key
    target: Decimal
    sub: Decimal | None
    place: Place  # where the number stands
    row: int  # 1-based row of the unit (rows) or of the indicator (columns)


@dataclass
class StatedTotal:
    indicator: str
    value: Decimal | None
    sub: Decimal | None
    place: Place


@dataclass
class ParsedSheet:
    sheet: str
    orientation: str | None = None
    indicators: dict = field(default_factory=dict)  # key → IndicatorHead, in table order
    values: list = field(default_factory=list)
    totals: list = field(default_factory=list)
    issues: list = field(default_factory=list)
    has_data: bool = True

    @property
    def errors(self) -> list[Problem]:
        return [i for i in self.issues if i.level == ERROR]


class _Grid:
    def __init__(self, sheet: Sheet):
        self.sheet = sheet
        self.rows = sheet.rows
        self.width = max((len(r) for r in self.rows), default=0)
        self._numeric: dict = {}

    def text(self, r: int, c: int) -> str:
        row = self.rows[r]
        return str(row[c]).strip() if c < len(row) else ""

    def numeric(self, r: int, c: int) -> bool:
        key = (r, c)
        if key not in self._numeric:
            if key in self.sheet.uncached:
                self._numeric[key] = True
            else:
                try:
                    self._numeric[key] = parse_number(self.text(r, c)) is not None
                except NotANumber:
                    self._numeric[key] = False
        return self._numeric[key]

    def number_like(self, r: int, c: int) -> bool:
        """A number, or something short with a digit that was meant as one (「12O0」)."""
        if self.numeric(r, c):
            return True
        text = normalize_name(self.text(r, c))
        digits = sum(1 for ch in text if ch.isdigit())
        return 0 < len(text) <= 15 and digits * 2 >= len(text)

    def row_has_number(self, r: int, cols=None) -> bool:
        cols = range(self.width) if cols is None else cols
        return any(self.numeric(r, c) for c in cols)

    def distinct(self, r: int) -> set:
        return {normalize_name(self.text(r, c)) for c in range(self.width)} - {""}

    def place(self, r: int, c: int | None = None) -> Place:
        return where(self.sheet.name, r + 1, c)


def parse_sheet(
    sheet: Sheet, *, is_unit: Callable[[str], bool], orientation: str | None = None
) -> ParsedSheet:
    grid = _Grid(sheet)
    result = ParsedSheet(sheet.name)
    first = next((r for r in range(len(grid.rows)) if grid.row_has_number(r)), None)
    if first is None:
        result.has_data = False
        result.issues.append(
            issue(ERROR, sheet.name, None, None, "没有找到任何数值，不是可导入的目标任务表。")
        )
        return result
    header_rows = [r for r in range(first) if len(grid.distinct(r)) >= 2]
    if not header_rows:
        result.issues.append(
            issue(
                ERROR,
                sheet.name,
                first + 1,
                None,
                "数据上方没有可识别的表头（至少要有一行列名，如「单位」和各项指标的名称）。",
            )
        )
        return result
    parts = _header_parts(grid, header_rows)
    body = _body_rows(grid, first, header_rows, result)
    chosen = orientation or _detect_orientation(grid, parts, body, is_unit)
    result.orientation = chosen
    if chosen == ROWS:
        _read_rows(grid, parts, body, is_unit, result)
    else:
        _read_columns(grid, parts, body, result)
    _check_totals(result)
    return result


def _header_parts(grid: _Grid, header_rows: list[int]) -> list[list[str]]:
    parts = []
    for c in range(grid.width):
        col_parts: list[str] = []
        for r in header_rows:
            text = clean_label(grid.text(r, c))
            if text and normalize_name(text) not in {normalize_name(p) for p in col_parts}:
                col_parts.append(text)
        parts.append(col_parts)
    return parts


def _body_rows(grid: _Grid, first: int, header_rows: list[int], result: ParsedSheet) -> list[int]:
    header_cells = [
        [normalize_name(grid.text(h, c)) for c in range(grid.width)] for h in header_rows
    ]
    body = []
    for r in range(first, len(grid.rows)):
        values = [normalize_name(grid.text(r, c)) for c in range(grid.width)]
        filled = [c for c, v in enumerate(values) if v]
        if not filled:
            continue
        if not grid.row_has_number(r):
            repeated = max(
                sum(1 for c in filled if cells[c] == values[c]) for cells in header_cells
            )
            if repeated >= max(2, (len(filled) + 1) // 2):
                result.issues.append(
                    issue(NOTE, grid.sheet.name, r + 1, None, "重复的表头，已跳过。")
                )
                continue
            if len(set(values) - {""}) == 1:
                text = _short(grid.text(r, filled[0]))
                result.issues.append(
                    issue(NOTE, grid.sheet.name, r + 1, None, f"「{text}」是标题或说明，已跳过。")
                )
                continue
        body.append(r)
    return body


def _short(text: str, n: int = 24) -> str:
    text = clean_label(text)
    return text if len(text) <= n else text[:n] + "…"


def _serial_cols(parts) -> set:
    return {c for c, p in enumerate(parts) if header_word_in(p, SERIAL_HEADERS)}


def _label_col(grid: _Grid, parts, body) -> int | None:
    serial = _serial_cols(parts)
    for c in range(grid.width):
        if c in serial:
            continue
        texts = [grid.text(r, c) for r in body]
        filled = [t for t in texts if t]
        numeric = sum(1 for r in body if grid.text(r, c) and grid.numeric(r, c))
        if filled and numeric * 2 < len(filled):
            return c
    return None


def _detect_orientation(grid: _Grid, parts, body, is_unit) -> str:
    label = _label_col(grid, parts, body)
    row_names = [grid.text(r, label) for r in body] if label is not None else []
    col_names = [p for col in parts for p in col]
    for test in (is_unit, looks_like_unit):
        rows_score = sum(1 for n in row_names if n and test(n))
        cols_score = sum(1 for n in col_names if test(n))
        if rows_score or cols_score:
            return COLUMNS if cols_score > rows_score else ROWS
    return ROWS


def _parse(
    grid: _Grid, r: int, c: int, what: str, result: ParsedSheet, level: str = ERROR
) -> CellNumber | None:
    formula = grid.sheet.uncached.get((r, c))
    if formula is not None:
        result.issues.append(
            issue(
                level,
                grid.sheet.name,
                r + 1,
                c,
                f"单元格是公式「{formula}」，但文件里没有保存它的计算结果（文件可能由程序生成、"
                "未在 Excel 中保存过）。请用 Excel 打开并保存后再导入，或把公式改成数值。",
            )
        )
        return None
    text = grid.text(r, c)
    try:
        number = parse_number(text)
    except NotANumber:
        result.issues.append(
            issue(level, grid.sheet.name, r + 1, c, f"{what}「{_short(text)}」不是数字。")
        )
        return None
    if number is not None and not all(_storable(n) for n in (number.value, number.sub)):
        result.issues.append(
            issue(
                level,
                grid.sheet.name,
                r + 1,
                c,
                f"{what}「{_short(text)}」超出范围（最大 {MAX_INTEGER_DIGITS} 位整数、"
                f"{MAX_PLACES} 位小数）。",
            )
        )
        return None
    if number is not None and (number.value < 0 or (number.sub is not None and number.sub < 0)):
        result.issues.append(
            issue(level, grid.sheet.name, r + 1, c, f"{what}「{_short(text)}」不能为负数。")
        )
        return None
    return number


def _storable(n: Decimal | None) -> bool:
    if n is None:
        return True
    exponent = n.as_tuple().exponent
    if type(exponent) is int and exponent >= -MAX_PLACES and -_LARGEST < n < _LARGEST:
        return True  # the common case, without normalizing
    exponent = n.normalize().as_tuple().exponent
    return abs(n) < Decimal(10) ** MAX_INTEGER_DIGITS and (
        not isinstance(exponent, int) or exponent >= -MAX_PLACES
    )


def _add_indicator(result: ParsedSheet, split: IndicatorName, place: Place) -> IndicatorHead | None:
    head = IndicatorHead(split.name, split.measure, split.sub_label, place)
    if not head.key:
        return None
    existing = result.indicators.get(head.key)
    if existing is not None:
        result.issues.append(
            Problem(
                ERROR, place=place, text=f"指标「{head.name}」重复出现（另见{existing.place}）。"
            )
        )
        return None
    result.indicators[head.key] = head
    return head


def _with_percent(head: IndicatorHead, number: CellNumber, place: Place, result) -> bool:
    if not number.percent:
        return True
    if head.measure in ("", "%"):
        head.measure = "%"
        return True
    result.issues.append(
        Problem(
            ERROR,
            place=place,
            text=f"「{plain(number.value)}%」是百分数，但指标「{head.name}」的单位是「{head.measure}」。",
        )
    )
    return False


# --- units as rows ----------------------------------------------------------------------


def _read_rows(grid: _Grid, parts, body, is_unit, result: ParsedSheet) -> None:
    sheet = grid.sheet.name
    label = _label_col(grid, parts, body)
    if label is None:
        result.issues.append(issue(ERROR, sheet, None, None, "找不到写有单位名称的列。"))
        return
    serial = _serial_cols(parts)
    mains: list[tuple[int, IndicatorHead, int | None]] = []  # (col, head, sub col)
    for c in range(label + 1, grid.width):
        if c in serial or (parts[c] and normalize_name(parts[c][-1]) in IGNORED_HEADERS):
            continue
        if not any(grid.number_like(r, c) for r in body):
            if parts[c] and any(grid.text(r, c) for r in body):
                result.issues.append(
                    issue(NOTE, sheet, None, c, f"「{_short(parts[c][-1])}」列不是数值，已忽略。")
                )
            continue
        header_place = where(sheet, None, c)
        if not parts[c]:
            result.issues.append(
                Problem(ERROR, place=header_place, text="有数值，但没有列名（指标名称）。")
            )
            continue
        if is_sub_label(parts[c][-1]):
            if not mains or mains[-1][2] is not None:
                result.issues.append(
                    Problem(
                        ERROR,
                        place=header_place,
                        text=f"「{parts[c][-1]}」前面没有它所属的指标列。",
                    )
                )
                continue
            col, head, _sub = mains[-1]
            sub_label, _measure = sub_label_for(parts[c][-1], IndicatorName(head.name, "", ""))
            head.sub_label = head.sub_label or sub_label
            mains[-1] = (col, head, c)
            continue
        head = _add_indicator(result, split_indicator(" / ".join(parts[c])), header_place)
        if head is not None:
            mains.append((c, head, None))
    if not mains:
        result.issues.append(issue(ERROR, sheet, None, None, "没有找到数值列（各项指标）。"))
        return
    value_cols = [c for c, _h, s in mains] + [s for _c, _h, s in mains if s is not None]
    for r in body:
        name = grid.text(r, label)
        total = any(is_total_label(grid.text(r, c)) for c in range(label + 1))
        has_number = grid.row_has_number(r, value_cols)
        if not total and not has_number and not (name and is_unit(name)):
            if name:
                result.issues.append(
                    issue(NOTE, sheet, r + 1, label, f"「{_short(name)}」没有目标值，已跳过。")
                )
            continue
        if not total and not clean_label(name):
            result.issues.append(issue(ERROR, sheet, r + 1, label, "有目标值，但没有单位名称。"))
            continue
        unit_name, unit_place = clean_label(name), grid.place(r, label)
        for c, head, sub_col in mains:
            _take(grid, r, c, sub_col, head, total, unit_name, unit_place, result)


def _take(grid, r, c, sub_col, head, total, unit_name, unit_place, result) -> None:
    what = "合计（未核对）" if total else "目标值"
    level = WARNING if total else ERROR
    number = _parse(grid, r, c, what, result, level)
    sub_what = f"「{head.sub_label or '其中'}」数"
    sub_number = _parse(grid, r, sub_col, sub_what, result, level) if sub_col is not None else None
    place = grid.place(r, c)
    if sub_number is not None:
        if number is not None and number.sub is not None:
            result.issues.append(
                Problem(ERROR, place=place, text="其中数既写在括号里，又单独成列，只能写一处。")
            )
            return
        if number is None:
            if total:
                return
            result.issues.append(
                Problem(
                    ERROR,
                    place=grid.place(r, sub_col),
                    text=f"有「{head.sub_label or '其中'}」数，但没有目标值。",
                )
            )
            return
        number = CellNumber(number.value, sub_number.value, number.percent)
    if number is None:
        return
    if not _with_percent(head, number, place, result):
        return
    if total:
        result.totals.append(StatedTotal(head.key, number.value, number.sub, place))
    else:
        result.values.append(
            Value(unit_name, unit_place, head.key, number.value, number.sub, place, r + 1)
        )


# --- units as columns -------------------------------------------------------------------


def _read_columns(grid: _Grid, parts, body, result: ParsedSheet) -> None:
    sheet = grid.sheet.name
    unit_cols: dict[int, str] = {}
    total_cols: list[int] = []
    for c in range(grid.width):
        col = parts[c]
        if any(is_total_label(p) for p in col):
            total_cols.append(c)
        elif header_word_in(col[-1:], IGNORED_HEADERS) or header_word_in(col, SERIAL_HEADERS):
            continue
        elif any(grid.number_like(r, c) for r in body):
            if col:
                unit_cols[c] = col[-1]
            else:
                result.issues.append(
                    issue(ERROR, sheet, None, c, "有数值，但没有列名（单位名称）。")
                )
    first_data_col = min([*unit_cols, *total_cols], default=None)
    if first_data_col is None or not unit_cols:
        result.issues.append(issue(ERROR, sheet, None, None, "没有找到写有单位名称的表头列。"))
        return
    label_cols = [
        c for c in range(first_data_col)
        if not header_word_in(parts[c], SERIAL_HEADERS) and not header_word_in(parts[c][-1:], IGNORED_HEADERS)
    ]  # fmt: skip
    named = [c for c in label_cols if header_word_in(parts[c], ("指标",))]
    name_cols = named or label_cols
    header_row = _unit_header_row(grid, unit_cols)
    unit_places = {c: grid.place(header_row, c) for c in unit_cols}
    value_cols = list(unit_cols) + total_cols
    previous: IndicatorHead | None = None
    previous_row = None
    for r in body:
        label_parts: list[str] = []
        for c in name_cols:
            text = clean_label(grid.text(r, c))
            if text and text not in label_parts:
                label_parts.append(text)
        has_number = grid.row_has_number(r, value_cols)
        label_place = grid.place(r, name_cols[0] if name_cols else 0)
        if not has_number:
            if label_parts:
                result.issues.append(
                    Problem(
                        NOTE,
                        place=label_place,
                        text=f"「{_short(' / '.join(label_parts))}」没有数值目标，已跳过。",
                    )
                )
            continue
        if not label_parts:
            result.issues.append(Problem(ERROR, place=label_place, text="有数值，但没有指标名称。"))
            continue
        if is_sub_label(label_parts[-1]):
            if previous is None or previous_row is None:
                result.issues.append(
                    Problem(
                        ERROR,
                        place=label_place,
                        text=f"「{label_parts[-1]}」前面没有它所属的指标行。",
                    )
                )
                continue
            sub_label, _m = sub_label_for(label_parts[-1], IndicatorName(previous.name, "", ""))
            previous.sub_label = previous.sub_label or sub_label
            _take_sub_row(grid, r, previous, previous_row, unit_cols, total_cols, result)
            previous, previous_row = None, None
            continue
        head = _add_indicator(result, split_indicator(" / ".join(label_parts)), label_place)
        if head is None:
            continue
        previous, previous_row = head, r
        for c in total_cols:
            _take(grid, r, c, None, head, True, "", "", result)
        for c, unit_name in unit_cols.items():
            _take(grid, r, c, None, head, False, clean_label(unit_name), unit_places[c], result)


def _unit_header_row(grid: _Grid, unit_cols) -> int:
    """The header row where the unit names stand (the lowest one holding any of them)."""
    best = 0
    for r in range(len(grid.rows)):
        if grid.row_has_number(r):
            break
        if any(grid.text(r, c) for c in unit_cols):
            best = r
    return best


def _take_sub_row(grid, r, head, main_row, unit_cols, total_cols, result) -> None:
    what = f"「{head.sub_label or '其中'}」数"
    by_place = {
        v.place: v for v in result.values if v.indicator == head.key and v.row == main_row + 1
    }
    totals = {t.place: t for t in result.totals if t.indicator == head.key}
    for c in list(unit_cols) + total_cols:
        number = _parse(grid, r, c, what, result)
        if number is None:
            continue
        main_place = grid.place(main_row, c)
        target = by_place.get(main_place) or totals.get(main_place)
        if target is None:
            result.issues.append(
                Problem(ERROR, place=grid.place(r, c), text=f"有{what}，但上一行没有目标值。")
            )
            continue
        if target.sub is not None:
            result.issues.append(
                Problem(
                    ERROR,
                    place=grid.place(r, c),
                    text="其中数既写在括号里，又单独成行，只能写一处。",
                )
            )
            continue
        target.sub = number.value


# --- totals -----------------------------------------------------------------------------


def _check_totals(result: ParsedSheet) -> None:
    sums: dict[str, list] = {}
    for v in result.values:
        acc = sums.setdefault(v.indicator, [Decimal(0), Decimal(0), False])
        acc[0] += v.target
        if v.sub is not None:
            acc[1] += v.sub
            acc[2] = True
    for total in result.totals:
        head = result.indicators[total.indicator]
        if head.measure == "%":
            result.issues.append(
                Problem(
                    NOTE,
                    place=total.place,
                    text=f"指标「{head.name}」是百分数，合计不按各单位相加核对。",
                )
            )
            continue
        computed, sub_sum, has_sub = sums.get(total.indicator, [Decimal(0), Decimal(0), False])
        if total.value is not None and total.value != computed:
            result.issues.append(
                Problem(
                    WARNING,
                    place=total.place,
                    text=f"指标「{head.name}」的合计为 {plain(total.value)}，"
                    f"各单位之和为 {plain(computed)}，两者不一致。",
                )
            )
        if total.sub is not None and (not has_sub or total.sub != sub_sum):
            label = head.sub_label or "其中"
            result.issues.append(
                Problem(
                    WARNING,
                    place=total.place,
                    text=f"指标「{head.name}」{label}的合计为 {plain(total.sub)}，"
                    f"各单位之和为 {plain(sub_sum)}，两者不一致。",
                )
            )
