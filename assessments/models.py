"""Cycles, sheets, item scores, history and results.

A cycle scores a set of units (or coordinators) with one frozen rubric version, in one or two
phases (新建: 30% process + 70% annual). A sheet (Assessment) is one unit's scores in one
phase; each ItemScore keeps, for one side (self-assessment, review, …), the inputs its rule
needs and the score computed from them, so a printed sheet can always be explained and
re-derived. A side is a row with a ``side`` value, never a second set of columns: what differs
per side is described once, in ``assessments.sides.SIDES``.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

PHASES = {"process": _("过程考核"), "annual": _("年度考核")}


class Side(models.TextChoices):
    """Who scored: the unit itself, or the town reviewing it. A new side is a new value here
    and its description row in ``assessments.sides.SIDES``."""

    SELF = "self", _("自评")
    REVIEW = "review", _("审核")


def side_choices():
    # A callable, so a new side needs no migration.
    return Side.choices


class Cycle(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("准备中")
        SELF_OPEN = "self_open", _("自评中")
        REVIEW = "review", _("审核中")
        FINALISED = "finalised", _("已定稿")
        PUBLISHED = "published", _("已公布")

    class PublicityScope(models.TextChoices):
        TOWN = "town", _("各镇（街道）公示本镇名单")
        CYCLE = "cycle", _("公示本周期全部名单")

    title = models.CharField(_("名称"), max_length=200)
    year = models.PositiveIntegerField(_("年度"))
    rubric = models.ForeignKey(
        "rubrics.Rubric",
        verbose_name=_("评分标准"),
        on_delete=models.PROTECT,
        related_name="cycles",
    )
    process_weight = models.DecimalField(
        _("过程考核权重（%）"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    annual_weight = models.DecimalField(
        _("年度考核权重（%）"), max_digits=5, decimal_places=2, default=Decimal("100")
    )
    self_deadline = models.DateField(_("自评截止"), null=True, blank=True)
    review_deadline = models.DateField(_("审核截止"), null=True, blank=True)
    base_subsidy = models.DecimalField(
        _("补助标准（元/单位）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.DRAFT)
    computed_at = models.DateTimeField(_("最近计算"), null=True, blank=True)
    # 公示: set when the results are published (assessments.publicity).
    publicity_start = models.DateField(_("公示开始"), null=True, blank=True)
    publicity_end = models.DateField(_("公示截止"), null=True, blank=True)
    publicity_scope = models.CharField(
        _("公示范围"), max_length=8, choices=PublicityScope.choices, default=PublicityScope.TOWN
    )
    # How many times the results were published: a republication after an upheld objection
    # is a new round (its notices are told again, its objections counted apart).
    publicity_round = models.PositiveIntegerField(_("公示轮次"), default=0)
    # Set when the 公示 ended with no objection waiting: the results are final.
    results_final_at = models.DateTimeField(_("结果终结"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("考核周期")
        verbose_name_plural = _("考核周期")
        ordering = ["-year", "-id"]

    def __str__(self):
        return self.title

    @property
    def phases(self) -> list[str]:
        return [
            p for p, w in (("process", self.process_weight), ("annual", self.annual_weight)) if w
        ]

    @property
    def weights(self) -> dict[str, Decimal]:
        return {"process": self.process_weight, "annual": self.annual_weight}

    @property
    def locked(self) -> bool:
        return self.state in (self.State.FINALISED, self.State.PUBLISHED)


class Assessment(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("填报中")
        SUBMITTED = "submitted", _("已提交")
        RETURNED = "returned", _("已退回")
        REVIEWED = "reviewed", _("已审核")
        FINALISED = "finalised", _("已定稿")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="assessments")
    phase = models.CharField(
        _("阶段"), max_length=10, choices=list(PHASES.items()), default="annual"
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("单位"), on_delete=models.PROTECT)
    coordinator = models.ForeignKey(
        "staff.Coordinator",
        verbose_name=_("协理员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
    )

    class Absence(models.TextChoices):
        NONE = "", _("—")
        NOT_SUBMITTED = "not_submitted", _("未提交")

    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    # Recorded by an administrator closing self-assessment (or finalising) without this
    # sheet: the result is the rubric's absence outcome (rubrics.engine.absence), never 0.
    absence = models.CharField(
        _("未参加情况"), max_length=20, choices=Absence.choices, blank=True, default=""
    )
    return_reason = models.TextField(_("退回原因"), blank=True)
    version = models.PositiveIntegerField(default=1, help_text="incremented on every save")
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("考核表")
        verbose_name_plural = _("考核表")
        ordering = ["unit__parent__sort_order", "unit__sort_order", "unit_id", "phase"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "phase", "unit"],
                condition=models.Q(coordinator__isnull=True),
                name="one_sheet_per_unit_and_phase",
            ),
            models.UniqueConstraint(
                fields=["cycle", "phase", "coordinator"],
                condition=models.Q(coordinator__isnull=False),
                name="one_sheet_per_coordinator_and_phase",
            ),
        ]

    def __str__(self):
        who = self.coordinator.name if self.coordinator_id else self.unit.name
        return f"{self.cycle.title} · {who} · {self.get_phase_display()}"

    @property
    def subject_name(self) -> str:
        return self.coordinator.name if self.coordinator_id else self.unit.name

    def totals_by_side(self) -> dict:
        """{side: total} of the sides scored so far (uses ``prefetch_related("totals")``)."""
        return {t.side: t.total for t in self.totals.all()}

    def total_for(self, side: str):
        return self.totals_by_side().get(side)


class SideTotal(models.Model):
    """One side's sheet total, as the engine computed it when that side was last saved."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="totals")
    side = models.CharField(_("评分方"), max_length=10, choices=side_choices)
    total = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "side"], name="one_total_per_side")
        ]

    def __str__(self):
        return f"{self.assessment_id}/{self.side}: {self.total}"


