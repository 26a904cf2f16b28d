"""Rubrics as authored data. The engine (rubrics/engine) scores them; these models store them.

A rubric is identified by its code and version. Once a cycle with scores uses a version,
that version is frozen: changes are made to a new version, and old sheets keep theirs.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from rubrics.engine import rules as rule_kinds
from rubrics.engine.model import NA_POLICIES, QUOTA_SCOPES, SUBJECTS


def kind_choices() -> list[tuple[str, str]]:
    """Every rule kind with its Chinese label, from the engine registry. A callable, so the
    migration does not freeze the list: a new kind needs no migration."""
    return rule_kinds.choices()


NA_LABELS = {
    "none": _("不允许"),
    "average": _("取有任务单位的平均分"),
    "full": _("得满分"),
    "zero": _("不得分"),
}
SUBJECT_LABELS = {"unit": _("单位（平台、专窗）"), "coordinator": _("协理员")}
SCOPE_LABELS = {"cycle": _("整个考核周期"), "town": _("每个镇（街道）")}


class Rubric(models.Model):
    code = models.SlugField(_("代码"), max_length=60)
    version = models.PositiveIntegerField(_("版本"), default=1)
    title = models.CharField(_("标题"), max_length=200)
    issuer = models.CharField(_("发文单位"), max_length=200, blank=True)
    year = models.PositiveIntegerField(_("年度"), null=True, blank=True)
    subject = models.CharField(
        _("考核对象"), max_length=20, choices=[(s, SUBJECT_LABELS[s]) for s in SUBJECTS]
    )
    declared_total = models.DecimalField(
        _("标注总分"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    columns = models.JSONField(_("打印表头"), default=dict, blank=True)
    rounding = models.PositiveSmallIntegerField(
        _("得分保留小数位"), default=2, help_text=_("四舍五入（半数进位）。")
    )
    fallback_grade = models.CharField(_("最低等次"), max_length=20, default="不合格")
    fallback_subsidy_percent = models.DecimalField(
        _("最低等次补助比例（%）"), max_digits=6, decimal_places=2, default=0
    )
    veto_grade = models.CharField(_("一票否决时的等次"), max_length=20, default="不合格")
    quota_grade = models.CharField(_("限额等次"), max_length=20, blank=True)
    quota_percent = models.DecimalField(
        _("限额比例（%）"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    quota_scope = models.CharField(
        _("限额范围"),
        max_length=10,
        choices=[(s, SCOPE_LABELS[s]) for s in QUOTA_SCOPES],
        default="cycle",
    )
    quota_enforced = models.BooleanField(
        _("限额强制执行"),
        default=False,
        help_text=_("不勾选表示“一般不超过”：超出部分只提示，不自动调整。"),
    )
    quota_tie_break = models.JSONField(
        _("名额边界同分时的排序"),
        default=list,
        blank=True,
        help_text=_(
            "依次比较，高者在前：section:<部分代码>（该部分得分）或 base_total（基础分）。"
            "仍同分的由管理员逐一决定，不按名称排序。"
        ),
    )
    bonus_cap = models.DecimalField(
        _("加分总上限"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    notes = models.TextField(_("说明"), blank=True)
    frozen = models.BooleanField(
        _("已冻结"),
        default=False,
        editable=False,
        help_text=_("已有考核周期用它打分；修改须另建新版本。"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评分标准")
        verbose_name_plural = _("评分标准")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="rubric_code_version")
        ]

    def __str__(self):
        return f"{self.title}（{self.code} 第 {self.version} 版）"


class GradeBand(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="grade_bands")
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    label = models.CharField(_("等次"), max_length=20)
    min_score = models.DecimalField(_("最低分（含）"), max_digits=7, decimal_places=2)
    subsidy_percent = models.DecimalField(_("补助比例（%）"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("等次")
        verbose_name_plural = _("等次（从高到低）")
        ordering = ["order", "-min_score"]

    def __str__(self):
        return self.label


class Section(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    key = models.CharField(_("代码"), max_length=30)
    title = models.CharField(_("标题"), max_length=200)
    declared_points = models.DecimalField(
        _("标注小计"), max_digits=7, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("考核项目")
        verbose_name_plural = _("考核项目")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["rubric", "key"], name="section_key_unique")]

    def __str__(self):
        return self.title


class Item(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    key = models.CharField(_("代码"), max_length=30)
    number = models.CharField(_("序号"), max_length=20, blank=True)
    title = models.CharField(_("子项目"), max_length=200)
    requirement = models.TextField(_("目标要求 / 考核内容"), blank=True)
    rule_text = models.TextField(_("评分办法（原文）"), blank=True)
    max_points = models.DecimalField(_("分值"), max_digits=7, decimal_places=2)
    kind = models.CharField(_("计分方式"), max_length=30, choices=kind_choices)
    params = models.JSONField(_("计分参数"), default=dict, blank=True)
    bonus = models.BooleanField(_("加分项"), default=False)
    penalty = models.BooleanField(_("100分以外扣分项"), default=False)
    na_policy = models.CharField(
        _("无此任务时"),
        max_length=10,
        choices=[(p, NA_LABELS[p]) for p in NA_POLICIES],
        default="none",
    )
    indicator = models.CharField(_("关联目标指标"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("评分细则")
        verbose_name_plural = _("评分细则")
        ordering = ["section__order", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["rubric", "key"], name="item_key_unique")]

    def __str__(self):
        return f"{self.number} {self.title}".strip()
