"""What the assessments app prints: score sheets, summaries and the 新沂 coordinator forms,
filled from the stored scores and results (``assessments.print_documents`` describes them).

A printed sheet shows what was stored: each item's score as saved with the sheet, and the
section subtotals, totals, veto and grade of the cycle's last computation when it is newer
than the sheet's last change (otherwise the totals are summed from the stored item scores
and no grade is printed). The engine is not run again. A stored value that cannot be read
prints 「（无法读取）」 and is logged; it never prints as a blank.
"""

import logging
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from django.db.models import Q
from django.utils import timezone

from assessments.models import Assessment, Cycle, ItemScore
from assessments.print_documents import (
    GradeGroup,
    RegistrationFormDoc,
    ScoreSheetDoc,
    SummaryDoc,
    SummaryRow,
    TownSummaryDoc,
)
from assessments.sides import RESULT_SIDE, Side, heading
from kit.formatting import UNREADABLE
from printing.registry import PrintError, register
from rubrics.selectors import engine_rubric_for

logger = logging.getLogger(__name__)

TITLE_COLUMN = {"hutang-2014-community": "子项目"}


class StoredScore(NamedTuple):
    score: Decimal | None
    explanation: str
    note: str


def stored_scores(sheet: Assessment, scores=None) -> dict[tuple[str, str], StoredScore]:
    """{(item key, side): StoredScore} of one sheet, for the sides that have an entry.

    The one place printing reads how ``ItemScore`` keeps its sides; the rest of this module
    only asks for a side by name. ``scores`` are the sheet's ``ItemScore`` rows with their
    items, when the caller already has them.
    """
    rows = scores if scores is not None else sheet.scores.select_related("item")
    found = {}
    for row in rows:
        entered, score, explanation = row.input, row.score, row.explanation
        if entered is None and score is None and not explanation:
            continue
        if entered and score is None and not explanation:
            # An input with neither a score nor the engine's word on it was never scored.
            logger.warning(
                "sheet %s, item %s: the stored %s input has no score",
                sheet.pk,
                row.item.key,
                row.side,
            )
            score = UNREADABLE
        found[(row.item.key, row.side)] = StoredScore(score, explanation, row.note)
    return found


def side_scores(stored: dict, side: str) -> dict:
    """{item key: score} of one side."""
    return {key: entry.score for (key, entry_side), entry in stored.items() if entry_side == side}


def _decimal(value, where: str):
    """A stored number, or UNREADABLE (logged) when it is not one."""
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        logger.warning("%s: stored value %r is not a number", where, value)
        return UNREADABLE


class StoredItem(NamedTuple):
    key: str
    score: object
    status: str
    veto_failed: bool


class StoredSection(NamedTuple):
    key: str
    subtotal: object


class StoredVeto(NamedTuple):
    number: str
    title: str


class StoredColumn(NamedTuple):
    """A side of a sheet as the cycle's computation stored it, shaped as the print layout
    reads a result (``ScoreSheetDoc.result``)."""

    items: list
    sections: list
    base_total: object
    bonus: object
    penalties: object
    total: object
    grade: str
    veto: StoredVeto | None


def _is_current(sheet: Assessment, result) -> bool:
    computed = sheet.cycle.computed_at
    return result is not None and computed is not None and sheet.updated_at <= computed


def stored_column(parsed, sheet: Assessment, stored: dict, result) -> StoredColumn | None:
    """The review side of ``sheet`` from its stored scores and the cycle's stored result
    (``None`` when there is no result newer than the sheet's last change)."""
    if not _is_current(sheet, result):
        return None
    where = f"result {result.pk}, phase {sheet.phase}"
    phases = result.detail.get("phases", {}) if isinstance(result.detail, dict) else {}
    phase = phases.get(sheet.phase)
    if not isinstance(phase, dict):
        logger.warning("%s: the stored result has no data for this phase", where)
        phase = {}
        read = lambda key: UNREADABLE  # noqa: E731
    else:
        read = lambda key: _decimal(phase.get(key), f"{where}, {key}")  # noqa: E731
    na_keys = set(phase.get("notes", {}) or {})
    phase_scores = phase.get("scores", {}) or {}
    veto_item = result.veto_item.strip()
    items, veto = [], None
    for item in parsed.items:
        entry = stored.get((item.key, RESULT_SIDE))
        score = entry.score if entry is not None else None
        status = "scored"
        if item.key in na_keys:
            status = f"na_{item.na_policy}"
            # An N/A average is decided for the whole cycle, so only the result has it.
            score = _decimal(phase_scores.get(item.key), f"{where}, item {item.key}")
        failed = bool(veto_item) and f"{item.number} {item.title}".strip() == veto_item
        if failed:
            veto = StoredVeto(item.number, item.title)
        items.append(StoredItem(item.key, score, status, failed))
    sections = [
        StoredSection(s.get("key"), _decimal(s.get("subtotal"), f"{where}, section"))
        for s in phase.get("sections", []) or []
        if isinstance(s, dict)
    ]
    return StoredColumn(
        items=items,
        sections=sections,
        base_total=read("base_total"),
        bonus=read("bonus"),
        penalties=read("penalties"),
        total=read("total"),
        grade=result.grade_before_quota if len(phases) == 1 else "",
        veto=veto,
    )


