"""Pruning the security log: the one way rows leave it."""

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from audit.events import Event
from audit.guard import PRUNE, RETENTION_FLOOR_DAYS, deletion_permitted
from audit.log import record
from audit.models import SecurityEvent


class RetentionTooShort(ValueError):
    pass


def retention_days() -> int:
    return getattr(settings, "AUDIT_RETENTION_DAYS", RETENTION_FLOOR_DAYS)


@transaction.atomic
def prune(*, older_than_days: int) -> int:
    """Delete the rows older than ``older_than_days`` (at least 180) and record how many
    went, as an AUDIT_PRUNE event. Returns the count."""
    if older_than_days < RETENTION_FLOOR_DAYS:
        raise RetentionTooShort(
            f"安全审计日志至少保存 {RETENTION_FLOOR_DAYS} 天（网络安全法 第二十一条：不少于六个月），"
            f"不能清理 {older_than_days} 天以内的记录。"
        )
    cutoff = timezone.now() - timedelta(days=older_than_days)
    table = connection.ops.quote_name(SecurityEvent._meta.db_table)
    column = connection.ops.quote_name("at")
    with deletion_permitted(PRUNE), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE {column} < %s",
            [connection.ops.adapt_datetimefield_value(cutoff)],
        )
        count = cursor.rowcount
    local = timezone.localtime(cutoff)
    record(
        Event.AUDIT_PRUNE,
        detail=(
            f"清理了 {local:%Y-%m-%d %H:%M} 之前（{older_than_days} 天以前）的安全审计记录 "
            f"{count} 条。"
        ),
    )
    return count
