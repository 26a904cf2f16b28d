"""Reads of the accounts app."""

from dataclasses import dataclass
from datetime import datetime

from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import policy


@dataclass(frozen=True)
class TwoFactorState:
    """What 「账号安全」 and the user admin say about a person's second factor."""

    enrolled: bool
    enrolled_at: datetime | None
    last_used_at: datetime | None
    recovery_codes_left: int
    role_uses_it: bool  # the role must use the second factor (exemptions aside)
    required: bool  # enrolment is mandatory for this person now
    demo_exempt: bool
    may_enrol: bool


def two_factor_state(user) -> TwoFactorState:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    codes = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return TwoFactorState(
        enrolled=device is not None,
        enrolled_at=device.created_at if device else None,
        last_used_at=device.last_used_at if device else None,
        recovery_codes_left=codes,
        role_uses_it=policy.role_uses_two_factor(user),
        required=policy.enrolment_required(user),
        demo_exempt=policy.role_uses_two_factor(user) and policy.demo_exempt(user),
        may_enrol=policy.may_enrol(user) and device is None,
    )
