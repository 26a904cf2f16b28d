"""Coordinators (协理员) of communities and villages, their attendance, leave requests and
departure reports (新沂 协理员管理制度), and the town window staffing table (新建 附件1).

State changes go through ``staff/services.py``; reads of more than one line live in
``staff/selectors.py``; the attendance rules are in ``staff/rules.py``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Coordinator(models.Model):
    class State(models.TextChoices):
        ACTIVE = "active", _("在岗")
        ON_LEAVE = "on_leave", _("请假中")
        LEFT = "left", _("已离职")

    class Gender(models.TextChoices):
        MALE = "男", _("男")
        FEMALE = "女", _("女")

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=2, choices=Gender.choices, blank=True)
    birth_month = models.DateField(_("出生年月"), null=True, blank=True)
    political_status = models.CharField(_("政治面貌"), max_length=30, blank=True)
    education = models.CharField(_("文化程度"), max_length=30, blank=True)
    position = models.CharField(_("职务"), max_length=50, blank=True)
    phone = models.CharField(_("联系方式"), max_length=30, blank=True)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("工作单位"),
        on_delete=models.PROTECT,
        related_name="coordinators",
    )
    joined_on = models.DateField(_("进本系统时间"), null=True, blank=True)
    certificate_no = models.CharField(_("协理员职业资格证书编号"), max_length=50, blank=True)
    certificate_date = models.DateField(_("发证日期"), null=True, blank=True)
    contract_start = models.DateField(_("合同开始"), null=True, blank=True)
    contract_end = models.DateField(_("合同结束"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.ACTIVE)
    is_fulltime = models.BooleanField(
        _("专职"), default=True, help_text=_("专职协理员（考勤制度第6条、优秀比例按专职人数计）。")
    )
    left_on = models.DateField(_("离职日期"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinator",
    )

    class Meta:
        verbose_name = _("协理员")
        verbose_name_plural = _("协理员")
        ordering = ["unit__parent__sort_order", "unit__sort_order", "name"]

    def __str__(self):
        return self.name

    @property
    def in_post(self) -> bool:
        """Holds the post (在岗 or 请假中); a coordinator who left no longer does."""
        return self.state != self.State.LEFT

    @property
    def on_leave(self) -> bool:
        return self.state == self.State.ON_LEAVE


class WindowStaffing(models.Model):
    """新建 附件1「乡（镇）基层人社服务平台建设情况统计表」: one town-level unit, one year."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("镇（街道）"),
        on_delete=models.PROTECT,
        related_name="window_staffing",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    windows = models.PositiveSmallIntegerField(_("窗口数"), default=0)
    window_staff = models.PositiveSmallIntegerField(_("专窗工作人员数"), default=0)
    village_coordinators = models.PositiveSmallIntegerField(_("村（社区）协管员人数"), default=0)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("专窗人员配置")
        verbose_name_plural = _("专窗人员配置")
        ordering = ["-year", "unit__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="window_staffing_once_per_year")
        ]

    def __str__(self):
        return f"{self.unit} {self.year}"


class AttendanceEntry(models.Model):
    """A day (or a run of days starting on ``date``) kept by the town centre (考勤制度第2条)."""

    class Status(models.TextChoices):
        PRESENT = "present", _("出勤")
        ABSENT = "absent", _("旷工")
        LEAVE = "leave", _("请假")
        OFF_POST = "off_post", _("脱岗")

    coordinator = models.ForeignKey(
        Coordinator, on_delete=models.CASCADE, related_name="attendance_entries"
    )
    date = models.DateField(_("日期"))
    status = models.CharField(_("考勤情况"), max_length=10, choices=Status.choices)
    days = models.DecimalField(_("天数"), max_digits=4, decimal_places=1, default=1)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考勤记录")
        verbose_name_plural = _("考勤记录")
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["coordinator", "date"])]

    def __str__(self):
        return f"{self.coordinator} {self.date} {self.get_status_display()}"


