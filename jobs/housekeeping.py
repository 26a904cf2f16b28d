"""The periodic work of the jobs app itself (registered with ``jobs.schedule``)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from jobs.models import Job
from jobs.schedule import periodic


@periodic("jobs_fail_abandoned", every=timedelta(minutes=1))
def fail_abandoned_jobs() -> str:
    from jobs.runner import enqueue_lost, fail_abandoned

    failed = fail_abandoned()
    lost = enqueue_lost()
    return f"标记中断的任务 {failed} 个，重新排队 {lost} 个。"


@periodic("jobs_prune_finished", every=timedelta(days=1))
def prune_finished_jobs() -> str:
    """Finished jobs (and their files, and the task engine's rows) older than
    ``JOB_RETENTION_DAYS`` go."""
    from django_tasks_db.models import DBTaskResult

    from jobs.tasks import TaskResultStatus

    days = getattr(settings, "JOB_RETENTION_DAYS", 30)
    cutoff = timezone.now() - timedelta(days=days)
    old = Job.objects.filter(state__in=[Job.State.DONE, Job.State.FAILED], finished_at__lt=cutoff)
    count = 0
    for job in old.iterator():
        if job.result:
            job.result.delete(save=False)
        job.delete()
        count += 1
    tasks, _ = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
        finished_at__lt=cutoff,
    ).delete()
    return f"删除 {days} 天前完成的任务 {count} 个、任务记录 {tasks} 条。"


@periodic("prune_audit_log", every=timedelta(days=1))
def prune_audit_log() -> str:
    from audit.retention import prune, retention_days

    days = retention_days()
    return f"已清理 {prune(older_than_days=days)} 条超过 {days} 天的安全审计日志。"
