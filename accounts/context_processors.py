from django.conf import settings

from accounts import session_clock
from accounts.policy import reads_audit_log, sees_domain_pages, verification_needed
from org.scope import scope_for


def role(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "current_role": user.get_role_display(),
        "is_bureau_admin": scope_for(user).is_admin,
        # The menu shows only what the person can open (the audit administrator: the log).
        "nav_domain": sees_domain_pages(user),
        "nav_audit_log": reads_audit_log(user),
        # Until the second factor is passed the header offers log-out only.
        "two_factor_pending": verification_needed(user),
    }


def session_timeout(request):
    """What the page's session warning needs (templates/accounts/_session_clock.html)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    idle, absolute = session_clock.seconds_left(request.session, session_clock.now())
    return {
        "session_clock": {
            "idle_seconds": idle,
            "absolute_seconds": absolute,
            "warning_seconds": session_clock.WARNING_SECONDS,
            "max_hours": settings.SESSION_MAX_HOURS,
        }
    }
