from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as BaseUserManager
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.roles import Role


class UserManager(BaseUserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # `createsuperuser` makes the first bureau administrator; whoever typed the password
        # at the console hands the account over, so its owner sets their own at first login.
        extra_fields.setdefault("must_change_password", True)
        return super().create_superuser(username, email, password, **extra_fields)


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
        help_text=_(
            "由 load_demo 创建的演示账号：不要求首次登录改密，密码不过期，无需强制绑定双因素认证。"
        ),
    )
    must_change_password = models.BooleanField(
        _("下次登录须修改密码"),
        default=False,
        db_default=False,
        help_text=_("新建账号或管理员重置密码后为是；本人修改密码后自动取消。"),
    )
    password_changed_at = models.DateTimeField(
        _("密码设置时间"), default=timezone.now, db_default=Now()
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    @property
    def display_name(self) -> str:
        return self.first_name or self.username

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()


class PasswordHistory(models.Model):
    """A password a person has had, as its hash (written when a password is saved, by
    ``accounts.passwords.PasswordHistoryValidator.password_changed``)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="password_history", verbose_name=_("用户")
    )
    password = models.CharField(_("密码摘要"), max_length=128)
    created_at = models.DateTimeField(_("设置时间"), default=timezone.now)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["-created_at", "-pk"]
        default_permissions = ()

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"