class ItemScore(models.Model):
    """One side's entry for one item of a sheet: the input, the score the engine gave it and
    why, and the side's note (自评说明, 审核意见, …)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey("rubrics.Item", on_delete=models.PROTECT, related_name="+")
    side = models.CharField(_("评分方"), max_length=10, choices=side_choices)
    input = models.JSONField(null=True, blank=True)
    score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    explanation = models.TextField(blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "item", "side"], name="one_score_per_item_and_side"
            )
        ]

    def __str__(self):
        return f"{self.assessment_id}/{self.item_id}/{self.side}"


def evidence_path(instance, filename):
    return f"evidence/{instance.assessment.cycle_id}/{instance.assessment_id}/{filename}"


class Evidence(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    item = models.ForeignKey("rubrics.Item", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=evidence_path)
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name


class DeadlineExtension(models.Model):
    """A later deadline for one side of one sheet, granted by an administrator with a reason.
    The latest one is the sheet's deadline for that side (``assessments.deadlines``)."""

    sheet = models.ForeignKey(
        Assessment, verbose_name=_("考核表"), on_delete=models.CASCADE, related_name="extensions"
    )
    side = models.CharField(_("评分方"), max_length=10, choices=side_choices)
    new_date = models.DateField(_("延至"))
    reason = models.TextField(_("延期原因"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("截止延期")
        verbose_name_plural = _("截止延期")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["sheet", "side", "-id"], name="extension_latest")]

    def __str__(self):
        return f"{self.sheet_id}/{self.side} → {self.new_date}"


class Change(models.Model):
    """One recorded change: a score, an input, a state, a note, a result."""

    # ``what`` of a finalised cycle's reopening: its reason is why the results were computed
    # again, shown in the history of result versions.
    REOPENED = "cycle_reopened"

    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.CASCADE, related_name="changes"
    )
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="changes")
    item = models.ForeignKey(
        "rubrics.Item", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)
    what = models.CharField(max_length=50)
    sheet_version = models.PositiveIntegerField(null=True, blank=True)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.what}: {self.old} → {self.new}"


