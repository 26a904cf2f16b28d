"""The task-engine side of batch printing: one task per chunk, one for the merge.

``printing.batch_jobs`` says what they do. Any worker (``manage.py db_worker``) on any app
server may take them; they share only the database and the default storage. The merge is
enqueued with a higher priority, so a batch whose chunks are all done is not kept waiting
behind other batches' chunks.
"""

from __future__ import annotations

from django_tasks import task

MERGE_PRIORITY = 10


@task(takes_context=True)
def render_chunk(context, chunk_id: int) -> str:
    from printing.batch_jobs import run_chunk

    return run_chunk(chunk_id, task_id=str(context.task_result.id))


@task(priority=MERGE_PRIORITY)
def merge_chunks(job_id: int) -> str:
    from printing.batch_jobs import merge

    return merge(job_id)


def enqueue_chunk(chunk_id: int) -> str:
    return str(render_chunk.enqueue(chunk_id).id)


def enqueue_merge(job_id: int) -> str:
    return str(merge_chunks.enqueue(job_id).id)
