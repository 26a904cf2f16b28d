"""Writes about accounts: password changes and resets, lifting login locks."""

from axes.handlers.proxy import AxesProxyHandler
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import lockout
from audit import log
from audit.events import Event


@transaction.atomic
def password_change(*, user, password: str, request=None) -> None:
    """The person sets their own password (already validated): the hold on first login or
    after expiry ends."""
    user.set_password(password)
    user.must_change_password = False
    user.save()
    log.record(Event.PASSWORD_CHANGE, request=request, user=user, obj=user)


@transaction.atomic
def password_reset_recorded(*, user, by, request=None) -> None:
    """An administrator has set ``user``'s password: the owner must change it at their next
    request (unless the administrator set their own)."""
    if user.pk != by.pk and not user.must_change_password:
        user.must_change_password = True
        user.save(update_fields=["must_change_password"])
    log.record(
        Event.PASSWORD_RESET,
        request=request,
        user=by,
        obj=user,
        detail=_("管理员 %(by)s 重置了 %(user)s 的密码")
        % {"by": by.username, "user": user.username},
    )


@transaction.atomic
def unlock_account(*, user, by, request=None) -> bool:
    """Lift ``user``'s login lock now (their failure count starts again from zero).
    Returns whether the account was locked."""
    until = lockout.account_locks().get(user.username)
    AxesProxyHandler.reset_attempts(username=user.username)
    if until is None:
        return False
    log.record(
        Event.UNLOCK,
        request=request,
        user=by,
        obj=user,
        detail=_("%(by)s 解除了 %(user)s 的登录锁定（原定 %(until)s 解锁）")
        % {"by": by.username, "user": user.username, "until": lockout.format_until(until)},
    )
    return True
