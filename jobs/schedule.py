"""Periodic work run by the task engine, at most once per period whatever runs it.

A piece of periodic work is registered with its period::

    @periodic("prune_audit_log", every=timedelta(days=1))
    def prune_audit_log() -> str:
        return "已清理 12 条过期的安全审计日志。"   # what it did, kept on its ScheduledRun row

``tick`` (a task) runs what is due and enqueues itself again ``TICK_SECONDS`` later, so a
running worker is all that is needed; ``manage.py start_schedule`` starts the chain (run by
``./dev run`` and before each worker in production) and is harmless when it already runs.
Without a worker, ``manage.py run_scheduled`` run from cron does the same once. Whoever runs
it, a period's work is claimed with a conditional UPDATE of its ``ScheduledRun`` row, so two
workers, or a worker and cron, never run it twice in a period.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from jobs.models import ScheduledRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    name: str
    every: timedelta
    run: Callable[[], str]


_periodic: dict[str, Periodic] = {}


def periodic(name: str, *, every: timedelta):
    def add(function: Callable[[], str]) -> Callable[[], str]:
        _periodic[name] = Periodic(name, every, function)
        return function

    return add


def registered() -> list[Periodic]:
    return sorted(_periodic.values(), key=lambda p: p.name)


def tick_seconds() -> int:
    return getattr(settings, "SCHEDULE_TICK_SECONDS", 60)


def _claim(entry: Periodic, now) -> bool:
    row, _created = ScheduledRun.objects.get_or_create(name=entry.name)
    due = Q(last_run_at__isnull=True) | Q(last_run_at__lte=now - entry.every)
    previous = row.last_run_at
    query = ScheduledRun.objects.filter(pk=row.pk).filter(due)
    query = query.filter(last_run_at=previous) if previous else query
    return bool(query.update(last_run_at=now))


def run_due(now=None) -> list[tuple[str, str]]:
    """Run every periodic piece of work whose period has passed; returns (name, outcome)."""
    now = now or timezone.now()
    ran = []
    for entry in registered():
        if not _claim(entry, now):
            continue
        try:
            outcome = entry.run() or "已完成"
        except Exception as exc:
            logger.exception("periodic %s failed", entry.name)
            outcome = f"失败：{type(exc).__name__}"
        ScheduledRun.objects.filter(name=entry.name).update(last_outcome=outcome[:1000])
        ran.append((entry.name, outcome))
    return ran


@task()
def tick() -> int:
    """Run what is due, then come back in ``SCHEDULE_TICK_SECONDS``."""
    try:
        return len(run_due())
    finally:
        _enqueue_next()


def _pending_ticks():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=tick.module_path,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    )


def _enqueue_next() -> None:
    if queues() and not _pending_ticks().filter(status=TaskResultStatus.READY).exists():
        run_after = timezone.now() + timedelta(seconds=tick_seconds())
        tick.using(run_after=run_after).enqueue()


def queues() -> bool:
    """Whether the task backend keeps tasks for later (the database backend does; the
    immediate backend of the tests runs them at once)."""
    return bool(tick.get_backend().supports_defer)


def start() -> bool:
    """Make sure a tick is waiting in the task queue; True if one was enqueued now."""
    if not queues():
        return False
    if _pending_ticks().exists():
        return False
    tick.enqueue()
    return True