class ResultVersion(models.Model):
    """One computation of a cycle's results: who ran it and when. Recomputing adds the next
    version and keeps the rows of the earlier ones (superseded); why a finalised cycle was
    recomputed is the reason of its reopening, a ``Change`` of ``what="cycle_reopened"``."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="result_versions")
    number = models.PositiveIntegerField(_("版本"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    computed_at = models.DateTimeField(_("计算时间"))
    # What the results page's panels show, gathered at compute time (assessments.summary).
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("结果版本")
        verbose_name_plural = _("结果版本")
        ordering = ["cycle", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="one_result_version_number")
        ]

    def __str__(self):
        return f"{self.cycle_id} 第 {self.number} 版"


class CurrentResults(models.Manager):
    """The rows of the current version only. It is ``Result``'s default manager, so
    ``Result.objects`` and ``cycle.results`` (pages, exports, prints, the quota, finalising)
    never see a superseded row; ``Result.all_versions`` reads the history."""

    def get_queryset(self):
        return super().get_queryset().filter(current=True)


class AllVersions(models.Manager):
    """Every row, superseded ones included: for the history of results only."""


class Result(models.Model):
    """The computed outcome of one unit (or coordinator) in a cycle, with what it came from.
    One row per subject and result version; only the rows of the newest version are
    ``current``."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="results")
    version = models.PositiveIntegerField(_("版本"), default=1)
    current = models.BooleanField(default=True)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    coordinator = models.ForeignKey(
        "staff.Coordinator", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    town_name = models.CharField(max_length=100, blank=True)
    phase_totals = models.JSONField(default=dict)
    base_total = models.DecimalField(max_digits=7, decimal_places=2)
    bonus = models.DecimalField(max_digits=7, decimal_places=2)
    penalties = models.DecimalField(max_digits=7, decimal_places=2)
    total = models.DecimalField(max_digits=7, decimal_places=2)
    rank = models.PositiveIntegerField()
    veto_item = models.CharField(max_length=200, blank=True)
    grade_before_quota = models.CharField(max_length=20)
    grade = models.CharField(max_length=20)
    subsidy_percent = models.DecimalField(max_digits=6, decimal_places=2)
    subsidy_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    award_eligible = models.BooleanField(default=True)
    flags = models.JSONField(default=list)
    # The quota: beyond it (over, or in a tie the rule leaves), the administrator's decision
    # (assessments.quota_decisions), the grade it gives; then a manual override on top.
    quota_position = models.CharField(max_length=10, blank=True, default="")  # "" | over | tie
    quota_decision = models.CharField(max_length=10, blank=True, default="")  # "" | keep | demote
    quota_reason = models.TextField(blank=True, default="")
    grade_after_quota = models.CharField(max_length=20, blank=True, default="")
    override_reason = models.TextField(blank=True, default="")  # "": no override
    absence = models.CharField(max_length=20, blank=True, default="")
    needs_confirmation = models.BooleanField(default=False)  # a quota decision is awaited
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    detail = models.JSONField(default=dict)

    objects = CurrentResults()
    all_versions = AllVersions()

    class Meta:
        ordering = ["rank", "id"]
        indexes = [
            models.Index(fields=["cycle", "current"], name="result_cycle_current"),
            # The results page reads one page of the current version in rank order, of
            # the whole cycle or of a town, however many versions the cycle has kept.
            models.Index(fields=["cycle", "current", "rank", "id"], name="result_page_rank"),
            models.Index(
                fields=["cycle", "current", "town_name", "rank", "id"], name="result_page_town"
            ),
        ]

    def __str__(self):
        return f"{self.rank} {self.grade}"

    @property
    def overridden(self) -> bool:
        return bool(self.override_reason)

    @property
    def in_boundary_tie(self) -> bool:
        return self.quota_position == "tie"

    @property
    def kept_by_decision(self) -> bool:
        return self.quota_decision == "keep"

    @property
    def awaiting_decision(self) -> bool:
        return self.needs_confirmation and not self.quota_decision


def objection_path(instance, filename):
    return f"objections/{instance.cycle_id}/{filename}"


class Objection(models.Model):
    """A unit's coordinator's 异议 against its published result, during the 公示, and the
    answer of the town's reviewer or an administrator (assessments.objections)."""

    class State(models.TextChoices):
        FILED = "filed", _("待答复")
        UPHELD = "upheld", _("异议成立")
        REJECTED = "rejected", _("异议不成立")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="objections")
    result = models.ForeignKey(
        Result, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("单位"), on_delete=models.PROTECT)
    coordinator = models.ForeignKey(
        "staff.Coordinator", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    publicity_round = models.PositiveIntegerField(_("公示轮次"), default=1)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    reason = models.TextField(_("异议理由"))
    evidence = models.FileField(_("证明材料"), upload_to=objection_path, blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)
    evidence_size = models.PositiveIntegerField(default=0)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.FILED)
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["result"],
                condition=models.Q(state="filed"),
                name="one_waiting_objection_per_result",
            )
        ]

    def __str__(self):
        return f"{self.cycle_id} · {self.unit_id} · {self.get_state_display()}"


def one_per_subject(what: str) -> list:
    """One row per cycle and unit (unit cycles) or per cycle and coordinator."""
    return [
        models.UniqueConstraint(
            fields=["cycle", "unit"],
            condition=models.Q(coordinator__isnull=True),
            name=f"one_{what}_per_unit",
        ),
        models.UniqueConstraint(
            fields=["cycle", "coordinator"],
            condition=models.Q(coordinator__isnull=False),
            name=f"one_{what}_per_coordinator",
        ),
    ]


class SubjectDecision(models.Model):
    """What an administrator decided about one unit (or coordinator) of a cycle, kept apart
    from the result rows so that a recompute (a new result version) applies it again."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    coordinator = models.ForeignKey(
        "staff.Coordinator", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("理由"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def subject_key(self) -> tuple:
        return (self.unit_id, self.coordinator_id)


class QuotaDecision(SubjectDecision):
    """保持 or 调整为下一等次 for a unit beyond the quota of the top grade."""

    class Choice(models.TextChoices):
        KEEP = "keep", _("保持")
        DEMOTE = "demote", _("调整为下一等次")

    decision = models.CharField(_("决定"), max_length=10, choices=Choice.choices)

    class Meta:
        verbose_name = _("名额决定")
        verbose_name_plural = _("名额决定")
        constraints = one_per_subject("quota_decision")

    def __str__(self):
        return f"{self.cycle_id}/{self.unit_id}: {self.get_decision_display()}"


class GradeOverride(SubjectDecision):
    """A grade set by hand, with its reason; it replaces the computed grade."""

    grade = models.CharField(_("等次"), max_length=20)

    class Meta:
        verbose_name = _("人工调整等次")
        verbose_name_plural = _("人工调整等次")
        constraints = one_per_subject("grade_override")

    def __str__(self):
        return f"{self.cycle_id}/{self.unit_id}: {self.grade}"
