"""Quota decisions (保持 / 调整为下一等次) and manual grade overrides.

Both are stored per cycle and subject (``QuotaDecision``, ``GradeOverride``), never only on
a result row: a result row belongs to one result version, and a recompute writes the next
version. ``settle`` is the one place that turns the engine's quota outcome, the stored
decision and the stored override into a result's grade and subsidy; the computation
(``compute._save``) calls it for every new row, and the writes here call it for the rows
of the current version at once, so a decision shows without a recompute and survives one.

A decision applies while its subject is beyond the quota (over it, or in a tie the tie
rule leaves); when a recompute puts the subject back inside, the decision is kept but not
applied, and the result says so. An override applies whatever the quota did.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.db import transaction

from assessments.models import Change, Cycle, GradeOverride, QuotaDecision, Result
from assessments.services import WorkflowError
from rubrics import engine
from rubrics.selectors import engine_rubric_for

OVER, TIE = "over", "tie"
KEEP, DEMOTE = QuotaDecision.Choice.KEEP, QuotaDecision.Choice.DEMOTE
DECISION_LABELS = dict(QuotaDecision.Choice.choices)


ASK = "，请管理员"  # how the engine's quota reasons end while a decision is awaited


def answered(flags: list, decided: bool) -> list:
    """The flags, with the quota reason no longer asking for a decision once one is made."""
    if not decided:
        return list(flags)
    return [f.split(ASK)[0] if ASK in f else f for f in flags]


@dataclass
class Settled:
    """A result's grade after the quota, the decision and the override."""

    grade_after_quota: str
    grade: str
    subsidy_percent: Decimal
    quota_position: str = ""
    quota_decision: str = ""
    quota_reason: str = ""
    needs_confirmation: bool = False
    confirmed_by_id: int | None = None
    override_reason: str = ""
    notes: list = field(default_factory=list)


def settle(
    plan,
    *,
    grade_before: str,
    quota_grade: str,
    quota_percent: Decimal,
    position: str,
    flagged: bool,
    decision: QuotaDecision | None = None,
    override: GradeOverride | None = None,
) -> Settled:
    """``quota_grade``/``quota_percent``: what the engine's quota gave; ``position``: "",
    ``OVER`` or ``TIE``; ``flagged``: the engine asks for a decision."""
    out = Settled(quota_grade, quota_grade, quota_percent, quota_position=position)
    out.needs_confirmation = flagged
    if decision is not None:
        if position:
            out.grade_after_quota = (
                grade_before if decision.decision == KEEP else plan.band_below[grade_before]
            )
            out.quota_decision = decision.decision
            out.quota_reason = decision.reason
            out.confirmed_by_id = decision.decided_by_id
            out.needs_confirmation = True  # decided: kept for the record of who decided
        else:
            out.notes.append(
                f"此前的名额决定（{DECISION_LABELS[decision.decision]}）不再适用：本次计算未超出名额"
            )
    out.grade = out.grade_after_quota
    if override is not None:
        out.grade = override.grade
        out.override_reason = override.reason
    if out.grade != quota_grade:
        out.subsidy_percent = plan.percent_of[out.grade]
    return out


def stored_for(cycle: Cycle) -> tuple[dict, dict]:
    """({(unit id, coordinator id): QuotaDecision}, {…: GradeOverride}) of the cycle."""
    decisions = {d.subject_key: d for d in QuotaDecision.objects.filter(cycle=cycle)}
    overrides = {o.subject_key: o for o in GradeOverride.objects.filter(cycle=cycle)}
    return decisions, overrides


def _subject(result: Result) -> dict:
    return {
        "cycle": result.cycle,
        "unit_id": result.unit_id,
        "coordinator_id": result.coordinator_id,
    }


def subject_label(result: Result) -> str:
    if result.coordinator_id:
        return f"{result.coordinator.name}（{result.unit.name}）"
    return result.unit.name


