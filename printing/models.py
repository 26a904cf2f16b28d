from django.db import models
from django.utils.translation import gettext_lazy as _


def chunk_path(chunk: "PrintChunk", filename: str) -> str:
    return f"printing/chunks/{chunk.job_id}/{chunk.index}.pdf"


class PrintChunk(models.Model):
    """One part of a batch print (``printing.batch_jobs``): consecutive documents of the
    job, in the builder's order, rendered by whichever task worker takes its task.

    ``items`` are what the kind's ``build`` turns into the documents (ids, not laid-out
    documents); ``file`` is the chunk's PDF in the default storage until the merge.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    job = models.ForeignKey(
        "jobs.Job", verbose_name=_("后台任务"), on_delete=models.CASCADE, related_name="+"
    )
    index = models.PositiveIntegerField(_("序号"))
    items = models.JSONField(_("内容"), default=list)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    file = models.FileField(_("文件"), upload_to=chunk_path, max_length=300, blank=True)
    documents = models.PositiveIntegerField(_("份数"), default=0)
    pages = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    worker = models.CharField(_("执行进程"), max_length=100, blank=True)
    task_id = models.CharField(_("任务编号"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("批量打印分组")
        verbose_name_plural = _("批量打印分组")
        ordering = ["job", "index"]
        constraints = [
            models.UniqueConstraint(fields=["job", "index"], name="print_chunk_job_index")
        ]

    def __str__(self):
        return f"{self.job_id} #{self.index}"
