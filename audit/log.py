"""Writing the security log: the one function every app calls."""

from audit.context import current_request
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
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> SecurityEvent:
    """Append one event. ``user`` defaults to the request's user when logged in; ``username``
    names an attempted account when there is no user (a failed login). Without ``request``
    the request being served is used (records written by model signals), so the person and
    the address are known whichever path made the change; a command has neither.
    ``object_type``/``object_id``/``object_repr`` name an object that is not at hand
    (an admin log entry's)."""
    if request is None:
        request = current_request()
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
        object_type=str(object_type)[:100],
        object_id=str(object_id)[:64],
        object_repr=str(object_repr)[:200],
    )
    if obj is not None:
        row.object_type = str(obj._meta.verbose_name)[:100] if hasattr(obj, "_meta") else ""
        row.object_id = str(getattr(obj, "pk", ""))[:64]
        row.object_repr = str(obj)[:200]
    row.save(force_insert=True)
    return row
