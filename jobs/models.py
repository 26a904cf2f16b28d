from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def output_path(job: "Job", filename: str) -> str:
    return f"jobs/{job.pk}/{filename}"


class Job(models.Model):
    """One piece of background work a person asked for: what, how far it got, the outcome.

    The task engine (django-tasks, ``jobs.tasks.run_job``) runs it; this row is what the
    person sees: progress, the Chinese error or success summary, the output file.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("类型"), max_length=50)
    title = models.CharField(_("名称"), max_length=200, blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.QUEUED, db_index=True
    )
    stage = models.CharField(_("进度说明"), max_length=100, blank=True)
    progress_done = models.PositiveIntegerField(_("已完成"), default=0)
    progress_total = models.PositiveIntegerField(_("总数"), default=0)
    error = models.TextField(_("错误信息"), blank=True)
    summary = models.TextField(_("完成说明"), blank=True)
    link = models.CharField(_("结果页面"), max_length=300, blank=True)
    result = models.FileField(_("输出文件"), upload_to=output_path, max_length=300, blank=True)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    pages = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    worker = models.CharField(_("执行进程"), max_length=100, blank=True)
    task_id = models.CharField(_("任务编号"), max_length=64, blank=True)
    resubmitted_from = models.ForeignKey(
        "self",
        verbose_name=_("重新提交自"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "created_at"], name="job_state")]

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


class ScheduledRun(models.Model):
    """When a piece of periodic work last ran (``jobs.schedule``): at most once a period."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    last_run_at = models.DateTimeField(_("上次运行"), null=True, blank=True)
    last_outcome = models.TextField(_("上次结果"), blank=True)

    class Meta:
        verbose_name = _("定时任务")
        verbose_name_plural = _("定时任务")

    def __str__(self):
        return self.name
