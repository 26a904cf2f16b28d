"""The roles a person can hold. The one definition; ``accounts.User.role`` uses it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("人社局管理员")
    REVIEWER = "reviewer", _("镇（街道）考核人员")
    COORDINATOR = "coordinator", _("社区（村）协理员")
    VIEWER = "viewer", _("只读查看")
    VILLAGE_HEAD = "village_head", _("村（社区）负责人")
    CITY_OFFICE = "city_office", _("市就业处")
    # 三员分立: reads the security audit log and nothing else (no unit, no record).
    AUDITOR = "auditor", _("审计管理员")
