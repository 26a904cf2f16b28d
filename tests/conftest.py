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
            from assessments import services

            rubric = import_seed_rubric("changzhou-community")
            cycle = services.cycle_create(
                title="2026年社区平台考核",
                year=2026,
                rubric=rubric,
                units=[self.unit_a, self.unit_b],
                user=self.users["admin"],
            )
            services.cycle_step(cycle=cycle, action="open_self", user=self.users["admin"])
            services.cycle_compute(cycle=cycle, user=self.users["admin"])
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


@pytest.fixture
def client_for(client, world):
    """client_for("reviewer_a") → a test client logged in as that persona."""

    def _login(persona):
        client.logout()
        user = world.users[persona]
        if user is not None:
            client.force_login(user)
        return client

    return _login
