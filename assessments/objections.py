"""异议 during the 公示: a unit's coordinator files one against the unit's published result,
with a reason and, if they have one, a file of evidence; the town's reviewer or an
administrator answers it.

Upheld, it sends the results back: the cycle returns to 「审核中」 as a reopening does (a
``Change`` of ``what="cycle_reopened"`` whose reason shows in the history of result
versions), the unit's sheets are reopened with the answer as their reason, and the reviewer
can change the scores; the results are then computed again, finalised and published again.
Rejected, the answer is shown to the coordinator. Everything is recorded as ``Change`` rows
and told by notices.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assessments import policy, selectors
from assessments.evidence import EvidenceError, check_upload
from assessments.models import Assessment, Change, Cycle, Objection, Result
from assessments.services import WorkflowError
from assessments.transitions import CYCLE_TRANSITIONS, OBJECTION_UPHELD
from notices.services import notify
from org.scope import scope_for

State = Objection.State

# (state, decision) → next state: a waiting 异议 is upheld or rejected, once.
OBJECTION_TRANSITIONS = {
    (State.FILED, "uphold"): State.UPHELD,
    (State.FILED, "reject"): State.REJECTED,
}
DECISIONS = {"uphold": "异议成立", "reject": "异议不成立"}

REASON_LONGEST = 2000


class ObjectionError(WorkflowError):
    """A refused 异议 or answer; ``field`` names the form field the message belongs to."""

    def __init__(self, message: str, field: str | None = None):
        self.field = field
        super().__init__(message)


def subject(objection_or_result) -> str:
    c = objection_or_result.coordinator
    unit = objection_or_result.unit
    return f"{c.name}（{unit.name}）" if c is not None else unit.name


@transaction.atomic
def objection_file(*, cycle: Cycle, result: Result, user, reason: str, upload=None) -> Objection:
    """File the unit's 异议 against ``result`` (current, of this cycle)."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    refused = policy.objection_refused(scope_for(user), cycle, result, timezone.localdate())
    if refused:
        raise ObjectionError(refused)
    reason = (reason or "").strip()
    if not reason:
        raise ObjectionError("请写明异议理由：对哪一项、哪一个分数有异议，为什么。", "reason")
    if len(reason) > REASON_LONGEST:
        raise ObjectionError(
            f"异议理由最多 {REASON_LONGEST} 个字（现为 {len(reason)} 个）。", "reason"
        )
    objection = Objection(
        cycle=cycle,
        result=result,
        unit=result.unit,
        coordinator=result.coordinator,
        publicity_round=cycle.publicity_round,
        filed_by=user,
        reason=reason,
    )
    if upload is not None:
        try:
            content_type, ext = check_upload(upload, 0)
        except EvidenceError as exc:
            raise ObjectionError(str(exc), "evidence") from None
        objection.evidence_name = upload.name[:200]
        objection.evidence_type = content_type
        objection.evidence_size = upload.size
        objection.evidence.save(
            f"{result.unit_id}-{timezone.now():%Y%m%d%H%M%S}{ext}", upload, save=False
        )
    objection.save()
    Change.objects.create(
        cycle=cycle,
        user=user,
        what="objection_filed",
        new=f"{subject(result)}：{result.total} 分，{result.grade}",
        reason=reason,
    )
    notify(
        selectors.objection_answerers(objection),
        event="objection_filed",
        title=f"{subject(result)}对「{cycle.title}」的结果提出异议",
        body=reason[:500],
        link=reverse("assessments:objection_detail", args=[objection.pk]),
        key=f"objection_filed:{objection.pk}",
    )
    return objection


@transaction.atomic
def objection_answer(*, objection: Objection, user, decision: str, answer: str) -> Objection:
    """Uphold or reject a waiting 异议 with an answer the coordinator reads."""
    objection = (
        # Only the objection's row is locked: PostgreSQL locks no nullable side of a join.
        Objection.objects.select_for_update(of=("self",))
        .select_related("cycle", "unit__parent", "coordinator")
        .get(pk=objection.pk)
    )
    target = OBJECTION_TRANSITIONS.get((objection.state, decision))
    if decision not in DECISIONS:
        raise ObjectionError("请选择「异议成立」或「异议不成立」。", "decision")
    if target is None:
        raise ObjectionError(f"该异议已经答复（{objection.get_state_display()}），不能再答复。")
    if not policy.may_answer(scope_for(user), objection):
        raise ObjectionError("只有本镇（街道）考核人员和人社局管理员可以答复异议。")
    answer = (answer or "").strip()
    if not answer:
        raise ObjectionError("请填写答复：协理员会看到它。", "answer")
    if len(answer) > REASON_LONGEST:
        raise ObjectionError(f"答复最多 {REASON_LONGEST} 个字（现为 {len(answer)} 个）。", "answer")
    objection.state = target
    objection.answer = answer
    objection.answered_by = user
    objection.answered_at = timezone.now()
    objection.save(update_fields=["state", "answer", "answered_by", "answered_at"])
    cycle = objection.cycle
    Change.objects.create(
        cycle=cycle,
        user=user,
        what=f"objection_{target}",
        old=objection.reason[:500],
        new=f"{subject(objection)}：{DECISIONS[decision]}",
        reason=answer,
    )
    if target == State.UPHELD:
        _send_back(cycle, objection, user, f"异议成立（{subject(objection)}）：{answer}")
    notify(
        selectors.unit_coordinators(objection),
        event="objection_answered",
        title=f"您对「{cycle.title}」结果的异议已答复：{DECISIONS[decision]}",
        body=answer[:500],
        link=reverse("assessments:objection_detail", args=[objection.pk]),
        key=f"objection_answered:{objection.pk}",
    )
    return objection


def _send_back(cycle: Cycle, objection: Objection, user, reason: str) -> None:
    """The results go back for review, as a reopening of a finalised cycle does."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    old = cycle.get_state_display()
    target = CYCLE_TRANSITIONS.get((cycle.state, OBJECTION_UPHELD))
    if target is None and cycle.state != Cycle.State.REVIEW:
        raise ObjectionError(
            f"考核周期当前为「{old}」，不能因异议重新审核。请先让考核周期回到审核阶段。"
        )
    if target is not None:
        cycle.state = target
        cycle.save(update_fields=["state"])
    # Recorded as a reopening: the history of result versions shows why they were recomputed.
    Change.objects.create(
        cycle=cycle,
        user=user,
        what=Change.REOPENED,
        old=old,
        new=cycle.get_state_display(),
        reason=reason,
    )
    sheets = cycle.assessments.filter(
        unit=objection.unit, coordinator=objection.coordinator
    ).exclude(state=Assessment.State.DRAFT)
    for sheet in sheets.select_for_update(of=("self",)):
        before = sheet.get_state_display()
        sheet.state = Assessment.State.REVIEWED
        sheet.version += 1
        sheet.save(update_fields=["state", "version", "updated_at"])
        Change.objects.create(
            assessment=sheet,
            cycle=cycle,
            user=user,
            what="state",
            old=before,
            new=sheet.get_state_display(),
            reason=reason,
            sheet_version=sheet.version,
        )
    # The other units' sheets go back with the cycle, as a reopening sends them.
    cycle.assessments.filter(state=Assessment.State.FINALISED).update(
        state=Assessment.State.REVIEWED
    )
