"""Password rules (口令复杂度) and the password history, as Django password validators.

Listed in ``AUTH_PASSWORD_VALIDATORS``; every form that sets a password (the change page,
the admin's add and set-password forms, ``createsuperuser``) runs them, and Django calls
``password_changed`` of each after a new password is saved.
"""

import secrets

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = (
    ("upper", "大写字母", lambda c: c.isascii() and c.isupper()),
    ("lower", "小写字母", lambda c: c.isascii() and c.islower()),
    ("digit", "数字", lambda c: c.isascii() and c.isdigit()),
    # Anything else counts as a symbol: punctuation, spaces, Chinese characters.
    ("symbol", "符号", lambda c: not (c.isascii() and c.isalnum())),
)


def character_classes(password: str) -> set[str]:
    return {key for key, _label, test in CLASSES if any(test(c) for c in password)}


class ComplexityValidator:
    """At least ``min_length`` characters from at least ``min_classes`` of the four classes."""

    def __init__(self, min_length=8, min_classes=3):
        self.min_length = min_length
        self.min_classes = min_classes

    def validate(self, password, user=None):
        errors = []
        if len(password) < self.min_length:
            errors.append(
                ValidationError(
                    _("密码太短：至少需要 %(min)d 个字符，现在只有 %(n)d 个。")
                    % {"min": self.min_length, "n": len(password)},
                    code="password_too_short",
                )
            )
        found = character_classes(password)
        if len(found) < self.min_classes:
            missing = "、".join(label for key, label, _t in CLASSES if key not in found)
            errors.append(
                ValidationError(
                    _(
                        "密码须包含大写字母、小写字母、数字、符号中的至少 %(min)d 类，"
                        "现在只有 %(n)d 类（还可加入：%(missing)s）。"
                    )
                    % {"min": self.min_classes, "n": len(found), "missing": missing},
                    code="password_too_simple",
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self):
        return _(
            "至少 %(min)d 个字符，包含大写字母、小写字母、数字、符号中的至少 %(classes)d 类。"
        ) % {"min": self.min_length, "classes": self.min_classes}


class NotUsernameValidator:
    """Not the user name, nor the user name reversed, nor containing either (ignoring case).
    Containment is checked for names of ``min_contained`` characters or more, so that a
    two-letter name does not forbid every password with those two letters in it."""

    def __init__(self, min_contained=3):
        self.min_contained = min_contained

    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").casefold()
        if not username:
            return
        typed = password.casefold()
        for name in (username, username[::-1]):
            if typed == name or (len(name) >= self.min_contained and name in typed):
                raise ValidationError(
                    _("密码不能是用户名「%(username)s」，也不能包含用户名或其倒写。")
                    % {"username": user.username},
                    code="password_is_username",
                )

    def get_help_text(self):
        return _("不能是用户名，也不能包含用户名或其倒写。")


class PasswordHistoryValidator:
    """Not one of the last ``count`` passwords (the current one included). The history
    keeps hashes only, compared with ``check_password``."""

    def __init__(self, count=5):
        self.count = count

    def _recent_hashes(self, user) -> list[str]:
        from accounts.models import PasswordHistory

        hashes = [user.password] if user.password else []
        hashes += PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[
            : self.count
        ]
        return list(dict.fromkeys(hashes))[: self.count]

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        for encoded in self._recent_hashes(user):
            if check_password(password, encoded):
                raise ValidationError(
                    _("新密码不能与最近使用过的 %(n)d 个密码相同，请换一个。") % {"n": self.count},
                    code="password_reused",
                )

    def password_changed(self, password, user=None):
        from accounts.models import PasswordHistory

        if user is None or user.pk is None or not user.has_usable_password():
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        keep = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[: self.count]
        PasswordHistory.objects.filter(user=user).exclude(pk__in=list(keep)).delete()

    def get_help_text(self):
        return _("不能与最近使用过的 %(n)d 个密码相同。") % {"n": self.count}


_SYMBOLS = "-_.!@#%+="
_ALPHABET = {
    # Without the look-alikes (I l 1 O 0) so a printed demo login can be typed.
    "upper": "ABCDEFGHJKLMNPQRSTUVWXYZ",
    "lower": "abcdefghijkmnopqrstuvwxyz",
    "digit": "23456789",
    "symbol": _SYMBOLS,
}


def generate_password(length=12) -> str:
    """A random password with every character class, so it passes the rules above."""
    rng = secrets.SystemRandom()
    chars = [rng.choice(group) for group in _ALPHABET.values()]
    pool = "".join(_ALPHABET.values())
    chars += [rng.choice(pool) for _i in range(length - len(chars))]
    rng.shuffle(chars)
    return "".join(chars)
