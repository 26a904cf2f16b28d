"""Writing the security log: the one function every app calls."""

from audit.models import SecurityEvent

Event = SecurityEvent.Event
Outcome = SecurityEvent.Outcome


def client_address(request) -> str | None:
    """The client's address as the web server saw it (REMOTE_ADDR; a reverse proxy in
    front must pass the real one, see the README's production section)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    event,
    *,
    request=None,
    user=None,
    username: str = "",
    obj=None,
    outcome=Outcome.SUCCESS,
    detail: str = "",
    changes: dict | None = None,
) -> SecurityEvent:
    """Append one event. ``user`` defaults to the request's user when logged in; ``username``
    names an attempted account when there is no user (a failed login)."""
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    row = SecurityEvent(
        event=event,
        outcome=outcome,
        user_id=getattr(user, "pk", None),
        username=(getattr(user, "username", "") or username)[:150],
        address=client_address(request),
        detail=detail,
        changes=changes or {},
    )
    if obj is not None:
        row.object_type = str(obj._meta.verbose_name)[:100] if hasattr(obj, "_meta") else ""
        row.object_id = str(getattr(obj, "pk", ""))[:64]
        row.object_repr = str(obj)[:200]
    row.save(force_insert=True)
    return row
