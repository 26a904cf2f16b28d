"""Writes of the accounts app: binding, verifying and resetting the second factor; password
changes and resets; lifting login locks."""

import re
import unicodedata
from dataclasses import dataclass

from axes.handlers.proxy import AxesProxyHandler
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import lockout
from audit import log
from audit.events import Event, Outcome

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "身份验证器"
RECOVERY_NAME = "恢复码"

_TOTP_CODE = re.compile(r"^\d{6}$")
_SEPARATORS = re.compile(r"[\s\-]+")


class TwoFactorRefused(Exception):
    """A code was not accepted; the message says why, in Chinese, for the form field."""


@dataclass(frozen=True)
class Verified:
    device: object
    by_recovery_code: bool
    recovery_codes_left: int | None = None


def normalise_code(raw: str) -> str:
    """Spaces and hyphens typed inside a code do not matter; nor does case or full width."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw or "")).lower()


def _throttle_message(device) -> str | None:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    until = timezone.localtime(data["locked_until"])
    seconds = max(1, int((data["locked_until"] - timezone.now()).total_seconds()) + 1)
    return _(
        "验证码连续输错 %(count)s 次，为防止猜测，请在 %(until)s（约 %(seconds)s 秒后）再试。"
    ) % {"count": data["failure_count"], "until": until.strftime("%H:%M:%S"), "seconds": seconds}


def authenticator_for_enrolment(*, user) -> TOTPDevice:
    """The authenticator being bound: the unconfirmed one already shown, or a new secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def _refuse(request, user, message, detail):
    log.record(Event.OTP_FAILED, request=request, user=user, outcome=Outcome.FAILURE, detail=detail)
    raise TwoFactorRefused(message)


def two_factor_enrol(*, request, user, token: str) -> list[str]:
    """Confirm the authenticator being bound with a code it shows; the session counts as
    verified and new recovery codes are made. Returns the codes (shown once)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        raise TwoFactorRefused(_("绑定页面已过期，请重新打开「绑定身份验证器」页面扫描二维码。"))
    code = normalise_code(token)
    if not _TOTP_CODE.match(code):
        raise TwoFactorRefused(_("请输入身份验证器上显示的 6 位数字。"))
    throttled = _throttle_message(device)
    if throttled:
        _refuse(request, user, throttled, "绑定时尝试过于频繁，已拒绝")
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        accepted = device.verify_token(code)
    if not accepted:
        _refuse(
            request,
            user,
            _("验证码不正确：请确认手机时间准确，并输入身份验证器上当前显示的 6 位数字。"),
            "绑定身份验证器时验证码错误",
        )
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = _new_recovery_codes(user)
        log.record(
            Event.OTP_ENROL,
            request=request,
            user=user,
            obj=user,
            detail=f"绑定身份验证器，生成 {len(codes)} 个恢复码",
        )
    otp_login(request, device)
    return codes


def two_factor_verify(*, request, user, token: str) -> Verified:
    """Check a 6-digit code from the authenticator, or a recovery code (used up by this),
    and mark the session verified."""
    code = normalise_code(token)
    if not code:
        raise TwoFactorRefused(_("请输入 6 位验证码或一个恢复码。"))
    by_recovery = not _TOTP_CODE.match(code)
    model = StaticDevice if by_recovery else TOTPDevice
    device = model.objects.filter(user=user, confirmed=True).first()
    if device is None:
        if by_recovery:
            _refuse(request, user, _("该账号没有可用的恢复码，请输入 6 位验证码。"), "恢复码错误")
        raise TwoFactorRefused(_("该账号尚未绑定身份验证器。"))
    throttled = _throttle_message(device)
    if throttled:
        _refuse(request, user, throttled, "尝试过于频繁，已拒绝")
    if verify_token(user, device.persistent_id, code) is None:
        if by_recovery:
            message = _("恢复码不正确或已经用过：每个恢复码只能使用一次。")
            detail = "恢复码错误或已使用"
        else:
            message = _(
                "验证码不正确或已经用过：请输入身份验证器上当前显示的 6 位数字"
                "（每个验证码只能使用一次，请等下一个出现）。"
            )
            detail = "验证码错误或重复使用"
        _refuse(request, user, message, detail)
    device.refresh_from_db()
    otp_login(request, device)
    left = device.token_set.count() if by_recovery else None
    return Verified(device=device, by_recovery_code=by_recovery, recovery_codes_left=left)


@transaction.atomic
def recovery_codes_regenerate(*, request, user) -> list[str]:
    """Replace every recovery code of the user with new ones (the old ones stop working)."""
    codes = _new_recovery_codes(user)
    log.record(
        Event.OTP_ENROL,
        request=request,
        user=user,
        obj=user,
        detail=f"重新生成 {len(codes)} 个恢复码，原有恢复码作废",
    )
    return codes


@transaction.atomic
def two_factor_reset(*, request, target) -> None:
    """An administrator removes another person's authenticator and recovery codes; the
    person binds a new one at the next log-in (verified sessions lose their device)."""
    TOTPDevice.objects.filter(user=target).delete()
    StaticDevice.objects.filter(user=target).delete()
    log.record(
        Event.OTP_RESET,
        request=request,
        obj=target,
        detail=f"解除用户「{target.username}」的双因素认证（身份验证器与恢复码）",
    )


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