def _engine_quota_grade(parsed, result: Result) -> tuple[str, Decimal]:
    """What the engine's quota gave this row (before any decision or override)."""
    before = result.grade_before_quota
    moved = (
        result.quota_position == OVER
        and parsed.quota is not None
        and parsed.quota.enforced
        and not result.absence
    )
    grade = parsed.plan.band_below[before] if moved else before
    return grade, parsed.plan.percent_of[grade]


def _resettle(parsed, cycle: Cycle, rows: list[Result]) -> None:
    """Apply the stored decisions and overrides to current rows, and store them."""
    decisions, overrides = stored_for(cycle)
    for r in rows:
        grade, percent = _engine_quota_grade(parsed, r)
        if r.absence:
            percent = engine.absence_outcome(parsed).subsidy_percent
        key = (r.unit_id, r.coordinator_id)
        s = settle(
            parsed.plan,
            grade_before=r.grade_before_quota,
            quota_grade=grade,
            quota_percent=percent,
            position=r.quota_position,
            flagged=r.needs_confirmation,
            decision=decisions.get(key),
            override=overrides.get(key),
        )
        r.grade_after_quota, r.grade, r.subsidy_percent = (
            s.grade_after_quota,
            s.grade,
            s.subsidy_percent,
        )
        r.quota_decision, r.quota_reason = s.quota_decision, s.quota_reason
        r.needs_confirmation, r.confirmed_by_id = s.needs_confirmation, s.confirmed_by_id
        r.override_reason = s.override_reason
        r.flags = answered(r.flags, bool(s.quota_decision))
        if cycle.base_subsidy is not None:
            line = SimpleNamespace(
                subject="", town=None, grade=r.grade, subsidy_percent=r.subsidy_percent
            )
            r.subsidy_amount = engine.subsidy_amounts([line], cycle.base_subsidy).lines[0].amount
    Result.objects.bulk_update(
        rows,
        [
            "grade_after_quota",
            "grade",
            "subsidy_percent",
            "subsidy_amount",
            "quota_decision",
            "quota_reason",
            "needs_confirmation",
            "confirmed_by",
            "override_reason",
            "flags",
        ],
    )
    _refresh_summary(parsed, cycle)


def _refresh_summary(parsed, cycle: Cycle) -> None:
    """The grade distribution of the current version follows the decisions."""
    from assessments.selectors import current_result_version
    from assessments.summary import SummaryBuilder

    version = current_result_version(cycle)
    if version is None:
        return
    builder = SummaryBuilder(parsed)
    rows = cycle.results.select_related("unit", "coordinator").order_by("rank", "id")
    for r in rows.iterator(chunk_size=1000):
        builder.add(r, subject_label(r))
    version.summary = builder.data()
    version.save(update_fields=["summary"])


def _open(cycle: Cycle) -> Cycle:
    cycle = Cycle.objects.select_for_update().select_related("rubric").get(pk=cycle.pk)
    if cycle.locked:
        raise WorkflowError(
            f"考核周期「{cycle.title}」已{cycle.get_state_display()}，不能再改等次。"
            "如需更正，请先填写原因重新打开。"
        )
    return cycle


