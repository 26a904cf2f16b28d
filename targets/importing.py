"""Import of target tables (目标任务) and actuals (完成数) in two phases.

Phase 1, ``preview_import``: read and check everything, write nothing. Unit names go
through the one name matcher; every problem is collected with its place. The preview
lists every value as new, changed (old → new) or unchanged, and the warnings.
Phase 2, ``commit_import``: refuse if phase 1 found any error, or if the plan is no longer
the one previewed (its fingerprint, kept with the pending upload, differs: the file or the
database changed since); otherwise write all values in one transaction with bulk inserts
and updates, and record the batch and every change (old → new) for the audit history.
Any failure rolls everything back.

The reading and the problems are the shared pipeline's (``kit.imports``); the office
layouts are found by ``targets.tables``.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from kit.formatting import exact
from kit.imports import Place, Plan, table_limits
from org.models import Unit
from org.naming import normalize_name
from targets.bulk import insert_rows, update_rows
from targets.models import Achievement, ImportBatch, ImportChange, Indicator, TargetAllocation
from targets.selectors import unit_matcher
from targets.tables import (
    IndicatorHead,
    TableFileError,
    parse_sheet,
    plain,
    read_table_file,
)
from targets.tables.labels import clean_label

TARGETS = ImportBatch.Kind.TARGETS
ACTUALS = ImportBatch.Kind.ACTUALS
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_UNZIPPED = 200 * 1024 * 1024

MIN_YEAR, MAX_YEAR = 1990, 2100
NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
ACTION_LABELS = {NEW: "新增", CHANGED: "修改", UNCHANGED: "未变"}


def max_upload_bytes() -> int:
    return int(getattr(settings, "TARGET_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_unzipped_bytes() -> int:
    return int(getattr(settings, "TARGET_IMPORT_MAX_UNZIPPED_BYTES", DEFAULT_MAX_UNZIPPED))


@dataclass
class NewUnit:
    name: str
    parent: Unit
    kind: str
    place: str


@dataclass
class PlannedRow:
    unit: object  # Unit, or NewUnit until phase 2 creates it
    indicator: str  # normalized indicator name
    new_value: Decimal
    new_sub: Decimal | None
    place: str
    action: str = NEW
    old_value: Decimal | None = None
    old_sub: Decimal | None = None
    indicator_name: str = ""

    @property
    def unit_name(self) -> str:
        return self.unit.name

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]

    def fingerprint(self) -> tuple:
        unit = self.unit
        who = unit.pk if isinstance(unit, Unit) else ("new", unit.name, unit.parent.pk, unit.kind)
        return (
            who,
            self.indicator,
            self.action,
            self.new_value,
            self.new_sub,
            self.old_value,
            self.old_sub,
        )


@dataclass(kw_only=True)
class ImportPreview(Plan):
    file_name: str
    year: int
    mode: str
    sha256: str = ""
    sheets: dict = field(default_factory=dict)  # sheet name → orientation
    indicators: dict = field(default_factory=dict)  # key → IndicatorHead (file order)
    new_indicators: list = field(default_factory=list)
    new_units: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return super().ok and bool(self.rows)

    def fingerprint_parts(self):
        yield (self.sha256, self.year, self.mode, [h.name for h in self.new_indicators])
        yield from super().fingerprint_parts()

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def counts(self) -> dict:
        return {a: self.count(a) for a in (NEW, CHANGED, UNCHANGED)}

    def indicator_label(self, key: str) -> str:
        head = self.indicators.get(key)
        return head.name if head else key


class ImportRefused(Exception):
    def __init__(self, errors):
        super().__init__("；".join(errors) or "没有可导入的数据。")
        self.errors = list(errors) or ["没有可导入的数据。"]


# --- phase 1 ----------------------------------------------------------------------------


def preview_import(
    *,
    data: bytes,
    file_name: str,
    year: int,
    mode: str = TARGETS,
    create_units: bool = False,
    orientation: str | None = None,
    sheet: str | None = None,
) -> ImportPreview:
    preview = ImportPreview(
        file_name=file_name, year=year, mode=mode, sha256=hashlib.sha256(data).hexdigest()
    )
    if not MIN_YEAR <= year <= MAX_YEAR:
        preview.error(f"年度「{year}」不对：应在 {MIN_YEAR} 至 {MAX_YEAR} 之间。")
        return preview
    try:
        sheets = read_table_file(
            data,
            file_name,
            max_bytes=max_upload_bytes(),
            max_unzipped=max_unzipped_bytes(),
            limits=table_limits(),
        )
    except TableFileError as exc:
        preview.error(exc.message)
        return preview
    sheets = _choose_sheets(sheets, sheet, preview)
    matcher = unit_matcher()
    matches: dict = {}

    def match(name):
        found = matches.get(name)
        if found is None:
            found = matches[name] = matcher.match(name)
        return found

    parsed = []
    for s in sheets:
        result = parse_sheet(s, is_unit=lambda n: match(n).found, orientation=orientation)
        if not result.has_data and sheet is None and len(sheets) > 1:
            preview.note("没有数值，已跳过。", Place(s.name))
            continue
        parsed.append(result)
        preview.sheets[s.name] = result.orientation
        preview.problems.extend(result.issues)
    if not parsed and not preview.errors:
        preview.error(f"文件「{file_name}」中没有可导入的表格。")
    _plan_indicators(parsed, preview)
    _plan_rows(parsed, preview, match, create_units)
    if not preview.rows and not preview.errors:
        preview.error(f"文件「{file_name}」中没有找到任何目标值。")
    return preview


def preview_pending(data: bytes, meta: dict) -> ImportPreview:
    """The preview of a stored upload (``kit.imports.uploads``) with the options it was
    uploaded with: what the preview page shows and what the confirm step re-checks."""
    options = meta["options"]
    return preview_import(
        data=data,
        file_name=meta["file_name"],
        year=options["year"],
        mode=options["mode"],
        create_units=options["create_units"],
        orientation=options["orientation"],
        sheet=options["sheet"],
    )


def pending_as_of(meta: dict) -> date | None:
    as_of = meta["options"].get("as_of")
    return date.fromisoformat(as_of) if as_of else None


def imported_summary(preview: ImportPreview, batch: ImportBatch) -> str:
    """「已导入 5,000 个单位的 50,000 个目标值（新增 50,000，修改 0）。」: the units and
    values of the file, and what the batch wrote of them."""
    what = "完成值" if batch.kind == ACTUALS else "目标值"
    units = len({r.unit.pk if isinstance(r.unit, Unit) else id(r.unit) for r in preview.rows})
    total = len(preview.rows)
    counts = f"新增 {batch.new_count:,}，修改 {batch.changed_count:,}"
    if batch.unchanged_count:
        counts += f"，未变 {batch.unchanged_count:,}"
    return f"已导入 {units:,} 个单位的 {total:,} 个{what}（{counts}）。"


def _choose_sheets(sheets, wanted, preview):
    if wanted is None:
        return sheets
    chosen = [s for s in sheets if normalize_name(s.name) == normalize_name(wanted)]
    if not chosen:
        names = "、".join(f"「{s.name}」" for s in sheets)
        preview.error(f"文件中没有名为「{wanted}」的工作表；现有：{names}。")
    return chosen


def _plan_indicators(parsed, preview: ImportPreview) -> None:
    for result in parsed:
        for key, head in result.indicators.items():
            preview.indicators.setdefault(key, head)
    existing = {
        i.normalized_name: i
        for i in Indicator.objects.filter(normalized_name__in=list(preview.indicators))
    }
    name_limit = Indicator._meta.get_field("name").max_length
    for key, head in preview.indicators.items():
        known = existing.get(key)
        if known is None and len(head.name) > name_limit:
            preview.error(f"指标名称超过 {name_limit} 个字，请缩短。", head.place)
        elif known is None:
            if preview.mode == ACTUALS:
                preview.error(
                    f"指标「{head.name}」在系统中还没有，请先导入该指标的目标任务。", head.place
                )
            else:
                preview.new_indicators.append(head)
        elif head.measure and known.measure and head.measure != known.measure:
            preview.warning(
                f"指标「{head.name}」在系统中的计量单位是「{known.measure}」，"
                f"表中是「{head.measure}」；保留系统中的「{known.measure}」。",
                head.place,
            )


def _plan_rows(parsed, preview: ImportPreview, match, create_units: bool) -> None:
    planned: dict = {}
    new_units: dict[str, NewUnit] = {}
    reported: set = set()  # a unit name standing once for several indicators: one message
    labels: dict = {}  # indicator key → its name, looked up once
    for result in parsed:
        parents = _parents_of_matched(result, match)
        for value in result.values:
            found = match(value.unit_name)
            if found.found:
                unit = found.key
            elif value.unit_place in reported:
                continue
            elif found.ambiguous:
                reported.add(value.unit_place)
                names = "、".join(_unit_path(u) for u in found.ambiguous)
                preview.error(
                    f"单位名称「{value.unit_name}」同时对应多个单位（{names}），"
                    "请写全称或在单位管理中调整别名。",
                    value.unit_place,
                )
                continue
            elif create_units:
                unit = _plan_new_unit(value, parents, new_units, preview)
                if unit is None:
                    reported.add(value.unit_place)
                    continue
            else:
                reported.add(value.unit_place)
                close = "、".join(f"「{n}」" for n in found.suggestions)
                hint = f"最接近的有：{close}。" if close else "系统中没有相近的名称。"
                preview.error(
                    f"单位「{value.unit_name}」不在系统中。{hint}"
                    "可在单位管理中为已有单位添加别名，或选择“创建新单位”后重新导入。",
                    value.unit_place,
                )
                continue
            key = (id(unit), value.indicator)
            earlier = planned.get(key)
            if earlier is not None:
                preview.error(
                    f"单位「{unit.name}」的「{preview.indicator_label(value.indicator)}」"
                    f"重复出现（另见{earlier.place}），同一单位只能有一个值。",
                    value.unit_place,
                )
                continue
            planned[key] = PlannedRow(
                unit,
                value.indicator,
                value.target,
                value.sub,
                value.place,
                indicator_name=labels.get(value.indicator)
                or labels.setdefault(value.indicator, preview.indicator_label(value.indicator)),
            )
    preview.new_units = list(new_units.values())
    preview.rows = list(planned.values())
    _compare_with_stored(preview)


def _compare_with_stored(preview: ImportPreview) -> dict:
    """Mark each row new, changed or unchanged against the database; what it holds."""
    stored = stored_values(preview.year, preview.mode, list(preview.indicators))
    for row in preview.rows:
        old = stored.get((getattr(row.unit, "pk", None), row.indicator))
        if old is None:
            row.action = NEW
            continue
        row.old_value, row.old_sub = old[1], old[2]
        same = old[1] == row.new_value and old[2] == row.new_sub
        row.action = UNCHANGED if same else CHANGED
    return stored


def stored_values(year: int, mode: str, keys: list[str]) -> dict:
    """(unit id, indicator key) → (row id, value, sub) of what the database holds now."""
    if mode == ACTUALS:
        qs = Achievement.objects.filter(year=year, indicator__normalized_name__in=keys)
        fields = ("pk", "unit_id", "indicator__normalized_name", "actual", "sub_actual")
    else:
        qs = TargetAllocation.objects.filter(year=year, indicator__normalized_name__in=keys)
        fields = ("pk", "unit_id", "indicator__normalized_name", "target", "sub_target")
    # Stored with four places; compared by value (1260.0000 == 1260).
    return {(u, k): (pk, exact(v), exact(s)) for pk, u, k, v, s in qs.values_list(*fields)}


def _unit_path(unit: Unit) -> str:
    return f"{unit.parent.name} / {unit.name}" if unit.parent_id else unit.name


def _parents_of_matched(result, match) -> set:
    """Ids of the parents of the units the table names that exist (for new units)."""
    return {found.key.parent_id for v in result.values if (found := match(v.unit_name)).found}


SUFFIX_KINDS = (
    ("社区", Unit.Kind.COMMUNITY),
    ("村", Unit.Kind.VILLAGE),
    ("街道", Unit.Kind.STREET),
    ("乡", Unit.Kind.TOWNSHIP),
    ("镇", Unit.Kind.TOWN),
    ("本级", Unit.Kind.DISTRICT_LEVEL),
    ("区", Unit.Kind.ZONE),
)


def guess_kind(name: str, parent: Unit) -> str:
    """By the name's ending; otherwise 开发区/园区 under a bureau (the catch-all town-level
    kind, e.g. 矶山（二轻公司）), 社区 under a town."""
    bare = normalize_name(name).split("(")[0]
    for suffix, kind in SUFFIX_KINDS:
        if bare.endswith(suffix):
            return kind
    return Unit.Kind.ZONE if parent.kind == Unit.Kind.BUREAU else Unit.Kind.COMMUNITY


def _plan_new_unit(value, parents: set, new_units: dict, preview: ImportPreview):
    key = normalize_name(value.unit_name)
    if key in new_units:
        return new_units[key]
    if len(parents) != 1 or None in parents:
        preview.error(
            f"单位「{value.unit_name}」不在系统中，且无法确定新单位的上级"
            "（同一张表中已有的单位没有共同的上级）。请先在单位管理中建立该单位。",
            value.unit_place,
        )
        return None
    parent = Unit.objects.get(pk=next(iter(parents)))
    kind = guess_kind(value.unit_name, parent)
    if parent.kind not in Unit.ALLOWED_PARENTS[kind]:
        preview.error(
            f"新单位「{value.unit_name}」看起来是{Unit.Kind(kind).label}，"
            f"不能建在「{parent.name}」之下。请先在单位管理中建立该单位。",
            value.unit_place,
        )
        return None
    name = clean_label(value.unit_name)
    limit = Unit._meta.get_field("name").max_length
    if len(name) > limit:
        preview.error(f"新单位名称超过 {limit} 个字，请缩短。", value.unit_place)
        return None
    planned = NewUnit(name, parent, kind, value.unit_place)
    new_units[key] = planned
    return planned


# --- phase 2 ----------------------------------------------------------------------------


@transaction.atomic
def commit_import(
    *,
    preview: ImportPreview,
    user=None,
    as_of: date | None = None,
    expected: str | None = None,
) -> ImportBatch:
    """Write the plan. ``expected``: the fingerprint of the preview the person confirmed;
    a plan that differs from it raises ``kit.imports.StalePlan`` and writes nothing."""
    if preview.errors or not preview.rows:
        raise ImportRefused(preview.errors)
    # Compare again inside the transaction: what is written is judged against the truth
    # at write time, not at preview time. New units and indicators hold no values yet.
    stored = _compare_with_stored(preview)
    preview.check(expected)
    created_units = _create_units(preview.new_units)
    indicators = _ensure_indicators(preview)
    counts = preview.counts
    user = user if getattr(user, "is_authenticated", False) else None
    batch = ImportBatch.objects.create(
        kind=preview.mode,
        year=preview.year,
        source=preview.file_name[:255],
        sha256=preview.sha256,
        created_by=user,
        new_count=counts[NEW],
        changed_count=counts[CHANGED],
        unchanged_count=counts[UNCHANGED],
        warnings=preview.warnings,
    )
    now = timezone.now()
    source = preview.file_name[:255]
    day = as_of or timezone.localdate()
    user_id = user.pk if user else None
    creates, updates, changes = [], [], []
    for row in preview.rows:
        if row.action == UNCHANGED:
            continue
        unit_id = created_units.get(id(row.unit), row.unit).pk
        indicator_id = indicators[row.indicator].pk
        if row.action == NEW:
            values = (preview.year, indicator_id, unit_id, row.new_value, row.new_sub, now)
            extra = (day, user_id, source) if preview.mode == ACTUALS else ()
            creates.append(values + extra)
        else:
            pk = stored[(unit_id, row.indicator)][0]
            extra = (day, user_id, source) if preview.mode == ACTUALS else ()
            updates.append((pk, row.new_value, row.new_sub, now, *extra))
        action = ImportChange.Action.NEW if row.action == NEW else ImportChange.Action.CHANGED
        changes.append(
            (
                batch.pk,
                unit_id,
                indicator_id,
                action,
                row.old_value,
                row.old_sub,
                row.new_value,
                row.new_sub,
            )
        )
    if preview.mode == ACTUALS:
        model, value_fields = Achievement, ["actual", "sub_actual"]
        extra_fields = ["as_of", "entered_by", "source"]
    else:
        model, value_fields, extra_fields = TargetAllocation, ["target", "sub_target"], []
    insert_rows(
        model, ["year", "indicator", "unit", *value_fields, "updated_at", *extra_fields], creates
    )
    update_rows(model, [*value_fields, "updated_at", *extra_fields], updates)
    insert_rows(
        ImportChange,
        ["batch", "unit", "indicator", "action", "old_value", "old_sub", "new_value", "new_sub"],
        changes,
    )
    return batch


def _create_units(new_units: list[NewUnit]) -> dict:
    created = {}
    for planned in new_units:
        order = (
            Unit.objects.filter(parent=planned.parent).aggregate(m=Max("sort_order"))["m"] or 0
        ) + 1
        unit = Unit(name=planned.name, kind=planned.kind, parent=planned.parent, sort_order=order)
        unit.full_clean()
        unit.save()
        created[id(planned)] = unit
    return created


def _ensure_indicators(preview: ImportPreview) -> dict:
    existing = {
        i.normalized_name: i
        for i in Indicator.objects.filter(normalized_name__in=list(preview.indicators))
    }
    order = Indicator.objects.aggregate(m=Max("sort_order"))["m"] or 0
    for key, head in preview.indicators.items():
        known = existing.get(key)
        if known is None:
            order += 1
            known = Indicator(
                name=head.name, measure=head.measure, sub_label=head.sub_label, sort_order=order
            )
            known.save()
            existing[key] = known
        elif (not known.measure and head.measure) or (not known.sub_label and head.sub_label):
            known.measure = known.measure or head.measure
            known.sub_label = known.sub_label or head.sub_label
            known.save(update_fields=["measure", "sub_label"])
    return existing


# --- both phases ------------------------------------------------------------------------


def run_import(
    *,
    data: bytes,
    file_name: str,
    year: int,
    mode: str = TARGETS,
    create_units: bool = False,
    orientation: str | None = None,
    sheet: str | None = None,
    dry_run: bool = False,
    user=None,
    as_of: date | None = None,
) -> tuple[ImportPreview, ImportBatch | None]:
    preview = preview_import(
        data=data,
        file_name=file_name,
        year=year,
        mode=mode,
        create_units=create_units,
        orientation=orientation,
        sheet=sheet,
    )
    if dry_run or not preview.ok:
        return preview, None
    return preview, commit_import(preview=preview, user=user, as_of=as_of)


def describe(value: Decimal | None, sub: Decimal | None) -> str:
    """「15000（7500）」, as the tables write a target with its 其中 part."""
    if value is None:
        return "—"
    return plain(value) + (f"（{plain(sub)}）" if sub is not None else "")


__all__ = [
    "ACTUALS",
    "TARGETS",
    "ImportPreview",
    "ImportRefused",
    "IndicatorHead",
    "PlannedRow",
    "commit_import",
    "describe",
    "imported_summary",
    "pending_as_of",
    "preview_import",
    "preview_pending",
    "run_import",
]