def sheet_doc(sheet: Assessment, *, blank: bool = False, scores=None, result=None) -> ScoreSheetDoc:
    cycle = sheet.cycle
    parsed = engine_rubric_for(cycle.rubric)
    unit = sheet.unit
    town = unit.parent.name if unit.parent_id and not unit.is_town_level else ""
    doc = ScoreSheetDoc(
        rubric=parsed,
        unit_name=sheet.subject_name,
        town_name=town or (unit.name if sheet.coordinator_id else ""),
        year=cycle.year,
        # the day the review was finished, as signed; blank until then (never the print day)
        date_text=None if blank or not sheet.reviewed_at else timezone.localdate(sheet.reviewed_at),
        blank=blank,
        title_label=TITLE_COLUMN.get(cycle.rubric.code),
    )
    if blank:
        return doc
    stored = stored_scores(sheet, scores)
    doc.result = stored_column(parsed, sheet, stored, result)
    if doc.result is None:
        doc.review_scores = side_scores(stored, RESULT_SIDE)
    if heading(parsed.columns, Side.SELF) is not None:
        doc.self_scores = side_scores(stored, Side.SELF)
    return doc


SHEET_ORDER = ("unit__parent__sort_order", "unit__sort_order", "unit_id", "phase")


def _cycle_sheets(cycle: Cycle, town_id: int | None):
    sheets = cycle.assessments.order_by(*SHEET_ORDER)
    if town_id is not None:
        sheets = sheets.filter(Q(unit__parent_id=town_id) | Q(unit_id=town_id))
    return sheets


def sheet_docs(cycle: Cycle, sheets: list, *, blank: bool = False, progress=None) -> list:
    """The documents of ``sheets`` (of ``cycle``), in that order, with their stored scores
    and the cycle's stored results read in one query each."""
    scores: dict = {}
    if not blank:
        for s in ItemScore.objects.filter(assessment__in=sheets).select_related("item"):
            scores.setdefault(s.assessment_id, []).append(s)
    units = {s.unit_id for s in sheets}
    results = {(r.unit_id, r.coordinator_id): r for r in cycle.results.filter(unit_id__in=units)}
    docs = []
    for index, sheet in enumerate(sheets, start=1):
        docs.append(
            sheet_doc(
                sheet,
                blank=blank,
                scores=scores.get(sheet.pk, []),
                result=results.get((sheet.unit_id, sheet.coordinator_id)),
            )
        )
        if progress and index % 20 == 0:
            progress(index, len(sheets))
    return docs


def cycle_sheet_docs(
    cycle: Cycle, *, town_id: int | None = None, blank: bool = False, progress=None
) -> list:
    sheets = list(
        _cycle_sheets(cycle, town_id).select_related("cycle__rubric", "unit__parent", "coordinator")
    )
    return sheet_docs(cycle, sheets, blank=blank, progress=progress)


