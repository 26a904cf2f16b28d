"""Whether a person must change their password before doing anything else."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

FIRST_LOGIN = "first_login"
EXPIRED = "expired"


def password_change_reason(user) -> str | None:
    """FIRST_LOGIN (a new account, or a password set by an administrator), EXPIRED (older
    than PASSWORD_MAX_AGE_DAYS), or None. Demo accounts are never held."""
    if not user.is_authenticated or user.is_demo or not user.has_usable_password():
        return None
    if user.must_change_password:
        return FIRST_LOGIN
    max_age = settings.PASSWORD_MAX_AGE_DAYS
    if max_age and user.password_changed_at < timezone.now() - timedelta(days=max_age):
        return EXPIRED
    return None


def password_change_message(reason: str | None) -> str:
    if reason == FIRST_LOGIN:
        return _(
            "这是您首次登录，或管理员刚为您重置了密码：请先设置一个只有您知道的新密码，"
            "修改后才能继续使用系统。"
        )
    if reason == EXPIRED:
        return _("您的密码已使用超过 %(days)d 天，按规定须定期更换：请先修改密码再继续使用。") % {
            "days": settings.PASSWORD_MAX_AGE_DAYS
        }
    return ""
