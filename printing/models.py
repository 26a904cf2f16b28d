from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PrintJob(models.Model):
    """A PDF made in the background: what to print, who asked, how far it got, the file.

    The table is the queue: a runner claims a queued job by switching its state to
    running in one conditional UPDATE (see ``printing.jobs``).
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("类型"), max_length=50)
    title = models.CharField(_("名称"), max_length=200, blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.CASCADE,
        related_name="print_jobs",
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.QUEUED, db_index=True
    )
    stage = models.CharField(_("进度说明"), max_length=100, blank=True)
    progress_done = models.PositiveIntegerField(_("已完成份数"), default=0)
    progress_total = models.PositiveIntegerField(_("总份数"), default=0)
    error = models.TextField(_("错误信息"), blank=True)
    result = models.FileField(_("PDF 文件"), upload_to="print/", blank=True)
    pages = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    worker = models.CharField(_("执行进程"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("打印任务")
        verbose_name_plural = _("打印任务")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "created_at"], name="printjob_queue")]

    def __str__(self):
        return self.title or f"{self.kind} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