class AttendanceMonth(models.Model):
    """A month's attendance summary, for towns that keep monthly sheets instead of days."""

    coordinator = models.ForeignKey(
        Coordinator, on_delete=models.CASCADE, related_name="attendance_months"
    )
    month = models.DateField(_("月份"), help_text=_("存为该月 1 日。"))
    present_days = models.DecimalField(_("出勤天数"), max_digits=4, decimal_places=1, default=0)
    absent_days = models.DecimalField(_("旷工天数"), max_digits=4, decimal_places=1, default=0)
    leave_days = models.DecimalField(_("请假天数"), max_digits=4, decimal_places=1, default=0)
    off_post_days = models.DecimalField(_("脱岗天数"), max_digits=4, decimal_places=1, default=0)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now=True)

    class Meta:
        verbose_name = _("月度考勤汇总")
        verbose_name_plural = _("月度考勤汇总")
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(
                fields=["coordinator", "month"], name="attendance_month_once_per_month"
            )
        ]

    def __str__(self):
        return f"{self.coordinator} {self.month:%Y-%m}"


class ApprovalStep(models.TextChoices):
    """The three signatures of 附件4/附件5, in order."""

    VILLAGE = "village", _("村（社区）负责人")
    TOWN = "town", _("镇（街道）社会事业服务中心负责人")
    CITY = "city", _("市就业处")


class ApprovalState(models.TextChoices):
    """Every state a request can be in; ``staff/approvals.py`` says which action moves it
    where. Each kind lists the members it uses in ``STATES``."""

    PENDING_VILLAGE = "pending_village", _("待村审批")
    PENDING_TOWN = "pending_town", _("待镇审批")
    PENDING_CITY = "pending_city", _("待市审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")
    RETURNED = "returned", _("已销假")
    EXTENDED = "extended", _("已续假")
    WITHDRAWN = "withdrawn", _("已撤回")


def _choices(states) -> list[tuple[str, str]]:
    return [(s.value, s.label) for s in states]


class ApprovalRequest(models.Model):
    """A request that goes through the 村 → 镇 → 市 approval of ``staff/approvals.py``: who
    filed it, when the approval ended, and its state (one ``ApprovalState`` for every kind)."""

    State = ApprovalState
    PENDING = (State.PENDING_VILLAGE, State.PENDING_TOWN, State.PENDING_CITY)
    # The states of every kind (a departure report's); a leave adds 已销假 and 已续假.
    STATES: tuple = (*PENDING, State.APPROVED, State.REJECTED, State.WITHDRAWN)

    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批完成时间"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.state in self.PENDING


