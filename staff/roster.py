"""The coordinator roster (协理员花名册) as a spreadsheet: read, check, plan; and write.

Phase one (``parse_roster``) reads every row of every sheet that has the roster header,
checks every cell and collects every problem with its place 「第 5 行 H 列「淹城社」：…」
(the shared pipeline ``kit.imports``: the columns below clean each cell);
it also works out, row by row, whether the row is a new coordinator, a change to one, or
nothing new. Phase two (``services.roster_import``) writes the plan in one transaction,
and only when phase one found no error.

A row is the same person as a stored coordinator when the name and the work unit are the
same (a coordinator who has left is never updated: a new record is made). An empty cell
leaves the stored value as it is; values are changed on the coordinator's page.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from kit.imports import (
    CellError,
    Column,
    Place,
    Plan,
    TableFileError,
    clean_row,
    find_header,
    read_table_file,
    squeeze,
    table_limits,
)
from kit.spreadsheets import put_row
from org.naming import normalize_name
from staff.models import Coordinator


class RosterColumn(Column):
    kind = "text"  # text | gender | month | date | unit

    @property
    def field(self) -> str:
        return self.key


class TextColumn(RosterColumn):
    max_length: int | None = None

    def clean(self, raw: str, values: dict):
        raw = super().clean(raw, values)
        if self.max_length and len(raw) > self.max_length:
            raise CellError(f"超过 {self.max_length} 个字")
        return raw


class NameColumn(TextColumn):
    required = True

    def clean(self, raw: str, values: dict):
        if raw:
            raw = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw))
        return super().clean(raw, values)


class GenderColumn(RosterColumn):
    kind = "gender"

    def clean(self, raw: str, values: dict):
        gender = {"男": "男", "男性": "男", "女": "女", "女性": "女"}.get(raw.replace(" ", ""))
        if gender is None:
            raise CellError("性别应填写「男」或「女」")
        return gender


class DateColumn(RosterColumn):
    kind = "month"  # "month": a month is enough; "date": to the day

    def clean(self, raw: str, values: dict):
        try:
            return parse_date(raw, need_day=self.kind == "date")
        except DateProblem as exc:
            raise CellError(f"「{self.header}」{exc}") from None


class UnitColumn(RosterColumn):
    """The community or village, found by the name matcher among the units the person
    may write to (``bound`` to a matcher for one parse)."""

    kind = "unit"
    required = True
    matcher = None

    def bound(self, matcher) -> "UnitColumn":
        return UnitColumn(self.key, self.header, self.aliases, matcher=matcher)

    def clean(self, raw: str, values: dict):
        super().clean(raw, values)
        result = self.matcher.match(raw)
        if result.found:
            return result.key
        if result.ambiguous:
            names = "、".join(
                f"{u.parent.name if u.parent else ''}{u.name}" for u in result.ambiguous
            )
            raise CellError(f"同时符合多个社区（村）：{names}；请写全称")
        hint = "；最接近的是：" + "、".join(result.suggestions) if result.suggestions else ""
        raise CellError(f"没有找到这个社区（村），或它不属于您负责的镇（街道）{hint}")


COLUMNS = (
    NameColumn("name", "姓名", ("协理员姓名",), max_length=50),
    GenderColumn("gender", "性别"),
    DateColumn("birth_month", "出生年月", ("出生日期", "出生年月日")),
    TextColumn("political_status", "政治面貌", max_length=30),
    TextColumn("education", "文化程度", ("学历", "文化程度（学历）"), max_length=30),
    TextColumn("position", "职务", ("工作岗位", "岗位"), max_length=50),
    TextColumn("phone", "联系方式", ("联系电话", "手机号码", "手机", "电话"), max_length=30),
    UnitColumn("unit", "工作单位", ("村（社区）名称", "所在村（社区）", "村（社区）", "所在单位")),
    DateColumn("joined_on", "进本系统时间", ("入职时间", "进入本系统时间")),
    TextColumn(
        "certificate_no",
        "证书编号",
        ("协理员职业资格证书编号", "资格证书编号"),
        max_length=50,
    ),
    DateColumn("certificate_date", "发证日期", ("发证时间",)),
    DateColumn("contract_start", "合同开始", ("合同开始日期", "合同起始日期"), kind="date"),
    DateColumn("contract_end", "合同结束", ("合同结束日期", "合同终止日期"), kind="date"),
)
HEADERS = tuple(c.header for c in COLUMNS)
LABELS = {c.field: c.header for c in COLUMNS}
REQUIRED = ("name", "unit")
HEADER_SCAN_ROWS = 15


def _key(text: str) -> str:
    text = normalize_name(text).replace("(", "").replace(")", "")
    return text.replace("（", "").replace("）", "").replace("*", "").replace("★", "")


# --- dates ---------------------------------------------------------------------------


class DateProblem(ValueError):
    pass


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?$")
_YMD = re.compile(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?$")
_YM = re.compile(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*月?$")
_DIGITS = re.compile(r"^\d+$")


def parse_date(text: str, *, need_day: bool) -> date | None:
    """A date as people type it: 1985-03-01, 1985.3.1, 1985年3月1日, 19850301, an Excel
    serial number; with need_day False also a month (1985.03, 1985年3月, 198503), stored as
    the 1st. Raises DateProblem with the reason in Chinese."""
    raw = unicodedata.normalize("NFKC", text or "").strip()
    if raw in ("", "-", "—", "/", "无"):
        return None
    m = _ISO.match(raw) or _YMD.match(raw)
    if m:
        return _make(int(m[1]), int(m[2]), int(m[3]))
    m = _YM.match(raw)
    if m:
        year, month_text = int(m[1]), m[2]
        if "." in raw and "年" not in raw and month_text == "1" and raw.endswith(".1"):
            raise DateProblem(
                f"「{raw}」可能是 {year} 年 1 月，也可能是 Excel 把「{year}.10」当成数字后丢了末尾的 0"
                f"（{year} 年 10 月）；请写成「{year}年1月」或「{year}年10月」"
            )
        if need_day:
            raise DateProblem(
                f"「{raw}」只有年月，这一列要写到日，如「{year}-{int(month_text):02d}-01」"
            )
        return _make(year, int(month_text), 1)
    if _DIGITS.match(raw):
        if len(raw) == 8:
            return _make(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
        if len(raw) == 6 and not need_day:
            return _make(int(raw[:4]), int(raw[4:]), 1)
        if len(raw) == 5 and 10000 <= int(raw) <= 73000:
            # An Excel date stored as a bare number (days since 1899-12-30).
            return date.fromordinal(date(1899, 12, 30).toordinal() + int(raw))
    example = "1985-03-01" if need_day else "1985-03 或 1985年3月"
    raise DateProblem(f"「{raw}」不是日期，请写成 {example}")


def _make(year: int, month: int, day: int) -> date:
    if not 1900 <= year <= 2100:
        raise DateProblem(f"年份 {year} 不合理")
    if not 1 <= month <= 12:
        raise DateProblem(f"月份 {month} 不对（应为 1–12）")
    try:
        return date(year, month, day)
    except ValueError:
        raise DateProblem(f"{year} 年 {month} 月没有 {day} 日") from None


# --- the plan ------------------------------------------------------------------------


@dataclass
class RowPlan:
    sheet: str
    row: int  # as Excel shows it
    values: dict  # field → value (None: cell empty, leave as is)
    unit: object = None
    coordinator: Coordinator | None = None  # the stored person this row updates
    changes: list = field(default_factory=list)  # (label, old text, new text)
    created: Coordinator | None = None  # set when the import made a new record

    @property
    def action(self) -> str:
        if self.coordinator is None:
            return "new"
        return "changed" if self.changes else "unchanged"

    @property
    def name(self) -> str:
        return self.values.get("name") or ""

    def fingerprint(self) -> tuple:
        return (
            self.sheet,
            self.row,
            self.action,
            self.coordinator and self.coordinator.pk,
            self.changes,
        )


@dataclass
class RosterPlan(Plan):
    stale: bool = False  # set by the confirm step when the plan is not the one previewed

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def new(self) -> list:
        return [r for r in self.rows if r.action == "new"]

    @property
    def changed(self) -> list:
        return [r for r in self.rows if r.action == "changed"]

    def summary(self) -> str:
        return (
            f"新增 {self.count('new')} 人，更新 {self.count('changed')} 人，"
            f"无变化 {self.count('unchanged')} 人"
        )


def show(value) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def parse_roster(data: bytes, filename: str, *, units) -> RosterPlan:
    """Phase one. ``units``: a queryset of the communities and villages this person may
    write to; a name outside it is reported with the closest names inside it."""
    from targets.selectors import unit_matcher

    plan = RosterPlan()
    try:
        sheets = read_table_file(data, filename, limits=table_limits())
    except TableFileError as exc:
        plan.error(exc.message)
        return plan
    matcher = unit_matcher(units)
    columns = [c.bound(matcher) if isinstance(c, UnitColumn) else c for c in COLUMNS]
    found_header = False
    many = len(sheets) > 1
    seen: dict = {}
    for sheet in sheets:
        header_row, where = find_header(
            sheet.rows, COLUMNS, required=REQUIRED, normalize=_key, scan=HEADER_SCAN_ROWS
        )
        if header_row is None:
            continue
        found_header = True
        shown_sheet = sheet.name if many else None
        for index in range(header_row + 1, len(sheet.rows)):
            cells = sheet.rows[index]
            if not any(str(c).strip() for c in cells):
                continue
            place = Place(shown_sheet, index + 1)
            row_plan = _parse_row(plan, columns, cells, where, sheet.name, place)
            if row_plan is None:
                continue
            key = (normalize_name(row_plan.name), row_plan.unit.pk)
            if key in seen:
                first = seen[key]
                plan.error(
                    f"与{'' if first[0] == sheet.name else '工作表「' + first[0] + '」'}"
                    f"第 {first[1]} 行重复（同一{row_plan.unit.get_kind_display()}的同一人），"
                    "请删去其中一行",
                    Place(shown_sheet, index + 1, where["name"]),
                    row_plan.name,
                )
                continue
            seen[key] = (sheet.name, index + 1)
            plan.rows.append(row_plan)
    if not found_header:
        plan.error(
            "没有找到表头行：表格的前 15 行中应有一行包含「姓名」和「工作单位」两列"
            f"（完整的列为：{' '.join(HEADERS)}）。"
        )
        return plan
    if not plan.rows and plan.ok:
        plan.error("表格中没有协理员数据行。")
    if not plan.ok:
        return plan
    _match_existing(plan)
    return plan


def _parse_row(plan, columns, cells, where, sheet_name, place):
    cell_texts = {
        key: (col, squeeze(cells[col]) if col < len(cells) else "") for key, col in where.items()
    }
    values: dict = {}
    ok = clean_row(plan, columns, cell_texts, place, values)
    unit = values.pop("unit", None)

    def problem(key, text, message):
        plan.error(message, Place(place.sheet, place.row, where[key]), text)

    start, end = values.get("contract_start"), values.get("contract_end")
    if ok and start and end and end < start:
        problem(
            "contract_end", end.isoformat(), f"合同结束日期早于合同开始日期（{start.isoformat()}）"
        )
        ok = False
    birth = values.get("birth_month")
    if ok and birth and birth > timezone.localdate():
        problem("birth_month", birth.isoformat(), "出生年月晚于今天")
        ok = False
    if not ok or unit is None:
        return None
    return RowPlan(sheet=sheet_name, row=place.row, values=values, unit=unit)


def _match_existing(plan: RosterPlan) -> None:
    unit_ids = {r.unit.pk for r in plan.rows}
    existing: dict = {}
    holders: dict = {}
    for c in Coordinator.objects.filter(unit_id__in=unit_ids).exclude(state=Coordinator.State.LEFT):
        existing.setdefault((normalize_name(c.name), c.unit_id), []).append(c)
        holders.setdefault(c.unit_id, []).append(c)
    for r in plan.rows:
        matches = existing.get((normalize_name(r.name), r.unit.pk), [])
        if len(matches) > 1:
            plan.error(
                f"系统中{r.unit.name}有 {len(matches)} 名在职的「{r.name}」，"
                "无法判断更新哪一位，请先在协理员页面上处理",
                Place(row=r.row),
                r.name,
            )
            continue
        if matches:
            r.coordinator = matches[0]
            for column in COLUMNS:
                if column.field in ("name", "unit"):
                    continue
                new = r.values.get(column.field)
                if new is None:
                    continue
                old = getattr(r.coordinator, column.field)
                if old != new:
                    r.changes.append((column.header, show(old), show(new)))
        else:
            others = [c.name for c in holders.get(r.unit.pk, [])]
            if others:
                plan.warning(
                    f"{r.unit.name}已有在职协理员 {'、'.join(others)}，"
                    f"导入后该{r.unit.get_kind_display()}将有 {len(others) + 1} 名在职协理员",
                    Place(row=r.row),
                    r.name,
                )


# --- export --------------------------------------------------------------------------

MONTH_FIELDS = {c.field for c in COLUMNS if c.kind == "month"}
DATE_FIELDS = {c.field for c in COLUMNS if c.kind == "date"}


def roster_workbook(coordinators) -> bytes:
    """The roster as .xlsx, in the import's columns (plus town and state, which the import
    ignores), so an exported file can be edited and imported again."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "协理员花名册"
    headers = [*HEADERS, "所属镇（街道）", "状态"]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for c in coordinators:
        row = []
        for column in COLUMNS:
            if column.field == "unit":
                row.append(c.unit.name)
                continue
            value = getattr(c, column.field)
            row.append(value if value not in (None, "") else None)
        row += [c.unit.parent.name if c.unit.parent else "", c.get_state_display()]
        excel_row = sheet.max_row + 1
        put_row(sheet, excel_row, row)
        for index, column in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=excel_row, column=index)
            if column.field in MONTH_FIELDS and cell.value is not None:
                cell.number_format = "yyyy-mm"
                cell.value = datetime(cell.value.year, cell.value.month, cell.value.day)
            elif column.field in DATE_FIELDS and cell.value is not None:
                cell.number_format = "yyyy-mm-dd"
                cell.value = datetime(cell.value.year, cell.value.month, cell.value.day)
            elif cell.value is not None:
                cell.number_format = "@"
    widths = [10, 6, 10, 10, 10, 12, 14, 16, 12, 18, 11, 12, 12, 12, 8]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
