"""The approval of leave requests and departure reports as one declared table.

A row says: in this state, this action leads to that state; who may take it (a predicate
over the user and the request, from ``staff/policy.py``), who may instead record it on a
paper signer's behalf, which approval step it signs, on which condition of the request it
applies, and for which kinds of request. Services move requests only through
``allowed``/``transition_for``; views and templates show ``available_actions``.

Both kinds share one state enum (``ApprovalState``) and one chain (附件4, 附件5,
考勤制度第4条): 村（社区）负责人 → 镇（街道）社会事业服务中心负责人 → 市就业处, the city step
only when the request ``needs_city`` (a leave of 3 days or more with its extensions; every
departure). A rejection at any step ends the request.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from staff import policy
from staff.models import (
    ApprovalEvent,
    ApprovalRequest,
    ApprovalState,
    ApprovalStep,
    DepartureReport,
    LeaveRequest,
)

State = ApprovalState
Step = ApprovalStep
Action = ApprovalEvent.Action

# An approval is over when the request reaches one of these (``decided_at`` is set).
DECIDED = (State.APPROVED, State.REJECTED)

KINDS: dict[str, type[ApprovalRequest]] = {"leave": LeaveRequest, "departure": DepartureReport}
BOTH = (LeaveRequest, DepartureReport)
LEAVE = (LeaveRequest,)
DEPARTURE = (DepartureReport,)

Who = Callable[[object, ApprovalRequest], bool]
When = Callable[[ApprovalRequest, date], bool]


# --- who may act ------------------------------------------------------------------------


def village_head(user, request) -> bool:
    c = request.coordinator
    return not policy.is_subject(user, c) and policy.heads(user, c)


def town_centre(user, request) -> bool:
    c = request.coordinator
    return not policy.is_subject(user, c) and policy.can_manage(user, c)


def city_office(user, request) -> bool:
    return not policy.is_subject(user, request.coordinator) and policy.is_city_office(user)


def filer_side(user, request) -> bool:
    """The coordinator or the town centre (销假, 续假)."""
    return policy.can_follow_up(user, request.coordinator)


def applicant(user, request) -> bool:
    """The applicant, or an administrator (撤回)."""
    return policy.can_withdraw(user, request)


def record_keeper(user, request) -> bool:
    return policy.can_manage(user, request.coordinator)


# --- on which condition of the request -------------------------------------------------


def always(request, today) -> bool:
    return True


def goes_to_city(request, today) -> bool:
    return request.needs_city


def ends_in_town(request, today) -> bool:
    return not request.needs_city


def not_started(request, today) -> bool:
    return request.start_date > today


@dataclass(frozen=True)
class Transition:
    source: State
    action: Action
    target: State
    who: Who
    on_behalf: Who | None = None  # may record a paper signature instead (with the signer's name)
    step: Step | None = None
    when: When = always
    kinds: tuple = BOTH


T = Transition
TABLE: tuple[Transition, ...] = (
    # The chain.
    T(State.PENDING_VILLAGE, Action.APPROVE, State.PENDING_TOWN, village_head, town_centre, Step.VILLAGE),
    T(State.PENDING_VILLAGE, Action.REJECT, State.REJECTED, village_head, town_centre, Step.VILLAGE),
    T(State.PENDING_TOWN, Action.APPROVE, State.PENDING_CITY, town_centre, None, Step.TOWN, goes_to_city),
    T(State.PENDING_TOWN, Action.APPROVE, State.APPROVED, town_centre, None, Step.TOWN, ends_in_town),
    T(State.PENDING_TOWN, Action.REJECT, State.REJECTED, town_centre, None, Step.TOWN),
    T(State.PENDING_CITY, Action.APPROVE, State.APPROVED, city_office, None, Step.CITY),
    T(State.PENDING_CITY, Action.REJECT, State.REJECTED, city_office, None, Step.CITY),
    # The handover of a departing coordinator, confirmed by the town while deciding.
    *(T(s, Action.HANDOVER, s, record_keeper, kinds=DEPARTURE) for s in ApprovalRequest.PENDING),
    # After the approval (leave only). 续假 files an extension; the leave becomes 已续假
    # when that extension is approved.
    T(State.APPROVED, Action.RETURN, State.RETURNED, filer_side, kinds=LEAVE),
    T(State.APPROVED, Action.EXTEND, State.EXTENDED, filer_side, kinds=LEAVE),
    # Withdrawing: while in approval, or a leave approved that has not started.
    *(T(s, Action.WITHDRAW, State.WITHDRAWN, applicant) for s in ApprovalRequest.PENDING),
    T(State.APPROVED, Action.WITHDRAW, State.WITHDRAWN, applicant, when=not_started, kinds=LEAVE),
)  # fmt: skip


@dataclass(frozen=True)
class Allowed:
    """An action this user may take on this request now."""

    transition: Transition
    behalf: bool  # recording someone else's signature

    @property
    def action(self) -> Action:
        return self.transition.action

    @property
    def target(self) -> State:
        return self.transition.target


def _applies(row: Transition, request, today: date) -> bool:
    return (
        row.source == request.state and isinstance(request, row.kinds) and row.when(request, today)
    )


def _permit(row: Transition, user, request) -> Allowed | None:
    if row.who(user, request):
        return Allowed(row, behalf=False)
    if row.on_behalf is not None and row.on_behalf(user, request):
        return Allowed(row, behalf=True)
    return None


def transition_for(request, action, *, today: date | None = None) -> Transition | None:
    """The row that applies to this request and action, whoever acts; None if none does."""
    today = today or timezone.localdate()
    return next((r for r in TABLE if r.action == action and _applies(r, request, today)), None)


def allowed(request, user, action, *, today: date | None = None) -> Allowed | None:
    """The action as this user may take it now, or None."""
    row = transition_for(request, action, today=today)
    return _permit(row, user, request) if row is not None else None


def available_actions(request, user, *, today: date | None = None) -> tuple[Allowed, ...]:
    """What this user may do with this request now, in the table's order."""
    today = today or timezone.localdate()
    permitted = (_permit(r, user, request) for r in TABLE if _applies(r, request, today))
    return tuple(a for a in permitted if a is not None)