class LeaveRequest(ApprovalRequest):
    """《请假审批单》(附件4). An extension (续假) is a request that ``extends`` another."""

    class Kind(models.TextChoices):
        PERSONAL = "personal", _("事假")
        SICK = "sick", _("病假")
        MARRIAGE = "marriage", _("婚假")
        MATERNITY = "maternity", _("产假")
        BEREAVEMENT = "bereavement", _("丧假")
        OTHER = "other", _("其他")

    STATES = tuple(ApprovalState)
    # States whose dates are taken: a new request may not overlap them.
    HOLDING = ApprovalRequest.PENDING + (
        ApprovalState.APPROVED,
        ApprovalState.RETURNED,
        ApprovalState.EXTENDED,
    )

    coordinator = models.ForeignKey(
        Coordinator,
        verbose_name=_("协理员"),
        on_delete=models.PROTECT,
        related_name="leave_requests",
    )
    kind = models.CharField(_("请假类别"), max_length=12, choices=Kind.choices)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    days = models.PositiveSmallIntegerField(_("天数"))
    reason = models.TextField(_("请假理由"), blank=True)
    phone = models.CharField(_("请假期间联系电话"), max_length=30, blank=True)
    after_the_fact = models.BooleanField(
        _("事后补办"),
        default=False,
        help_text=_("特殊情况或紧急事项已先口头报告、事后补办手续的（考勤制度第3条）。"),
    )
    after_the_fact_note = models.TextField(_("口头报告情况"), blank=True)
    extends = models.ForeignKey(
        "self",
        verbose_name=_("续假所接的请假"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="extensions",
    )
    needs_city = models.BooleanField(_("须报市就业处批准"), default=False)
    state = models.CharField(
        _("状态"),
        max_length=16,
        choices=ApprovalState.choices,
        default=ApprovalState.PENDING_VILLAGE,
    )
    returned_on = models.DateField(_("销假日期（返岗之日）"), null=True, blank=True)
    filed_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("请假申请")
        verbose_name_plural = _("请假申请")
        ordering = ["-start_date", "-id"]

    def __str__(self):
        return f"{self.coordinator} {self.get_kind_display()} {self.start_date}–{self.end_date}"

    @property
    def kind_label(self) -> str:
        return "续假" if self.extends_id else self.get_kind_display()


class DepartureReport(ApprovalRequest):
    """《离职呈报表》(附件5)."""

    class Kind(models.TextChoices):
        RESCIND = "rescind", _("解除合同")
        EXPIRE = "expire", _("终止合同")
        RESIGN = "resign", _("辞职")
        DISMISS = "dismiss", _("辞退")
        OTHER = "other", _("其他")

    # Every departure goes up to the city (附件5).
    needs_city = True

    coordinator = models.ForeignKey(
        Coordinator, verbose_name=_("协理员"), on_delete=models.PROTECT, related_name="departures"
    )
    kind = models.CharField(_("离职类别"), max_length=10, choices=Kind.choices)
    departure_date = models.DateField(_("拟离职时间"))
    reason = models.TextField(_("离职原因"), blank=True)
    personal_notes = models.TextField(_("个人需说明的事项或要求"), blank=True)
    handover_files = models.BooleanField(_("工作文件、资料已移交"), default=False)
    handover_equipment = models.BooleanField(_("办公设备已移交"), default=False)
    handover_note = models.TextField(_("移交说明"), blank=True)
    state = models.CharField(
        _("状态"),
        max_length=16,
        choices=_choices(ApprovalRequest.STATES),
        default=ApprovalState.PENDING_VILLAGE,
    )
    filed_at = models.DateTimeField(_("呈报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("离职呈报")
        verbose_name_plural = _("离职呈报")
        ordering = ["-filed_at", "-id"]

    def __str__(self):
        return f"{self.coordinator} {self.get_kind_display()} {self.departure_date}"

    @property
    def handed_over(self) -> bool:
        return self.handover_files and self.handover_equipment


class ApprovalEvent(models.Model):
    """One line of a request's history: who did what, when, at which step."""

    class Action(models.TextChoices):
        FILE = "file", _("提交")
        APPROVE = "approve", _("同意")
        REJECT = "reject", _("驳回")
        RETURN = "return", _("销假")
        EXTEND = "extend", _("续假")
        WITHDRAW = "withdraw", _("撤回")
        HANDOVER = "handover", _("更新移交情况")

    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    step = models.CharField(_("审批环节"), max_length=10, choices=ApprovalStep.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("操作人"), max_length=150)
    signer_name = models.CharField(
        _("签字负责人"), max_length=50, blank=True, help_text=_("代录纸质审批单上的签字人。")
    )
    at = models.DateTimeField(_("时间"))
    note = models.TextField(_("意见/说明"), blank=True)
    state_after = models.CharField(_("操作后状态"), max_length=16)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.who} {self.get_action_display()}"

    @property
    def who(self) -> str:
        if self.signer_name:
            return f"{self.signer_name}（{self.actor_name} 代录）"
        return self.actor_name


class LeaveEvent(ApprovalEvent):
    request = models.ForeignKey(LeaveRequest, on_delete=models.CASCADE, related_name="events")

    class Meta(ApprovalEvent.Meta):
        verbose_name = _("请假审批记录")
        verbose_name_plural = _("请假审批记录")


class DepartureEvent(ApprovalEvent):
    request = models.ForeignKey(DepartureReport, on_delete=models.CASCADE, related_name="events")

    class Meta(ApprovalEvent.Meta):
        verbose_name = _("离职审批记录")
        verbose_name_plural = _("离职审批记录")
