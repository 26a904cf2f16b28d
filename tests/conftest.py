"""Shared personas: the same eight people test every view (the audit administrator
reads the security log only).

Town A (湖塘镇) holds unit A (淹城社区); town B (东陈镇) holds unit B (东陈村).
"""

from dataclasses import dataclass, field
from pathlib import Path

import pytest

RUBRICS = Path(__file__).resolve().parents[1] / "fixtures" / "rubrics"


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (255, 255, 255)).save(out, "PNG")
    return out.getvalue()


PNG_BYTES = _png()  # a complete PNG: evidence uploads decode the whole file


def import_seed_rubric(code: str):
    import yaml

    from rubrics.services import rubric_import

    data = yaml.safe_load((RUBRICS / f"{code}.yaml").read_text(encoding="utf-8"))
    return rubric_import(data=data)[0]


@dataclass
class World:
    bureau: object
    town_a: object
    town_b: object
    unit_a: object
    unit_b: object
    users: dict
    _made: dict = field(default_factory=dict)

    @property
    def cycle(self):
        """A 常州 community cycle open for self-assessment, with results computed:
        sheet A (淹城社区) in draft, sheet B (东陈村) in draft."""
        if "cycle" not in self._made:
            from assessments import compute, services

            rubric = import_seed_rubric("changzhou-community")
            cycle = services.cycle_create(
                title="2026年社区平台考核",
                year=2026,
                rubric=rubric,
                units=[self.unit_a, self.unit_b],
                user=self.users["admin"],
            )
            services.cycle_step(cycle=cycle, action="open_self", user=self.users["admin"])
            compute.cycle_compute(cycle=cycle, user=self.users["admin"])
            cycle.refresh_from_db()
            self._made["cycle"] = cycle
        return self._made["cycle"]

    @property
    def sheet_a(self):
        return self.cycle.assessments.get(unit=self.unit_a)

    @property
    def evidence_a(self):
        """A PNG attached to item 6 of sheet A."""
        if "evidence" not in self._made:
            from django.core.files.uploadedfile import SimpleUploadedFile

            from assessments import services

            sheet = self.sheet_a
            item = sheet.cycle.rubric.items.get(key="6")
            upload = SimpleUploadedFile("台账.png", PNG_BYTES, content_type="image/png")
            self._made["evidence"] = services.evidence_add(
                sheet=sheet, item=item, upload=upload, user=self.users["coordinator_a"], side="self"
            )
        return self._made["evidence"]

    @property
    def sheet_b(self):
        return self.cycle.assessments.get(unit=self.unit_b)


PERSONA_NAMES = (
    "admin",
    "reviewer_a",
    "reviewer_b",
    "coordinator_a",
    "coordinator_b",
    "viewer",
    "auditor",
    "anonymous",
)


# Read-only roles beside the eight: the head of unit A (村（社区）负责人) and an officer of
# 市就业处. Added on request (``add_more_personas``), so tests that list the eight personas
# see only them.
MORE_PERSONAS = ("village_head", "city_office")


def add_more_personas(world) -> None:
    from accounts.models import User

    for username, role, units in (
        ("village_head", User.Role.VILLAGE_HEAD, [world.unit_a]),
        ("city_office", User.Role.CITY_OFFICE, []),
    ):
        if username not in world.users:
            user = User.objects.create_user(username, password="pw-" + username, role=role)
            user.units.set(units)
            world.users[username] = user


@pytest.fixture
def world(db):
    from accounts.models import User
    from org.models import Unit

    bureau = Unit.objects.create(name="测试区人社局", kind=Unit.Kind.BUREAU)
    town_a = Unit.objects.create(name="湖塘镇", kind=Unit.Kind.TOWN, parent=bureau)
    town_b = Unit.objects.create(name="东陈镇", kind=Unit.Kind.TOWN, parent=bureau)
    unit_a = Unit.objects.create(name="淹城社区", kind=Unit.Kind.COMMUNITY, parent=town_a)
    unit_b = Unit.objects.create(name="东陈村", kind=Unit.Kind.VILLAGE, parent=town_b)

    def make(username, role, units=()):
        user = User.objects.create_user(username, password="pw-" + username, role=role)
        user.first_name = username
        # Bureau administrators work in Django's admin too, as superusers; the audit
        # administrator reads the security log there too (staff, no superuser).
        user.is_staff = role in (User.Role.ADMIN, User.Role.AUDITOR)
        user.is_superuser = role == User.Role.ADMIN
        user.save()
        user.units.set(units)
        return user

    users = {
        "admin": make("admin", User.Role.ADMIN),
        "reviewer_a": make("reviewer_a", User.Role.REVIEWER, [town_a]),
        "reviewer_b": make("reviewer_b", User.Role.REVIEWER, [town_b]),
        "coordinator_a": make("coordinator_a", User.Role.COORDINATOR, [unit_a]),
        "coordinator_b": make("coordinator_b", User.Role.COORDINATOR, [unit_b]),
        "viewer": make("viewer", User.Role.VIEWER),
        "auditor": make("auditor", User.Role.AUDITOR),
        "anonymous": None,
    }
    return World(bureau, town_a, town_b, unit_a, unit_b, users)


def authenticator_for(user):
    """A confirmed TOTP device (authenticator) bound to the user."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="测试验证器", confirmed=True)


def totp_code(device) -> str:
    """The code the authenticator shows now; when that one was already used (a second log-in
    within the same 30 s, which refuses a replayed code), the next one, which the device's
    tolerance of one step accepts (a person would wait for it)."""
    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if device.last_t is not None and device.last_t >= totp.t():
        totp.drift = device.drift + device.last_t - totp.t() + 1
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device) -> str:
    """A 6-digit code the authenticator accepts at no step within the tolerance."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    accepted = set()
    for offset in range(-device.tolerance - 1, device.tolerance + 2):
        totp.drift = device.drift + offset
        accepted.add(totp.token())
    return next(f"{n:06d}" for n in range(1000000) if n not in accepted)


def login_verified(client, user):
    """Log the client in as the user with the log-in finished: a person whose role uses
    the second factor has passed it (their session names their authenticator)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from accounts.policy import role_uses_two_factor

    client.force_login(user)
    if role_uses_two_factor(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = authenticator_for(user).persistent_id
        session.save()
    return client


@pytest.fixture
def client_for(client, world):
    """client_for("reviewer_a") → a test client logged in as that persona (with the second
    factor passed where the role uses it)."""

    def _login(persona):
        client.logout()
        user = world.users[persona]
        if user is not None:
            login_verified(client, user)
        return client

    return _login
