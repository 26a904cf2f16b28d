from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from org.naming import normalize_name


class Indicator(models.Model):
    """A measured task of a target table, e.g. 新增就业（人） or 技能提升培训（其中鉴定取证）."""

    name = models.CharField(_("指标"), max_length=200)
    normalized_name = models.CharField(max_length=200, editable=False, unique=True)
    measure = models.CharField(_("计量单位"), max_length=20, blank=True)
    sub_label = models.CharField(
        _("其中项"), max_length=100, blank=True, help_text=_("如「其中鉴定取证」「其中省内」。")
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        self.normalized_name = normalize_name(self.name)
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        """The name as a table header shows it: 技能提升培训（人）."""
        return f"{self.name}（{self.measure}）" if self.measure else self.name


class TargetAllocation(models.Model):
    """The target of one unit for one indicator in one year (目标任务分解)."""

    year = models.PositiveSmallIntegerField(_("年度"))
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="allocations"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="allocations"
    )
    target = models.DecimalField(_("目标值"), max_digits=14, decimal_places=4)
    sub_target = models.DecimalField(
        _("其中项目标"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("目标任务")
        verbose_name_plural = _("目标任务")
        ordering = ["year", "indicator__sort_order", "indicator_id", "unit__sort_order", "unit_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "indicator", "unit"], name="allocation_unique_year_indicator_unit"
            )
        ]

    def __str__(self):
        return f"{self.year} {self.unit} {self.indicator}"


class Achievement(models.Model):
    """What a unit achieved against an indicator in a year (完成数), as of a date."""

    year = models.PositiveSmallIntegerField(_("年度"))
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="achievements"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="achievements"
    )
    actual = models.DecimalField(_("完成数"), max_digits=14, decimal_places=4)
    sub_actual = models.DecimalField(
        _("其中项完成数"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    as_of = models.DateField(_("截至日期"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(_("来源"), max_length=255, blank=True, help_text=_("导入的文件名"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("完成情况")
        verbose_name_plural = _("完成情况")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "indicator", "unit"], name="achievement_unique_year_indicator_unit"
            )
        ]

    def __str__(self):
        return f"{self.year} {self.unit} {self.indicator}"


class ImportBatch(models.Model):
    """One write of targets or actuals (a file import or a browser form): the audit record."""

    class Kind(models.TextChoices):
        TARGETS = "targets", _("目标任务")
        ACTUALS = "actuals", _("完成情况")

    kind = models.CharField(_("内容"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    source = models.CharField(_("来源"), max_length=255, help_text=_("文件名，或「网页录入」"))
    sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    new_count = models.PositiveIntegerField(_("新增"), default=0)
    changed_count = models.PositiveIntegerField(_("修改"), default=0)
    unchanged_count = models.PositiveIntegerField(_("未变"), default=0)
    warnings = models.JSONField(_("警告"), default=list, blank=True)

    class Meta:
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year} {self.source}"


class ImportChange(models.Model):
    """One value a batch created or changed: old → new."""

    class Action(models.TextChoices):
        NEW = "new", _("新增")
        CHANGED = "changed", _("修改")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="changes")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    old_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    old_sub = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    new_value = models.DecimalField(max_digits=14, decimal_places=4)
    new_sub = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)

    class Meta:
        verbose_name = _("导入变更")
        verbose_name_plural = _("导入变更")
        ordering = ["id"]

    def __str__(self):
        return f"{self.unit_id}/{self.indicator_id}: {self.old_value} → {self.new_value}"
