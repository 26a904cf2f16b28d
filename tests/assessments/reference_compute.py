"""The computation of a cycle's results as it was before ``assessments.compute``: every
input read at once and every result built in memory. Kept as the reference the streamed
computation is compared with (tests) and as the baseline of ``bench/bench_province.py``."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from assessments.linked import linked_inputs_for_cycle
from assessments.models import Change, Cycle, ItemScore
from assessments.services import WorkflowError
from assessments.sides import RESULT_SIDE, SIDES
from rubrics import engine
from rubrics.selectors import engine_rubric_for

# --- how every input was read at once (three queries, everything in memory) ----------


@dataclass
class Subject:
    key: str  # the name the engine knows the subject by (unique in the cycle)
    unit_id: int
    coordinator_id: int | None
    town: str | None
    inputs: dict = field(default_factory=dict)  # phase → {item key: input of RESULT_SIDE}
    # the other sides, for comparison: side → phase → {item key: score as text}
    side_scores: dict = field(
        default_factory=lambda: {side: {} for side in SIDES if side != RESULT_SIDE}
    )


@dataclass
class Gathered:
    subjects: list[Subject]

    def sheets_for(self, phase: str) -> list[dict]:
        return [
            {"subject": s.key, "town": s.town, "items": s.inputs.get(phase, {})}
            for s in self.subjects
        ]


def cycle_engine_inputs(cycle: Cycle) -> Gathered:
    """Every sheet's inputs of the result side and the other sides' scores, grouped by
    subject, in three queries."""
    sheets = list(
        cycle.assessments.select_related("unit__parent", "coordinator").order_by(
            "unit__parent__sort_order", "unit__sort_order", "id"
        )
    )
    subjects: dict[tuple, Subject] = {}
    by_sheet: dict[int, tuple[Subject, str]] = {}
    for sheet in sheets:
        ident = (sheet.unit_id, sheet.coordinator_id)
        subject = subjects.get(ident)
        if subject is None:
            unit = sheet.unit
            town = (
                unit.name if unit.is_town_level else (unit.parent.name if unit.parent_id else None)
            )
            name = unit.name
            if sheet.coordinator_id:
                name = f"{sheet.coordinator.name}（{unit.name}）"
            subject = subjects[ident] = Subject(name, unit.pk, sheet.coordinator_id, town)
        by_sheet[sheet.pk] = (subject, sheet.phase)
    rows = ItemScore.objects.filter(assessment__cycle=cycle).values_list(
        "assessment_id", "item__key", "side", "input", "score"
    )
    linked = linked_inputs_for_cycle(cycle)
    for sheet_id, key, side, value, score in rows.iterator(chunk_size=5000):
        subject, phase = by_sheet[sheet_id]
        if side == RESULT_SIDE:
            if value:
                fresh = linked.get(subject.unit_id, {}).get(key)
                if fresh and not value.get("na"):
                    value = {**value, **fresh}
                subject.inputs.setdefault(phase, {})[key] = value
        elif score is not None and side in subject.side_scores:
            subject.side_scores[side].setdefault(phase, {})[key] = str(score)
    return Gathered(list(subjects.values()))


@transaction.atomic
def reference_cycle_compute(*, cycle: Cycle, user) -> list:
    """Score every sheet with the engine (N/A averages per phase), weight the phases, rank,
    apply the quota, work out subsidies, and store one Result per subject as the next result
    version; the rows of the earlier versions are kept, superseded."""
    from assessments.models import Result, ResultVersion
    from rubrics.engine.phases import combine_phases, with_outside_veto

    cycle = Cycle.objects.select_for_update().select_related("rubric").get(pk=cycle.pk)
    if cycle.locked:
        raise WorkflowError("考核周期已定稿，结果已锁定。")
    parsed = engine_rubric_for(cycle.rubric)
    gathered = cycle_engine_inputs(cycle)
    if not gathered.subjects:
        raise WorkflowError("本考核周期没有考核表。")
    per_phase = {}
    flags = []
    for phase in cycle.phases:
        sheets = gathered.sheets_for(phase)
        outcome = engine.evaluate_cycle(parsed, sheets)
        per_phase[phase] = {r.subject: r for r in outcome.results}
        flags += outcome.flags
    weights = {p: cycle.weights[p] for p in cycle.phases}
    outside = _outside_vetoes(cycle, gathered.subjects)
    combined = []
    for subject in gathered.subjects:
        phase_results = {p: per_phase[p].get(subject.key) for p in cycle.phases}
        result = combine_phases(parsed, phase_results, weights)
        if subject.coordinator_id in outside:
            result = with_outside_veto(parsed, result, outside[subject.coordinator_id])
        combined.append(result)
    ranked = engine.rank(combined)
    decisions = engine.apply_quota(parsed, ranked)
    amounts = (
        {
            line.subject: line.amount
            for line in engine.subsidy_amounts(decisions, cycle.base_subsidy).lines
        }
        if cycle.base_subsidy is not None
        else {}
    )
    by_key = {s.key: s for s in gathered.subjects}
    latest = cycle.result_versions.order_by("-number").values_list("number", flat=True).first()
    # Results stored without a version record (before versioning) are version 1.
    number = (latest or (1 if Result.objects.filter(cycle=cycle).exists() else 0)) + 1
    now = timezone.now()
    rows = []
    for entry, decision in zip(ranked, decisions, strict=True):
        result = entry.result
        subject = by_key[result.subject]
        phase_totals = {
            p: (str(per_phase[p][result.subject].total) if result.subject in per_phase[p] else None)
            for p in cycle.phases
        }
        notes = list(result.flags)
        if not result.complete:
            notes.append("考核表尚未评完，结果为暂算")
        if decision.reason:
            notes.append(decision.reason)
        rows.append(
            Result(
                cycle=cycle,
                version=number,
                unit_id=subject.unit_id,
                coordinator_id=subject.coordinator_id,
                town_name=result.town or "",
                phase_totals=phase_totals,
                base_total=result.base_total,
                bonus=result.bonus,
                penalties=result.penalties,
                total=result.total,
                rank=entry.rank,
                veto_item=(
                    f"{result.veto.number} {result.veto.title}".strip() if result.veto else ""
                ),
                grade_before_quota=decision.grade_before,
                grade=decision.grade_after,
                subsidy_percent=decision.subsidy_percent,
                subsidy_amount=amounts.get(result.subject),
                award_eligible=result.award_eligible,
                flags=notes,
                needs_confirmation=decision.flagged,
                detail={
                    "phases": {
                        p: _compact(per_phase[p][result.subject])
                        for p in cycle.phases
                        if result.subject in per_phase[p]
                    },
                    # the other sides' item scores, for comparison: {side: {phase: …}}
                    **subject.side_scores,
                    "cycle_flags": flags,
                },
            )
        )
    Result.objects.filter(cycle=cycle).update(current=False)  # superseded, kept
    ResultVersion.objects.create(cycle=cycle, number=number, computed_by=user, computed_at=now)
    Result.objects.bulk_create(rows, batch_size=500)
    cycle.computed_at = now
    cycle.save(update_fields=["computed_at"])
    Change.objects.create(
        cycle=cycle, user=user, what="computed", new=f"第 {number} 版，{len(rows)} 条结果"
    )
    return rows


def _outside_vetoes(cycle: Cycle, subjects) -> dict:
    """{coordinator id: reason} for coordinators failed by attendance (新沂 考勤制度第5条)."""
    from staff.models import Coordinator
    from staff.selectors import attendance_tallies

    ids = [s.coordinator_id for s in subjects if s.coordinator_id]
    if not ids:
        return {}
    tallies = attendance_tallies(Coordinator.objects.filter(pk__in=ids), cycle.year)
    return {pk: tally.veto for pk, tally in tallies.items() if tally.veto}


def _compact(result) -> dict:
    """What a stored result keeps of a phase: totals, section subtotals, every item's
    score, and the explanation of scores decided at cycle level (N/A averages)."""
    return {
        "total": str(result.total),
        "base_total": str(result.base_total),
        "bonus": str(result.bonus),
        "penalties": str(result.penalties),
        "sections": [
            {
                "key": x.key,
                "title": x.title,
                "subtotal": str(x.subtotal),
                "items_max": str(x.items_max),
            }
            for x in result.sections
        ],
        "scores": {i.key: (None if i.score is None else str(i.score)) for i in result.items},
        "notes": {i.key: i.explanation for i in result.items if i.status.startswith("na_")},
    }
