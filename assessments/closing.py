"""The guarded closing steps: 结束自评 (``open_review``) and 定稿 (``finalise``).

Before either step the administrator sees what is not ready — sheets never submitted,
sheets submitted but not reviewed, quota decisions still awaited — and decides per unit:
wait (the step is not taken; the unit's deadline can be extended), record the sheet as
未提交 (its consequence is the rubric's, ``rubrics.engine.absence``, shown before
confirming), or, for a sheet submitted but not marked reviewed, finalise it with the
review scores it has. Nothing goes on silently: a unit nobody decided about stops the step,
and every outcome says what happened to which units.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse

from assessments import deadlines
from assessments.models import Assessment, Change, Cycle
from assessments.quota_decisions import Pending, pending_decisions
from assessments.services import WorkflowError, _missing_items, cycle_step
from assessments.sides import Side
from assessments.transitions import CYCLE_TRANSITIONS, STEPS_BY_ACTION
from rubrics import engine
from rubrics.selectors import engine_rubric_for

GUARDED = tuple(step.action for step in STEPS_BY_ACTION.values() if step.guarded)

ABSENT, WAIT, AS_IS = "absent", "wait", "as_is"
NAMES_SHOWN = 5  # a message names at most this many units, then 「等 N 个」


def deadlines_extend_link(sheet: Assessment) -> str | None:
    """Where the administrator extends this unit's deadline (``deadline_views``), or None
    when the cycle has no date for the side the sheet waits on (nothing to extend)."""
    if not deadlines.extendable_sides(sheet):
        return None
    return reverse("assessments:deadline_extend", args=[sheet.pk])


@dataclass
class Waiting:
    """One sheet that is not ready for the step, and what may be decided about it."""

    sheet: Assessment
    unreviewed: bool  # submitted, not marked reviewed (finalise only)
    complete: bool = True  # unreviewed: every base item has a review score
    extend_link: str | None = None

    @property
    def choices(self) -> tuple[str, ...]:
        if self.unreviewed:
            return (AS_IS, WAIT) if self.complete else (WAIT,)
        return (ABSENT, WAIT)

    @property
    def field_name(self) -> str:
        return f"choice_{self.sheet.pk}"


@dataclass
class Readiness:
    cycle: Cycle
    action: str
    waiting: list[Waiting]
    consequence: engine.AbsenceOutcome
    absent_before: list[Assessment]  # recorded as not submitted earlier
    pending: Pending = field(default_factory=lambda: Pending(0, 0))
    needs_compute: bool = False  # finalise: results missing or older than a recorded absence
    subjects: int = 0  # units (or coordinators) of the cycle

    @property
    def step(self):
        return STEPS_BY_ACTION[self.action]

    @property
    def unsubmitted(self) -> list[Waiting]:
        return [w for w in self.waiting if not w.unreviewed]

    @property
    def unreviewed(self) -> list[Waiting]:
        return [w for w in self.waiting if w.unreviewed]

    @property
    def opening(self) -> bool:
        """The step is 结束自评 (else 定稿)."""
        return self.action == "open_review"

    @property
    def can_confirm(self) -> bool:
        """The confirm button does something: absences to record, or the step itself."""
        return bool(self.unsubmitted) or not (self.needs_compute or self.pending.total)

    @property
    def ready(self) -> bool:
        return not self.waiting and not self.pending.total and not self.needs_compute


def _subject_key(sheet: Assessment) -> tuple:
    return (sheet.unit_id, sheet.coordinator_id)


def readiness(cycle: Cycle, action: str) -> Readiness:
    if action not in GUARDED:
        raise ValueError(action)
    parsed = engine_rubric_for(cycle.rubric)
    sheets = list(
        cycle.assessments.select_related("unit__parent", "coordinator", "cycle__rubric").order_by(
            "unit__parent__sort_order", "unit__sort_order", "id"
        )
    )
    waiting = []
    for sheet in sheets:
        if sheet.absence:
            continue
        if sheet.state in (Assessment.State.DRAFT, Assessment.State.RETURNED):
            waiting.append(Waiting(sheet, False, extend_link=deadlines_extend_link(sheet)))
        elif action == "finalise" and sheet.state == Assessment.State.SUBMITTED:
            complete = not _missing_items(sheet, Side.REVIEW)
            waiting.append(Waiting(sheet, True, complete, deadlines_extend_link(sheet)))
    absent = [s for s in sheets if s.absence]
    ready = Readiness(
        cycle,
        action,
        waiting,
        engine.absence_outcome(parsed),
        absent,
        subjects=len({_subject_key(s) for s in sheets}),
    )
    if action == "finalise":
        ready.pending = pending_decisions(cycle)
        ready.needs_compute = _needs_compute(cycle, absent)
    return ready


def _needs_compute(cycle: Cycle, absent: list[Assessment]) -> bool:
    if not cycle.computed_at:
        return True
    stored = set(
        cycle.results.exclude(absence="").values_list("unit_id", "coordinator_id").distinct()
    )
    return any(_subject_key(s) not in stored for s in absent)


def _tell_units(cycle: Cycle, sheets, consequence) -> None:
    """The people of each unit recorded as not submitted hear of it, and what it means."""
    from django.urls import reverse

    from accounts.models import User
    from notices.services import notify

    for sheet in sheets:
        notify(
            User.objects.filter(units=sheet.unit_id, is_active=True),
            event="sheet_not_submitted",
            title=f"「{cycle.title}」：{sheet.subject_name}的考核表已记为未提交",
            body=consequence.explanation,
            link=reverse("assessments:sheet_detail", args=[sheet.pk]),
            key=f"sheet_not_submitted:{sheet.pk}:{sheet.version}",
        )


@dataclass(frozen=True)
class Closed:
    done: bool  # the step was taken
    message: str


def names(sheets) -> str:
    shown = [s.subject_name for s in sheets[:NAMES_SHOWN]]
    more = f"等 {len(sheets)} 个" if len(sheets) > NAMES_SHOWN else ""
    return "、".join(shown) + more


def _units(sheets) -> int:
    return len({_subject_key(s) for s in sheets})


@transaction.atomic
def cycle_close(
    *, cycle: Cycle, action: str, user, choices: dict, all_absent: bool = False
) -> Closed:
    """Take a guarded step with the administrator's decision for every sheet not ready:
    ``choices`` maps a sheet id to ``ABSENT``, ``WAIT`` or ``AS_IS``; ``all_absent``
    records every unsubmitted sheet as 未提交. A sheet without a decision, or with WAIT,
    stops the step and nothing is changed."""
    cycle = Cycle.objects.select_for_update().select_related("rubric").get(pk=cycle.pk)
    step = STEPS_BY_ACTION[action]
    if (cycle.state, action) not in CYCLE_TRANSITIONS:
        raise WorkflowError(
            f"考核周期当前状态为「{cycle.get_state_display()}」，不能{step.label}。"
        )
    ready = readiness(cycle, action)
    recorded, as_is, kept = [], [], []
    for w in ready.waiting:
        choice = ABSENT if (all_absent and not w.unreviewed) else choices.get(w.sheet.pk, "")
        if choice not in w.choices or choice == WAIT:
            kept.append(w.sheet)
        elif choice == ABSENT:
            recorded.append(w.sheet)
        else:
            as_is.append(w.sheet)
    if kept:
        undecided = [s for s in kept if choices.get(s.pk, "") != WAIT and not all_absent]
        why = (
            "还没有决定"
            if undecided
            else "选择了暂不" + ("结束" if action == "open_review" else "定稿")
        )
        return Closed(
            False,
            f"未能{step.label}：{_units(kept)} 个单位（{names(kept)}）{why}，没有做任何更改。"
            "可以延长期限或催交后再来确认。",
        )
    for sheet in recorded:
        sheet.absence = Assessment.Absence.NOT_SUBMITTED
        sheet.version += 1
        sheet.save(update_fields=["absence", "version", "updated_at"])
        Change.objects.create(
            assessment=sheet,
            cycle=cycle,
            user=user,
            what="absence",
            old=sheet.get_state_display(),
            new=sheet.get_absence_display(),
            reason=ready.consequence.explanation,
            sheet_version=sheet.version,
        )
    _tell_units(cycle, recorded, ready.consequence)
    for sheet in as_is:
        Change.objects.create(
            assessment=sheet,
            cycle=cycle,
            user=user,
            what="finalised_unreviewed",
            old=sheet.get_state_display(),
            new="按现有审核评分定稿",
            sheet_version=sheet.version,
        )
    absent_now = ready.absent_before + recorded
    absent_text = (
        f"{_units(absent_now)} 个单位（{names(absent_now)}）记为未提交（{ready.consequence.grade}）"
        if absent_now
        else ""
    )
    if action == "open_review":
        cycle_step(cycle=cycle, action=action, user=user)
        going = ready.subjects - _units(absent_now)
        text = f"已结束自评：{going} 个单位进入审核"
        return Closed(True, text + (f"，{absent_text}。" if absent_text else "。"))
    if recorded or _needs_compute(cycle, absent_now):
        done = (
            f"已将 {_units(recorded)} 个单位（{names(recorded)}）记为未提交；" if recorded else ""
        )
        return Closed(
            False,
            f"{done}尚未定稿：结果需要重新计算，未提交的后果才会写进结果。请先「计算结果」，再定稿。",
        )
    cycle_step(cycle=cycle, action=action, user=user)
    text = f"已定稿：{ready.subjects} 个单位的结果已定稿"
    if absent_text:
        text += f"，其中 {absent_text}"
    if as_is:
        text += f"，{_units(as_is)} 个单位（{names(as_is)}）按现有审核评分定稿"
    return Closed(True, text + "。")