def decision_for(request, user, *, today: date | None = None) -> Allowed | None:
    """Whether this user decides the request's current step (and on whose behalf)."""
    return allowed(request, user, Action.APPROVE, today=today) or allowed(
        request, user, Action.REJECT, today=today
    )


def step_of(state) -> Step | None:
    """The step a request in this state waits for, or None when it is not in approval."""
    for row in TABLE:
        if row.source == state and row.step is not None:
            return row.step
    return None


def chain(request) -> tuple[Step, ...]:
    """The steps this request goes through, in order."""
    return tuple(s for s in Step if s != Step.CITY or request.needs_city)


def get_request_for_user(user, model_or_kind, pk, *, action=None):
    """(request, the actions this user may take on it) for a leave request or a departure
    report; ``model_or_kind`` is the model or its key in ``KINDS``. 404 for an outsider;
    403 when ``action`` (an ``Action``, or "decide" for approve/reject) is not allowed."""
    model = KINDS[model_or_kind] if isinstance(model_or_kind, str) else model_or_kind
    related = ["coordinator", "coordinator__unit", "coordinator__unit__parent"]
    if model is LeaveRequest:
        related.append("extends")
    item = get_object_or_404(model.objects.select_related(*related), pk=pk)
    if not policy.can_see(user, item.coordinator):
        raise Http404(f"没有找到该{model._meta.verbose_name}。")
    actions = available_actions(item, user)
    names = {a.action for a in actions}
    if action == "decide" and not names & {Action.APPROVE, Action.REJECT}:
        raise PermissionDenied("您不是这一环节的审批人。")
    if action in FOLLOW_UPS and not policy.can_follow_up(user, item.coordinator):
        raise PermissionDenied("只有协理员本人和本镇（街道）社会事业服务中心可以办理。")
    if action == Action.WITHDRAW and not policy.can_withdraw(user, item):
        raise PermissionDenied(WITHDRAW_REFUSED)
    return item, actions


FOLLOW_UPS = (Action.RETURN, Action.EXTEND)
WITHDRAW_REFUSED = "只有申请人本人（或人社局管理员）可以撤回；审批人请选择「驳回」并写明理由。"
