"""The coordinator roster (协理员花名册) as a spreadsheet: read, check, plan; and write.

Phase one (``parse_roster``) reads every row of every sheet that has the roster header,
checks every cell and collects every problem with its place 「第 5 行 H 列「淹城社」：…」;
it also works out, row by row, whether the row is a new coordinator, a change to one, or
nothing new. Phase two (``services.roster_import``) writes the plan in one transaction,
and only when phase one found no error.

A row is the same person as a stored coordinator when the name and the work unit are the
same (a coordinator who has left is never updated: a new record is made). An empty cell
leaves the stored value as it is; values are changed on the coordinator's page.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from org.naming import normalize_name
from staff.models import Coordinator
from targets.tables import TableFileError, col_letter, read_table_file


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    aliases: tuple = ()
    kind: str = "text"  # text | gender | month | date | unit

    @property
    def names(self) -> tuple:
        return (self.header, *self.aliases)


COLUMNS = (
    Column("name", "姓名", ("协理员姓名",)),
    Column("gender", "性别", (), "gender"),
    Column("birth_month", "出生年月", ("出生日期", "出生年月日"), "month"),
    Column("political_status", "政治面貌"),
    Column("education", "文化程度", ("学历", "文化程度（学历）")),
    Column("position", "职务", ("工作岗位", "岗位")),
    Column("phone", "联系方式", ("联系电话", "手机号码", "手机", "电话")),
    Column(
        "unit", "工作单位", ("村（社区）名称", "所在村（社区）", "村（社区）", "所在单位"), "unit"
    ),
    Column("joined_on", "进本系统时间", ("入职时间", "进入本系统时间"), "month"),
    Column("certificate_no", "证书编号", ("协理员职业资格证书编号", "资格证书编号")),
    Column("certificate_date", "发证日期", ("发证时间",), "month"),
    Column("contract_start", "合同开始", ("合同开始日期", "合同起始日期"), "date"),
    Column("contract_end", "合同结束", ("合同结束日期", "合同终止日期"), "date"),
)
HEADERS = tuple(c.header for c in COLUMNS)
LABELS = {c.field: c.header for c in COLUMNS}
REQUIRED = ("name", "unit")
HEADER_SCAN_ROWS = 15
MAX_TEXT = {
    "name": 50,
    "political_status": 30,
    "education": 30,
    "position": 50,
    "phone": 30,
    "certificate_no": 50,
}


def _key(text: str) -> str:
    text = normalize_name(text).replace("(", "").replace(")", "")
    return text.replace("（", "").replace("）", "").replace("*", "").replace("★", "")


_HEADER_INDEX = {_key(name): column for column in COLUMNS for name in column.names}


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


@dataclass
class RosterPlan:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def new(self) -> list:
        return [r for r in self.rows if r.action == "new"]

    @property
    def changed(self) -> list:
        return [r for r in self.rows if r.action == "changed"]

    def fingerprint(self) -> str:
        """Identifies what confirming would write, so a changed database is noticed."""
        digest = hashlib.sha256()
        for r in self.rows:
            digest.update(
                repr(
                    (r.sheet, r.row, r.action, r.coordinator and r.coordinator.pk, r.changes)
                ).encode()
            )
        return digest.hexdigest()[:16]

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
        sheets = read_table_file(data, filename)
    except TableFileError as exc:
        plan.errors.append(exc.message)
        return plan
    matcher = unit_matcher(units)
    found_header = False
    many = len(sheets) > 1
    seen: dict = {}
    for sheet in sheets:
        header_row, columns = _find_header(sheet.rows)
        if header_row is None:
            continue
        found_header = True
        prefix = f"工作表「{sheet.name}」" if many else ""
        for index in range(header_row + 1, len(sheet.rows)):
            cells = sheet.rows[index]
            if not any(str(c).strip() for c in cells):
                continue
            row_plan = _parse_row(plan, prefix, sheet.name, index + 1, cells, columns, matcher)
            if row_plan is None:
                continue
            key = (normalize_name(row_plan.name), row_plan.unit.pk)
            if key in seen:
                first = seen[key]
                col = col_letter(columns["name"])
                plan.errors.append(
                    f"{prefix}第 {index + 1} 行 {col} 列「{row_plan.name}」：与"
                    f"{'' if first[0] == sheet.name else '工作表「' + first[0] + '」'}"
                    f"第 {first[1]} 行重复（同一{row_plan.unit.get_kind_display()}的同一人），"
                    "请删去其中一行"
                )
                continue
            seen[key] = (sheet.name, index + 1)
            plan.rows.append(row_plan)
    if not found_header:
        plan.errors.append(
            "没有找到表头行：表格的前 15 行中应有一行包含「姓名」和「工作单位」两列"
            f"（完整的列为：{' '.join(HEADERS)}）。"
        )
        return plan
    if not plan.rows and not plan.errors:
        plan.errors.append("表格中没有协理员数据行。")
    if plan.errors:
        return plan
    _match_existing(plan)
    return plan


def _find_header(rows):
    for index, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns = {}
        for col, text in enumerate(cells):
            column = _HEADER_INDEX.get(_key(str(text)))
            if column is not None and column.field not in columns:
                columns[column.field] = col
        if all(f in columns for f in REQUIRED):
            return index, columns
    return None, {}


def _parse_row(plan, prefix, sheet_name, row_no, cells, columns, matcher):
    values: dict = {}
    unit = None
    ok = True

    def problem(field_name, text, message):
        nonlocal ok
        ok = False
        col = col_letter(columns[field_name])
        shown = f"「{text}」" if text else ""
        plan.errors.append(f"{prefix}第 {row_no} 行 {col} 列{shown}：{message}")

    for column in COLUMNS:
        if column.field not in columns:
            continue
        col = columns[column.field]
        text = str(cells[col]).strip() if col < len(cells) else ""
        text = re.sub(r"\s+", " ", text)
        if column.field in REQUIRED and not text:
            problem(column.field, "", f"「{column.header}」不能为空")
            continue
        if not text:
            values[column.field] = None
            continue
        if column.kind == "text":
            if column.field == "name":
                text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
            limit = MAX_TEXT.get(column.field)
            if limit and len(text) > limit:
                problem(column.field, text, f"超过 {limit} 个字")
                continue
            values[column.field] = text
        elif column.kind == "gender":
            gender = {"男": "男", "男性": "男", "女": "女", "女性": "女"}.get(text.replace(" ", ""))
            if gender is None:
                problem(column.field, text, "性别应填写「男」或「女」")
                continue
            values[column.field] = gender
        elif column.kind in ("month", "date"):
            try:
                values[column.field] = parse_date(text, need_day=column.kind == "date")
            except DateProblem as exc:
                problem(column.field, text, f"「{column.header}」{exc}")
        elif column.kind == "unit":
            result = matcher.match(text)
            if result.found:
                unit = result.key
                continue
            if result.ambiguous:
                names = "、".join(
                    f"{u.parent.name if u.parent else ''}{u.name}" for u in result.ambiguous
                )
                problem(column.field, text, f"同时符合多个社区（村）：{names}；请写全称")
            else:
                hint = ""
                if result.suggestions:
                    hint = "；最接近的是：" + "、".join(result.suggestions)
                problem(
                    column.field,
                    text,
                    f"没有找到这个社区（村），或它不属于您负责的镇（街道）{hint}",
                )
    start, end = values.get("contract_start"), values.get("contract_end")
    if ok and start and end and end < start:
        problem(
            "contract_end", end.isoformat(), f"合同结束日期早于合同开始日期（{start.isoformat()}）"
        )
    birth = values.get("birth_month")
    if ok and birth and birth > timezone.localdate():
        problem("birth_month", birth.isoformat(), "出生年月晚于今天")
    if not ok or unit is None:
        return None
    return RowPlan(sheet=sheet_name, row=row_no, values=values, unit=unit)


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
            plan.errors.append(
                f"第 {r.row} 行「{r.name}」：系统中{r.unit.name}有 {len(matches)} 名在职的「{r.name}」，"
                "无法判断更新哪一位，请先在协理员页面上处理"
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
                plan.warnings.append(
                    f"第 {r.row} 行「{r.name}」：{r.unit.name}已有在职协理员 {'、'.join(others)}，"
                    f"导入后该{r.unit.get_kind_display()}将有 {len(others) + 1} 名在职协理员"
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
        sheet.append(row)
        excel_row = sheet.max_row
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
