"""Who must use the second factor (双因素认证), and when a session still needs it.

The roles come from ``settings.OTP_REQUIRED_ROLES`` ("all" for every role); a superuser
counts as an administrator. Accounts made by ``load_demo`` are exempt from mandatory
enrolment while ``settings.OTP_EXEMPT_DEMO`` is on, but once they enrol they verify like
everyone else.
"""

from django.conf import settings
from django_otp import user_has_device

from org.roles import Role

EVERY_ROLE = "all"


def required_roles() -> set[str]:
    return {name.strip().lower() for name in settings.OTP_REQUIRED_ROLES}


def role_uses_two_factor(user) -> bool:
    """The user's role is one that must use the second factor (exemptions aside)."""
    if user is None or not user.is_authenticated:
        return False
    roles = required_roles()
    if EVERY_ROLE in roles or user.role in roles:
        return True
    return user.is_superuser and Role.ADMIN in roles


def demo_exempt(user) -> bool:
    return bool(settings.OTP_EXEMPT_DEMO and getattr(user, "is_demo", False))


def enrolment_required(user) -> bool:
    """The user may not work before binding an authenticator."""
    return role_uses_two_factor(user) and not demo_exempt(user)


def may_enrol(user) -> bool:
    """「账号安全」 offers enrolment to the roles that use the second factor, including
    demo accounts that are exempt from doing so."""
    return role_uses_two_factor(user)


def verification_needed(user) -> bool:
    """This session must pass the second factor before anything but log-out: the role uses
    it, the session has not passed it, and the user must enrol or already has."""
    if not role_uses_two_factor(user) or user.is_verified():
        return False
    return not demo_exempt(user) or user_has_device(user, confirmed=True)
