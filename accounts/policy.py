"""Who may read the security log, and where the audit administrator may go (三员分立).

The audit administrator (``Role.AUDITOR``) reads the security log and nothing else; nobody
else reads it, the bureau administrator and superusers included.
"""

from django.core.exceptions import PermissionDenied

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