def summary_doc(cycle: Cycle, *, town_name: str | None = None) -> SummaryDoc:
    rows = cycle.results.select_related("unit", "coordinator").order_by("rank", "id")
    if town_name:
        rows = rows.filter(town_name=town_name)
    has_self = engine_rubric_for(cycle.rubric).columns.self is not None
    rows = list(rows)
    notes = [
        f"※ {_subject_label(r)}：等次人工调整为「{r.grade}」"
        f"（按计算为「{r.grade_after_quota or r.grade_before_quota}」），理由：{r.override_reason}"
        for r in rows
        if r.override_reason
    ]
    return SummaryDoc(
        title=f"{cycle.title}结果汇总表",
        notes=notes,
        year=cycle.year,
        scope_text=town_name or "全部",
        date_text=timezone.localdate(),
        rows=[
            SummaryRow(
                rank=r.rank,
                unit=_subject_label(r),
                town=r.town_name,
                self_total=_self_total(r),
                review_total=r.base_total,
                bonus=r.bonus,
                penalties=r.penalties,
                total=r.total,
                veto_item=r.veto_item or None,
                grade_before=r.grade_before_quota,
                grade=r.grade,
                subsidy_percent=r.subsidy_percent,
                amount=r.subsidy_amount,
                overridden=bool(r.override_reason),
                not_submitted=bool(r.absence),
            )
            for r in rows
        ],
        show_self=has_self,
        show_amount=cycle.base_subsidy is not None,
    )


def _subject_label(r) -> str:
    return f"{r.coordinator.name}（{r.unit.name}）" if r.coordinator_id else r.unit.name


def _self_total(result):
    """Σ of the self scores the computation stored (the annual phase, else the first)."""
    own = result.detail.get(Side.SELF, {}) if isinstance(result.detail, dict) else {}
    scores = own.get("annual") or next(iter(own.values()), {}) if isinstance(own, dict) else {}
    if not scores:
        return None
    values = [_decimal(v, f"result {result.pk}, self score {k}") for k, v in scores.items()]
    if any(v is UNREADABLE for v in values):
        return UNREADABLE
    return sum((v for v in values if v is not None), Decimal(0))


def registration_doc(result) -> RegistrationFormDoc:
    c = result.coordinator
    return RegistrationFormDoc(
        year=result.cycle.year,
        name=c.name,
        gender=c.gender,
        birth=c.birth_month,
        political_status=c.political_status,
        education=c.education,
        work_unit=c.unit.name,
        grade=result.grade if result.cycle.state == Cycle.State.PUBLISHED else "",
    )


def town_summary_doc(cycle: Cycle, town) -> TownSummaryDoc:
    from staff.selectors import coordinators_in_post

    results = list(cycle.results.filter(town_name=town.name).select_related("coordinator"))
    groups = {label: GradeGroup(label) for label in ("优秀", "合格", "基本合格", "不合格")}
    for r in results:
        groups.setdefault(r.grade, GradeGroup(r.grade)).names.append(
            r.coordinator.name if r.coordinator_id else r.unit.name
        )
    return TownSummaryDoc(
        year=cycle.year,
        unit_name=f"{town.name}社会事业服务中心",
        current_count=coordinators_in_post(town=town).count(),
        assessed_count=len(results),
        groups=list(groups.values()),
    )


def _cycle_for(params: dict) -> Cycle:
    cycle = Cycle.objects.select_related("rubric").filter(pk=params.get("cycle")).first()
    if cycle is None:
        raise PrintError("考核周期已不存在。")
    return cycle


def plan_cycle_sheets(params: dict, progress) -> list[int]:
    """The ids of the sheets a batch print of ``params`` prints, in print order."""
    ids = list(_cycle_sheets(_cycle_for(params), params.get("town")).values_list("pk", flat=True))
    if not ids:
        raise PrintError("所选范围内没有考核表。")
    return ids


def build_cycle_sheet_chunk(params: dict, ids: list[int]) -> list:
    """The documents of the sheets ``ids`` (a chunk of ``plan_cycle_sheets``), in that
    order; a sheet deleted since the plan is left out."""
    cycle = _cycle_for(params)
    found = cycle.assessments.select_related("cycle__rubric", "unit__parent", "coordinator")
    by_id = {sheet.pk: sheet for sheet in found.filter(pk__in=ids)}
    sheets = [by_id[pk] for pk in ids if pk in by_id]
    return sheet_docs(cycle, sheets, blank=bool(params.get("blank")))


def build_cycle_sheets(params: dict, progress) -> list:
    cycle = _cycle_for(params)
    docs = cycle_sheet_docs(
        cycle, town_id=params.get("town"), blank=bool(params.get("blank")), progress=progress
    )
    if not docs:
        raise PrintError("所选范围内没有考核表。")
    return docs


register(
    "cycle_sheets",
    label="考核评分表（批量）",
    builder=build_cycle_sheets,
    plan=plan_cycle_sheets,
    build=build_cycle_sheet_chunk,
)
