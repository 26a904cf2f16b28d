"""The database's side of the append-only log: what the triggers of migration 0002 ask.

On PostgreSQL the trigger lets a DELETE through only when the transaction has set
``audit.prune = 'on'`` (``SET LOCAL``, see ``audit.retention``) and the row is older than
``RETENTION_FLOOR_DAYS``; UPDATE is always refused, TRUNCATE unless ``audit.flush`` is on
(``manage.py flush``, which empties every table). On SQLite, which has no session
settings, the DELETE trigger asks the function ``audit_delete_permitted(at)`` registered
here on every connection Django opens; outside Django (the sqlite3 shell) the function is
missing and the trigger refuses too.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta

from django.db import connections
from django.utils import timezone

# 网络安全法 第二十一条: network logs are kept at least six months.
RETENTION_FLOOR_DAYS = 180

PRUNE = "prune"
FLUSH = "flush"
_permit: ContextVar = ContextVar("audit_delete_permit", default=None)


def _sqlite_delete_permitted(at) -> int:
    permit = _permit.get()
    if permit == FLUSH:
        return 1
    if permit != PRUNE or at is None:
        return 0
    try:
        when = datetime.fromisoformat(str(at))
    except ValueError:
        return 0
    floor = timezone.now().replace(tzinfo=None) - timedelta(days=RETENTION_FLOOR_DAYS)
    return int(when.replace(tzinfo=None) < floor)


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """connection_created receiver: the function the SQLite DELETE trigger calls."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "audit_delete_permitted", 1, _sqlite_delete_permitted, deterministic=False
        )


@contextmanager
def deletion_permitted(kind: str, *, using: str = "default"):
    """Lets the triggers allow a deletion for the length of the block: ``PRUNE`` (rows older
    than the floor, inside the caller's transaction) or ``FLUSH`` (the whole table)."""
    connection = connections[using]
    token = _permit.set(kind)
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                if kind == PRUNE:
                    cursor.execute("SET LOCAL audit.prune = 'on'")
                else:
                    cursor.execute("SET audit.flush = 'on'")
        yield
    finally:
        _permit.reset(token)
        if connection.vendor == "postgresql" and kind == FLUSH:
            with connection.cursor() as cursor:
                cursor.execute("RESET audit.flush")
