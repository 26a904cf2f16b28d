"""Coordinators (协理员) of communities and villages. Attendance, leave and departures
build on this model."""

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
        "targets.Unit",
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
