"""What the assessments app prints: score sheets, summaries, and the 新沂 coordinator forms,
as the printing app's plain documents."""

from decimal import Decimal

from django.utils import timezone

from assessments.models import Assessment, Cycle, ItemScore
from assessments.sides import RESULT_SIDE, Side, heading
from printing.documents import (
    GradeGroup,
    RegistrationFormDoc,
    ScoreSheetDoc,
    SummaryDoc,
    SummaryRow,
    TownSummaryDoc,
)
from printing.registry import PrintError, register
from rubrics import engine
from rubrics.selectors import engine_rubric_for

TITLE_COLUMN = {"hutang-2014-community": "子项目"}


def _na_averages(result, phase: str) -> dict:
    """The cycle-level scores (N/A averages) a stored result decided for one phase."""
    if result is None:
        return {}
    data = result.detail.get("phases", {}).get(phase, {})
    return {
        key: Decimal(data["scores"][key])
        for key in data.get("notes", {})
        if data.get("scores", {}).get(key) is not None
    }


def _evaluate(parsed, sheet, side: str, scores, averages):
    inputs = {s.item.key: s.input for s in scores if s.side == side and s.input}
    if not inputs:
        return None
    try:
        return engine.evaluate(
            parsed, {"subject": sheet.subject_name, "items": inputs}, na_averages=averages or None
        )
    except engine.SheetInputError:
        return None  # stored inputs were checked when saved; a changed rubric prints blanks


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
        date_text=None if blank else timezone.localdate(),
        blank=blank,
        title_label=TITLE_COLUMN.get(cycle.rubric.code),
    )
    if blank:
        return doc
    scores = list(sheet.scores.select_related("item")) if scores is None else scores
    averages = _na_averages(result, sheet.phase)
    doc.result = _evaluate(parsed, sheet, RESULT_SIDE, scores, averages)
    if heading(parsed.columns, Side.SELF) is not None:
        doc.self_result = _evaluate(parsed, sheet, Side.SELF, scores, averages)
        doc.self_scores = {s.item.key: s.score for s in scores if s.side == Side.SELF}
    return doc


def cycle_sheet_docs(
    cycle: Cycle, *, town_id: int | None = None, blank: bool = False, progress=None
) -> list:
    sheets = list(
        cycle.assessments.select_related("cycle__rubric", "unit__parent", "coordinator").order_by(
            "unit__parent__sort_order", "unit__sort_order", "unit_id", "phase"
        )
    )
    if town_id is not None:
        sheets = [s for s in sheets if s.unit.parent_id == town_id or s.unit_id == town_id]
    scores: dict = {}
    if not blank:
        for s in ItemScore.objects.filter(assessment__in=sheets).select_related("item"):
            scores.setdefault(s.assessment_id, []).append(s)
    results = {(r.unit_id, r.coordinator_id): r for r in cycle.results.all()}
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


def summary_doc(cycle: Cycle, *, town_name: str | None = None) -> SummaryDoc:
    rows = cycle.results.select_related("unit", "coordinator").order_by("rank", "id")
    if town_name:
        rows = rows.filter(town_name=town_name)
    from assessments.selectors import cycle_engine_inputs

    self_totals = {}
    for subject in cycle_engine_inputs(cycle).subjects:
        mine = subject.side_scores.get(Side.SELF, {})
        own = mine.get("annual") or next(iter(mine.values()), {})
        if own:
            self_totals[(subject.unit_id, subject.coordinator_id)] = sum(
                Decimal(v) for v in own.values()
            )
    has_self = engine_rubric_for(cycle.rubric).columns.self is not None
    return SummaryDoc(
        title=f"{cycle.title}结果汇总表",
        year=cycle.year,
        scope_text=town_name or "全部",
        date_text=timezone.localdate(),
        rows=[
            SummaryRow(
                rank=r.rank,
                unit=f"{r.coordinator.name}（{r.unit.name}）" if r.coordinator_id else r.unit.name,
                town=r.town_name,
                self_total=self_totals.get((r.unit_id, r.coordinator_id)),
                review_total=r.base_total,
                bonus=r.bonus,
                penalties=r.penalties,
                total=r.total,
                veto_item=r.veto_item or None,
                grade_before=r.grade_before_quota,
                grade=r.grade,
                subsidy_percent=r.subsidy_percent,
                amount=r.subsidy_amount,
            )
            for r in rows
        ],
        show_self=has_self,
        show_amount=cycle.base_subsidy is not None,
    )


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


@register("cycle_sheets", label="考核评分表（批量）")
def build_cycle_sheets(params: dict, progress) -> list:
    cycle = Cycle.objects.select_related("rubric").filter(pk=params.get("cycle")).first()
    if cycle is None:
        raise PrintError("考核周期已不存在。")
    docs = cycle_sheet_docs(
        cycle, town_id=params.get("town"), blank=bool(params.get("blank")), progress=progress
    )
    if not docs:
        raise PrintError("所选范围内没有考核表。")
    return docs
