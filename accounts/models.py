from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from org.roles import Role


class User(AbstractUser):
    """A person who logs in. What they may see and change follows from role and units."""

    Role = Role  # the roles are defined in org.roles; kept here so call sites read User.Role

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    units = models.ManyToManyField(
        "org.Unit",
        through="org.Assignment",
        verbose_name=_("负责单位"),
        blank=True,
        related_name="users",
        help_text=_(
            "考核人员：所负责的镇（街道）；协理员：所在社区或村；只读查看：可见范围，留空为全局。"
        ),
    )
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    # db_default too: rows written through older historical models (data migrations and
    # their tests) leave the column out.
    is_demo = models.BooleanField(
        _("演示账号"),
        default=False,
        db_default=False,
        help_text=_("由 load_demo 创建的演示账号。"),
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    @property
    def display_name(self) -> str:
        return self.first_name or self.username
