from django.conf import settings
from django.core.checks import Error, register

from accounts.policy import EVERY_ROLE
from org.roles import Role


@register()
def otp_required_roles_are_known(app_configs, **kwargs):
    """A misspelt role in OTP_REQUIRED_ROLES would silently leave that role without 2FA."""
    known = {str(value) for value in Role.values} | {EVERY_ROLE}
    unknown = [r for r in settings.OTP_REQUIRED_ROLES if r.strip().lower() not in known]
    if not unknown:
        return []
    return [
        Error(
            f"环境变量 OTP_REQUIRED_ROLES 中的「{'、'.join(unknown)}」不是已知角色。",
            hint="可用的角色：" + "、".join(sorted(known)),
            id="accounts.E001",
        )
    ]
