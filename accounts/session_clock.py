"""How long a signed-in session may last: the idle and the absolute limit.

A session ends SESSION_IDLE_MINUTES after the person's last request and SESSION_MAX_HOURS
after the login, whichever comes first. Both instants are kept in the session itself as
Unix seconds; requests the page makes on its own (polling a print job) carry the
BACKGROUND_HEADER and do not count as activity.
"""

import enum
import time

from django.conf import settings
from django.utils.translation import gettext as _

LOGIN_AT = "_session_login_at"
LAST_ACTIVITY = "_session_last_activity"
BACKGROUND_HEADER = "X-Background-Request"
# The page warns this many seconds before the session ends (static/js/session.js).
WARNING_SECONDS = 60


class Ending(enum.Enum):
    IDLE = "idle"
    ABSOLUTE = "absolute"


def idle_limit() -> int:
    return settings.SESSION_IDLE_MINUTES * 60


def absolute_limit() -> int:
    return settings.SESSION_MAX_HOURS * 3600


def now() -> int:
    return int(time.time())


def start(session, at: int) -> None:
    """Start the clocks of a session that has none (the request that logged in)."""
    session.setdefault(LOGIN_AT, at)
    session.setdefault(LAST_ACTIVITY, at)


def touch(session, at: int) -> None:
    session[LAST_ACTIVITY] = at


def ending(session, at: int) -> Ending | None:
    """Which limit the session has passed at ``at``, if any. A session without clocks (made
    before they existed) has passed none; its clocks start with this request."""
    login_at = session.get(LOGIN_AT)
    last = session.get(LAST_ACTIVITY)
    if login_at is not None and at - login_at >= absolute_limit():
        return Ending.ABSOLUTE
    if last is not None and at - last >= idle_limit():
        return Ending.IDLE
    return None


def seconds_left(session, at: int) -> tuple[int, int]:
    """(seconds until the idle limit, seconds until the absolute limit)."""
    login_at = session.get(LOGIN_AT, at)
    last = session.get(LAST_ACTIVITY, at)
    idle = max(0, idle_limit() - (at - last))
    absolute = max(0, absolute_limit() - (at - login_at))
    return idle, absolute


def is_background(request) -> bool:
    return request.headers.get(BACKGROUND_HEADER) == "1"


def ended_message(why: Ending) -> str:
    if why is Ending.IDLE:
        return _(
            "您已连续 %(minutes)d 分钟没有操作，为保护账号安全，系统已自动退出登录。请重新登录。"
        ) % {"minutes": settings.SESSION_IDLE_MINUTES}
    return _("您本次登录已满 %(hours)d 小时，为保护账号安全，系统已自动退出登录。请重新登录。") % {
        "hours": settings.SESSION_MAX_HOURS
    }
