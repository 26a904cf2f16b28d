"""The whole database as a comparable value: per table, the number of rows and a digest of
them, for "nothing changed" after a refused request.

Every table of every app is read with plain SQL (through tables of many-to-many fields
included), except the logs of requests themselves: sessions (logging a persona in writes
one), the security audit log (it records refusals by design; ``refusal_logged_as_success``
checks what it holds) and login-attempt records of django-axes.
"""

import hashlib

from django.db import connection

IGNORED_PREFIXES = ("django_session", "audit_", "axes_")
AUDIT_TABLE = "audit_securityevent"


def _tables() -> list[str]:
    names = connection.introspection.table_names(include_views=False)
    return sorted(n for n in names if not n.startswith(IGNORED_PREFIXES))


def snapshot() -> dict[str, tuple[int, str]]:
    """{table: (row count, digest of the rows in a stable order)}."""
    state = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - names from the schema
            rows = sorted(repr(row) for row in cursor.fetchall())
            digest = hashlib.blake2b("\n".join(rows).encode(), digest_size=16).hexdigest()
            state[table] = (len(rows), digest)
    return state


def changed_tables(before: dict, after: dict) -> set[str]:
    """The tables whose rows differ between two snapshots."""
    return {t for t in before.keys() | after.keys() if before.get(t) != after.get(t)}


def audit_successes() -> int:
    """Rows of the security log with the outcome 成功 (a refusal must never add one)."""
    if AUDIT_TABLE not in connection.introspection.table_names():
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {connection.ops.quote_name(AUDIT_TABLE)} WHERE outcome = %s",  # noqa: S608
            ["success"],
        )
        return cursor.fetchone()[0]
