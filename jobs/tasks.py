"""The task-engine side: django-tasks tasks (the API Django 6.0 ships as ``django.tasks``).

Every job runs through one task, ``run_job(job_id)``; a worker (``manage.py db_worker`` of
django-tasks-db, or the immediate backend in tests) calls it. Work that splits into parts
any worker may take (a batch print's chunks) enqueues more tasks from its runner.
"""

from __future__ import annotations

from django_tasks import TaskResultStatus, task

from jobs.models import Job

__all__ = ["TaskResultStatus", "enqueue_task", "run_job"]


@task(takes_context=True)
def run_job(context, job_id: int) -> str:
    from jobs.runner import execute

    job = execute(job_id, task_id=str(context.task_result.id))
    return job.state if job is not None else "skipped"


def enqueue_task(job_id: int) -> str:
    """Hand job ``job_id`` to the task engine; returns the task's id (stored on the job)."""
    result = run_job.enqueue(job_id)
    task_id = str(result.id)
    Job.objects.filter(pk=job_id, task_id="").update(task_id=task_id)
    return task_id
