"""What the accounts app lets a person do: read the security log and where the audit
administrator may go (三员分立), who must use the second factor (双因素认证), and whether a
person must change their password before doing anything else.

The audit administrator (``Role.AUDITOR``) reads the security log and nothing else; nobody
else reads it, the bureau administrator and superusers included.

The roles that must use the second factor come from ``settings.OTP_REQUIRED_ROLES`` ("all"
for every role); a superuser counts as an administrator. Accounts made by ``load_demo`` are
exempt from mandatory enrolment while ``settings.OTP_EXEMPT_DEMO`` is on, but once they
enrol they verify like everyone else.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import user_has_device

from org.roles import Role

# Pages the audit administrator may open: URL namespaces open as a whole, single URL
# names, and admin pages (its index and the security log's own read-only pages).
AUDITOR_NAMESPACES = frozenset({"audit", "accounts"})
AUDITOR_URL_NAMES = frozenset({"home", "healthz"})
AUDITOR_ADMIN_URL_NAMES = frozenset(
    {
        "index",
        "login",
        "logout",
        "password_change",
        "password_change_done",
        "jsi18n",
        "audit_securityevent_changelist",
        "audit_securityevent_change",
    }
)
REFUSED_TO_AUDITOR = "审计管理员只能查看安全审计日志（三员分立），不能打开此页面。"


def is_auditor(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "role", None) == Role.AUDITOR
    )


def reads_audit_log(user) -> bool:
    """The one question the log pages and the admin ask."""
    return is_auditor(user)


def require_audit_reader(user) -> None:
    if not reads_audit_log(user):
        raise PermissionDenied("只有审计管理员可以查看安全审计日志。")


def auditor_may_open(match) -> bool:
    """May the audit administrator open the page ``match`` (a ResolverMatch) resolves to?"""
    namespaces = match.namespaces
    if not namespaces:
        return match.url_name in AUDITOR_URL_NAMES
    if namespaces[0] == "admin":
        if match.url_name == "app_list":
            return match.kwargs.get("app_label") == "audit"
        return match.url_name in AUDITOR_ADMIN_URL_NAMES
    return namespaces[0] in AUDITOR_NAMESPACES


def sees_domain_pages(user) -> bool:
    """Assessments, targets, units, staff: everyone logged in but the audit administrator."""
    return not is_auditor(user)


# --- the second factor

EVERY_ROLE = "all"


def required_roles() -> set[str]:
    return {name.strip().lower() for name in settings.OTP_REQUIRED_ROLES}


def role_uses_two_factor(user) -> bool:
    """The user's role is one that must use the second factor (exemptions aside)."""
    if user is None or not user.is_authenticated:
        return False
    roles = required_roles()
    if EVERY_ROLE in roles or user.role in roles:
        return True
    return user.is_superuser and Role.ADMIN in roles


def demo_exempt(user) -> bool:
    return bool(settings.OTP_EXEMPT_DEMO and getattr(user, "is_demo", False))


def enrolment_required(user) -> bool:
    """The user may not work before binding an authenticator."""
    return role_uses_two_factor(user) and not demo_exempt(user)


def may_enrol(user) -> bool:
    """「账号安全」 offers enrolment to the roles that use the second factor, including
    demo accounts that are exempt from doing so."""
    return role_uses_two_factor(user)


def verification_needed(user) -> bool:
    """This session must pass the second factor before anything but log-out: the role uses
    it, the session has not passed it, and the user must enrol or already has."""
    if not role_uses_two_factor(user) or user.is_verified():
        return False
    return not demo_exempt(user) or user_has_device(user, confirmed=True)


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
