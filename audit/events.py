"""The kinds of event the security log records, and their outcomes. The one list."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出登录")
    LOCKOUT = "lockout", _("账号锁定")
    UNLOCK = "unlock", _("解除锁定")
    PASSWORD_CHANGE = "password_change", _("修改密码")
    PASSWORD_RESET = "password_reset", _("重置密码")
    OTP_ENROL = "otp_enrol", _("绑定双因素认证")
    OTP_FAILED = "otp_failed", _("双因素验证失败")
    OTP_RESET = "otp_reset", _("解除双因素认证")
    SESSION_EXPIRED = "session_expired", _("会话超时")
    ROLE_CHANGE = "role_change", _("角色或范围变更")
    PERSONNEL_CHANGE = "personnel_change", _("协理员档案变更")
    EXPORT = "export", _("导出")
    DOWNLOAD = "download", _("下载")
    ADMIN_ACTION = "admin_action", _("后台管理操作")
    AUDIT_EXPORT = "audit_export", _("导出审计日志")
    AUDIT_PRUNE = "audit_prune", _("清理过期审计日志")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("失败")
    REFUSED = "refused", _("拒绝")
