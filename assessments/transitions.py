"""The cycle's workflow as a declared table: (state, action) → next state.

Services read it to refuse a step the current state does not allow; the cycle page reads it
to show exactly the steps allowed now. Only the bureau's administrators take these steps
(see ``assessments.policy.cycle_steps``).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from assessments.models import Cycle

State = Cycle.State


@dataclass(frozen=True)
class CycleStep:
    action: str
    label: str
    sources: tuple  # the states the step may be taken from
    target: State | None  # None: the step changes no state (computing results)
    primary: bool = False
    reason_label: str = ""  # the step needs a reason; what its field is called
    explanation: str = ""  # what the step does, said beside its confirmation
    page: str = ""  # the URL name of the step's own confirmation page, if it has one
    # Taken from a confirmation page that lists what is not ready (assessments.closing).
    guarded: bool = False

    def next_state(self, state) -> State:
        return state if self.target is None else self.target


# In the order the page shows the buttons.
CYCLE_STEPS = (
    # Taken on its own page (assessments.opening): the rubric's checks come first.
    CycleStep(
        "open_self",
        _("开放自评"),
        (State.DRAFT,),
        State.SELF_OPEN,
        primary=True,
        page="assessments:cycle_open",
    ),
    CycleStep(
        "open_review",
        _("结束自评，进入审核"),
        (State.SELF_OPEN,),
        State.REVIEW,
        primary=True,
        guarded=True,
    ),
    CycleStep("back_to_self", _("退回自评阶段"), (State.REVIEW,), State.SELF_OPEN),
    CycleStep("compute", _("计算结果"), (State.SELF_OPEN, State.REVIEW), None),
    CycleStep("finalise", _("定稿"), (State.REVIEW,), State.FINALISED, guarded=True),
    CycleStep(
        "publish",
        _("公布结果"),
        (State.FINALISED,),
        State.PUBLISHED,
        primary=True,
        page="assessments:publish",
    ),
    CycleStep(
        "reopen",
        _("重新打开"),
        (State.FINALISED,),
        State.REVIEW,
        reason_label=_("重新打开的原因"),
        explanation=_(
            "重新打开后，考核周期回到「审核中」，各单位已定稿的考核表回到「已审核」，"
            "审核人员可以再修改评分。再次计算结果时，现在的结果作为历史版本保留，"
            "这里填写的原因会和新旧结果一起显示在「历史版本」中。"
        ),
    ),
)

STEPS_BY_ACTION = {step.action: step for step in CYCLE_STEPS}

# Moves no button takes: the cycle follows from something else (assessments.objections).
# An upheld 异议 sends published results back to review, as a reopening does.
OBJECTION_UPHELD = "objection_upheld"
CAUSED_TRANSITIONS = {(State.PUBLISHED, OBJECTION_UPHELD): State.REVIEW}

# (state, action) → next state.
CYCLE_TRANSITIONS = {
    **{
        (source, step.action): step.next_state(source)
        for step in CYCLE_STEPS
        for source in step.sources
    },
    **CAUSED_TRANSITIONS,
}


def steps_from(state) -> list[CycleStep]:
    """The steps the table allows from this state, in page order."""
    return [step for step in CYCLE_STEPS if (state, step.action) in CYCLE_TRANSITIONS]
