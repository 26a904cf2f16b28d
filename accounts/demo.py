"""One demo account per role. Passwords are random, shown once, and kept in .demo-logins.

The accounts are marked ``is_demo``: they satisfy the password rules but are not held for a
change at first login, nor when their password ages, and with ``OTP_EXEMPT_DEMO`` on they
need not bind an authenticator, so ``./dev run`` stays one command.
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from accounts.passwords import generate_password
from org.models import Unit


def _logins_file() -> Path:
    return Path(getattr(settings, "DEMO_LOGINS_FILE", Path(settings.BASE_DIR) / ".demo-logins"))


@dataclass(frozen=True)
class Persona:
    username: str
    display: str
    role: str
    units: tuple  # (parent name or None, unit name)


PERSONAS = (
    Persona("admin", "局管理员（演示）", User.Role.ADMIN, ()),
    Persona("hutang", "湖塘镇考核员（演示）", User.Role.REVIEWER, ((None, "湖塘镇"),)),
    Persona("dongchen", "东陈镇考核员（演示）", User.Role.REVIEWER, ((None, "东陈镇"),)),
    Persona("yancheng", "淹城社区协理员（演示）", User.Role.COORDINATOR, (("湖塘镇", "淹城社区"),)),
    Persona("heliu", "何留社区协理员（演示）", User.Role.COORDINATOR, (("湖塘镇", "何留社区"),)),
    Persona("viewer", "只读查看（演示）", User.Role.VIEWER, ()),
    Persona(
        "heliu_head", "何留社区负责人（演示）", User.Role.VILLAGE_HEAD, (("湖塘镇", "何留社区"),)
    ),
    Persona("city", "市就业处（演示）", User.Role.CITY_OFFICE, ()),
    Persona("auditor", "审计管理员（演示）", User.Role.AUDITOR, ()),
)


@transaction.atomic
def load_demo_users() -> list[tuple[str, str, str]]:
    """Create missing personas. Returns (username, role label, password or "") for each;
    the password is empty for accounts that already existed (it is never reset)."""
    rows = []
    for p in PERSONAS:
        user = User.objects.filter(username=p.username).first()
        password = ""
        if user is not None and not user.is_demo and remembered_password(p.username):
            # Made by an earlier load_demo, before accounts were marked as demo ones.
            user.is_demo = True
            user.save(update_fields=["is_demo"])
        if user is None:
            user = User(username=p.username, first_name=p.display, role=p.role, is_demo=True)
            password = _valid_password(user)
            # The audit administrator reads the security log in the admin too (no superuser).
            user.is_staff = p.role in (User.Role.ADMIN, User.Role.AUDITOR)
            user.is_superuser = p.role == User.Role.ADMIN
            user.set_password(password)
            user.save()
            units = [
                Unit.objects.get(name=name, parent__name=parent)
                if parent
                else Unit.objects.get(name=name, kind__in=Unit.TOWN_KINDS)
                for parent, name in p.units
            ]
            user.units.set(units)
        rows.append((p.username, user.get_role_display(), password))
    _remember(rows)
    return rows


def _valid_password(user) -> str:
    while True:  # a random password fails the rules only by rare chance (e.g. holds the name)
        password = generate_password()
        try:
            password_validation.validate_password(password, user)
        except ValidationError:
            continue
        return password


def _remember(rows) -> None:
    known = {}
    logins = _logins_file()
    if logins.exists():
        for line in logins.read_text(encoding="utf-8").splitlines():
            name, _sep, pw = line.partition("\t")
            known[name] = pw
    for username, _role, password in rows:
        if password:
            known[username] = password
    logins.write_text("".join(f"{k}\t{v}\n" for k, v in known.items()), encoding="utf-8")
    logins.chmod(0o600)


def remembered_password(username: str) -> str:
    logins = _logins_file()
    if not logins.exists():
        return ""
    for line in logins.read_text(encoding="utf-8").splitlines():
        name, _sep, pw = line.partition("\t")
        if name == username:
            return pw
    return ""
