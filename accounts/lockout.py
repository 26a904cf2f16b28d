"""Login failure handling (登录失败处理) on top of django-axes.

Axes records each failed login in ``AccessAttempt`` (one row per user name, address and
browser) and refuses a login while the failures in the last ``AXES_COOLOFF_TIME`` reach
the limit. Axes has one limit; the bureau needs two: an account locks after
``AXES_FAILURE_LIMIT`` failures from anywhere, and an address (often a whole office behind
one NAT) is throttled after its own, larger ``LOGIN_ADDRESS_FAILURE_LIMIT`` failures
across every user name. ``LockoutHandler`` counts both; ``lock_for`` says which lock holds
and until when, for the login page and the admin.
"""

from dataclasses import dataclass
from datetime import datetime

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

ACCOUNT = "account"
ADDRESS = "address"


@dataclass(frozen=True)
class Lock:
    kind: str  # ACCOUNT or ADDRESS
    until: datetime
    failures: int
    limit: int


def account_limit() -> int:
    return settings.AXES_FAILURE_LIMIT


def address_limit() -> int:
    """0 turns the address throttle off."""
    return getattr(settings, "LOGIN_ADDRESS_FAILURE_LIMIT", 0)


def _window_start(now=None):
    return (now or timezone.now()) - get_cool_off()


def _lock_end(rows, limit: int):
    """When the failures in the window fall below ``limit`` as the rows age out of it.
    ``rows`` are (last failure time, failures) of the attempts inside the window."""
    rows = sorted(rows)
    remaining = sum(n for _t, n in rows)
    if not limit or remaining < limit:
        return None
    for at, failures in rows:
        remaining -= failures
        if remaining < limit:
            return at + get_cool_off()
    return None  # unreachable: the last row leaves nothing


def _rows(**filters):
    return AccessAttempt.objects.filter(attempt_time__gte=_window_start(), **filters).values_list(
        "attempt_time", "failures_since_start"
    )


def lock_for(*, username: str | None, address: str | None) -> Lock | None:
    """The lock that refuses this user name from this address now, account first."""
    if username:
        rows = list(_rows(username=username))
        until = _lock_end(rows, account_limit())
        if until:
            return Lock(ACCOUNT, until, sum(n for _t, n in rows), account_limit())
    if address and address_limit():
        rows = list(_rows(ip_address=address))
        until = _lock_end(rows, address_limit())
        if until:
            return Lock(ADDRESS, until, sum(n for _t, n in rows), address_limit())
    return None


def account_locks() -> dict[str, datetime]:
    """Every locked account now: user name → end of its lock."""
    by_name: dict[str, list] = {}
    for name, at, failures in AccessAttempt.objects.filter(
        attempt_time__gte=_window_start(), username__isnull=False
    ).values_list("username", "attempt_time", "failures_since_start"):
        by_name.setdefault(name, []).append((at, failures))
    locks = {name: _lock_end(rows, account_limit()) for name, rows in by_name.items()}
    return {name: until for name, until in locks.items() if until}


def describe(lock: Lock, *, username: str = "", address: str = "") -> str:
    """The Chinese sentence the login page shows for a lock."""
    until = format_until(lock.until)
    if lock.kind == ACCOUNT:
        return _(
            "账号「%(username)s」连续 %(limit)d 次登录失败，已被锁定，将于 %(until)s 自动解锁。"
            "如需提前解锁，请联系人社局管理员。"
        ) % {"username": username, "limit": lock.limit, "until": until}
    return _(
        "从本机所在地址（%(address)s）登录失败的次数过多（%(limit)d 次），"
        "已暂停从该地址登录，将于 %(until)s 恢复。"
    ) % {"address": address, "limit": lock.limit, "until": until}


def format_until(moment: datetime) -> str:
    """The time of day, with the date when it is not today (local time)."""
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return f"{local:%H:%M}"
    return f"{local.month}月{local.day}日 {local:%H:%M}"


class LockoutHandler(AxesDatabaseHandler):
    """Axes's database handler with the two limits (``AXES_HANDLER``)."""

    def get_failures(self, request, credentials=None) -> int:
        # Axes compares this one number with AXES_FAILURE_LIMIT: the account's failures, or
        # the limit itself once the address has reached its own limit.
        threshold = get_cool_off_threshold(request)
        username = get_client_username(request, credentials)
        account = _sum(username=username, attempt_time__gte=threshold)
        address = getattr(request, "axes_ip_address", None)
        if address and address_limit():
            if _sum(ip_address=address, attempt_time__gte=threshold) >= address_limit():
                return max(account, account_limit())
        return account

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A successful login clears that account's failures only; clearing its address too
        # would let anyone holding one valid account reset the address throttle.
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _deleted = AccessAttempt.objects.filter(username=username).delete()
        return count


def _sum(**filters) -> int:
    return (
        AccessAttempt.objects.filter(**filters).aggregate(n=Sum("failures_since_start"))["n"] or 0
    )


def lockout_response(request, original_response=None, credentials=None):
    """The login page with the lock explained (``AXES_LOCKOUT_CALLABLE``); never axes's
    English text. Status 429, as axes answers a locked login."""
    from accounts.forms import LoginForm

    username = get_client_username(request, credentials) or ""
    address = getattr(request, "axes_ip_address", None) or ""
    lock = lock_for(username=username, address=address)
    if lock is None:  # the lock ran out between the check and now: let them try again
        message = _("登录失败次数过多，请稍后再试。")
    else:
        message = describe(lock, username=username, address=address)
    form = LoginForm(request, initial={"username": username})
    context = {
        "form": form,
        "lockout_message": message,
        "next": request.POST.get("next", request.GET.get("next", "")),
    }
    return render(request, "accounts/login.html", context, status=429)
