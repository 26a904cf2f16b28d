"""Writes of the jobs app: asking for background work, and asking again."""

from __future__ import annotations

import json

from django.db import transaction

from jobs.models import Job
from jobs.registry import JobError, get_kind


@transaction.atomic
def job_enqueue(*, kind: str, params: dict, user, title: str = "") -> Job:
    """Queue a job of ``kind`` for ``user``; its task is enqueued when this transaction
    commits, so a worker never sees a job the request then rolled back.

    The caller has already decided that ``user`` may do what ``params`` select (the
    runner runs later, outside the request). Raises ``JobError`` for an unknown kind or
    parameters that are not JSON.
    """
    job_kind = get_kind(kind)
    try:
        json.dumps(params)
    except (TypeError, ValueError) as exc:
        raise JobError(f"任务参数无法保存：{exc}") from exc
    job = Job.objects.create(
        kind=kind, params=params, requested_by=user, title=title or job_kind.label
    )
    _enqueue_on_commit(job.pk)
    return job


def _enqueue_on_commit(job_id: int) -> None:
    from jobs.tasks import enqueue_task

    transaction.on_commit(lambda: enqueue_task(job_id))


@transaction.atomic
def job_resubmit(*, job: Job, user) -> Job:
    """Ask again for a failed job, with the same parameters, as a new job."""
    if job.state != Job.State.FAILED:
        raise JobError("只有失败的任务可以重新提交。")
    job_kind = get_kind(job.kind)
    if job_kind.permitted is not None and not job_kind.permitted(user, job.params):
        raise JobError("您已没有执行该任务的权限，不能重新提交。")
    again = Job.objects.create(
        kind=job.kind,
        params=job.params,
        requested_by=user,
        title=job.title,
        resubmitted_from=job,
    )
    _enqueue_on_commit(again.pk)
    return again
