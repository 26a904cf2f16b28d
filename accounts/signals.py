"""Logins, failures, logouts and lockouts into the security log (connected in
``AccountsConfig.ready``)."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.utils.translation import gettext as _

from accounts import lockout
from audit import log
from audit.events import Event, Outcome


def _refused_by_lock(request) -> bool:
    # Axes marks a login refused because a lock already holds (the backend sets
    # axes_locked_out before authenticating); a failure that starts a lock also sets it,
    # but only after counting the failure into axes_failures_since_start.
    return bool(
        request is not None
        and getattr(request, "axes_locked_out", False)
        and getattr(request, "axes_failures_since_start", None) is None
    )


def on_logged_in(sender, request, user, **kwargs):
    log.record(Event.LOGIN, request=request, user=user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    if _refused_by_lock(request):
        outcome, detail = Outcome.REFUSED, _("账号或地址已被锁定，登录被拒绝")
    else:
        outcome, detail = Outcome.FAILURE, _("用户名或密码不正确")
    log.record(
        Event.LOGIN_FAILED,
        request=request,
        username=str(credentials.get("username") or ""),
        outcome=outcome,
        detail=detail,
    )


def on_logged_out(sender, request, user, **kwargs):
    if user is not None:
        log.record(Event.LOGOUT, request=request, user=user)


def on_locked_out(sender, request, username, ip_address, **kwargs):
    if _refused_by_lock(request):
        return  # a refused try during a lock: recorded as a refused login, not a new lock
    lock = lockout.lock_for(username=username, address=ip_address)
    if lock is None:
        detail = _("登录失败次数达到上限")
    elif lock.kind == lockout.ACCOUNT:
        detail = _("账号连续 %(n)d 次登录失败，锁定至 %(until)s") % {
            "n": lock.failures,
            "until": lockout.format_until(lock.until),
        }
    else:
        detail = _("地址 %(address)s 登录失败 %(n)d 次，暂停登录至 %(until)s") % {
            "address": ip_address,
            "n": lock.failures,
            "until": lockout.format_until(lock.until),
        }
    log.record(
        Event.LOCKOUT,
        request=request,
        username=str(username or ""),
        outcome=Outcome.REFUSED,
        detail=detail,
    )


def connect():
    user_logged_in.connect(on_logged_in, dispatch_uid="accounts.audit.login")
    user_login_failed.connect(on_login_failed, dispatch_uid="accounts.audit.login_failed")
    user_logged_out.connect(on_logged_out, dispatch_uid="accounts.audit.logout")
    user_locked_out.connect(on_locked_out, dispatch_uid="accounts.audit.lockout")
