"""Periodic work of batch printing (every print kind is registered by ``printing.registry``)."""

from __future__ import annotations

from datetime import timedelta

from jobs.schedule import periodic


@periodic("printing_discard_chunks", every=timedelta(hours=1))
def discard_finished_chunks() -> str:
    """Chunk PDFs left by batch prints that ended without their merge (a worker died)."""
    from jobs.models import Job
    from printing.batch_jobs import discard_chunk_files
    from printing.models import PrintChunk

    ended = Job.objects.filter(
        state__in=[Job.State.DONE, Job.State.FAILED],
        pk__in=PrintChunk.objects.exclude(file="").values("job_id"),
    )
    count = sum(discard_chunk_files(job) for job in ended)
    return f"已删除已结束的批量打印留下的分组文件 {count} 个。"