@transaction.atomic
def quota_decide(*, cycle: Cycle, results, decision: str, reason: str, user) -> list[Result]:
    """保持 (a reason is required) or 调整为下一等次 for each of ``results`` (current rows
    beyond the quota); stored per subject, recorded, applied now."""
    cycle = _open(cycle)
    reason = (reason or "").strip()
    if decision not in (KEEP, DEMOTE):
        raise WorkflowError("请选择「保持」或「调整为下一等次」。")
    if decision == KEEP and not reason:
        raise WorkflowError("选择「保持」时必须写明理由。")
    ids = [r.pk for r in results]
    rows = list(
        cycle.results.filter(pk__in=ids).select_related("unit", "coordinator").order_by("rank")
    )
    if not rows:
        raise WorkflowError("请至少选择一个单位。")
    outside = [subject_label(r) for r in rows if not r.quota_position]
    if outside:
        raise WorkflowError(f"{'、'.join(outside)}没有超出名额，不需要名额决定。")
    parsed = engine_rubric_for(cycle.rubric)
    for r in rows:
        if decision == DEMOTE and r.grade_before_quota not in parsed.plan.band_below:
            raise WorkflowError(f"{subject_label(r)}的等次「{r.grade_before_quota}」没有下一等次。")
        QuotaDecision.objects.update_or_create(
            **_subject(r),
            defaults={"decision": decision, "reason": reason, "decided_by": user},
        )
        after = (
            r.grade_before_quota
            if decision == KEEP
            else parsed.plan.band_below[r.grade_before_quota]
        )
        Change.objects.create(
            cycle=cycle,
            user=user,
            what="quota_decision",
            old=f"{subject_label(r)} {r.grade_before_quota}",
            new=f"{subject_label(r)} {DECISION_LABELS[decision]}：{after}",
            reason=reason,
        )
    _resettle(parsed, cycle, rows)
    return rows


@transaction.atomic
def grade_override(*, cycle: Cycle, result: Result, grade: str, reason: str, user) -> Result:
    """Set a result's grade by hand, with a reason (required); stored per subject,
    recorded as a Change, applied now and after every recompute."""
    cycle = _open(cycle)
    reason = (reason or "").strip()
    parsed = engine_rubric_for(cycle.rubric)
    if grade not in parsed.grade_labels():
        raise WorkflowError(
            f"等次「{grade}」不是本评分标准的等次（{'、'.join(parsed.grade_labels())}）。"
        )
    if not reason:
        raise WorkflowError("人工调整等次必须写明理由。")
    row = cycle.results.select_related("unit", "coordinator").get(pk=result.pk)
    old = row.grade
    GradeOverride.objects.update_or_create(
        **_subject(row), defaults={"grade": grade, "reason": reason, "decided_by": user}
    )
    Change.objects.create(
        cycle=cycle,
        user=user,
        what="grade_override",
        old=f"{subject_label(row)} {old}",
        new=f"{subject_label(row)} {grade}",
        reason=reason,
    )
    _resettle(parsed, cycle, [row])
    return row


@transaction.atomic
def grade_override_remove(*, cycle: Cycle, result: Result, reason: str, user) -> Result:
    """Take a manual grade back: the computed grade (after the quota) applies again."""
    cycle = _open(cycle)
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError("撤销人工调整也必须写明理由。")
    row = cycle.results.select_related("unit", "coordinator").get(pk=result.pk)
    deleted, _ = GradeOverride.objects.filter(**_subject(row)).delete()
    if not deleted:
        raise WorkflowError(f"{subject_label(row)}的等次没有人工调整。")
    old = row.grade
    parsed = engine_rubric_for(cycle.rubric)
    _resettle(parsed, cycle, [row])
    Change.objects.create(
        cycle=cycle,
        user=user,
        what="grade_override_removed",
        old=f"{subject_label(row)} {old}",
        new=f"{subject_label(row)} {row.grade}",
        reason=reason,
    )
    return row


@dataclass(frozen=True)
class Pending:
    """Quota decisions still awaited, counted apart: over the quota, and ties at the
    boundary that the rubric's tie rule leaves."""

    over: int
    ties: int

    @property
    def total(self) -> int:
        return self.over + self.ties

    def text(self) -> str:
        parts = []
        if self.over:
            parts.append(f"{self.over} 个超出名额")
        if self.ties:
            parts.append(f"{self.ties} 个名额边界同分且同分规则无法区分")
        return "、".join(parts)


def pending_decisions(cycle: Cycle) -> Pending:
    waiting = cycle.results.filter(needs_confirmation=True, quota_decision="")
    over = waiting.filter(quota_position=OVER).count()
    ties = waiting.filter(quota_position=TIE).count()
    return Pending(over, ties)
