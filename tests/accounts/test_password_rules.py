"""口令复杂度: 8 characters from 3 of 4 classes, not the user name, not one of the last 5."""

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import services
from accounts.models import PasswordHistory
from accounts.passwords import character_classes, generate_password


def _messages(password, user):
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        return exc.messages
    return []


@pytest.mark.django_db
class TestComplexity:
    def test_a_good_password_passes(self, world):
        assert _messages("Kaohe-2026", world.users["viewer"]) == []

    def test_seven_characters_are_too_short(self, world):
        assert "密码太短：至少需要 8 个字符，现在只有 7 个。" in _messages(
            "Ab3-xyz", world.users["viewer"]
        )

    def test_two_classes_are_too_few_and_the_message_names_what_to_add(self, world):
        (message,) = _messages("kaohexitong2026", world.users["viewer"])
        assert message == (
            "密码须包含大写字母、小写字母、数字、符号中的至少 3 类，"
            "现在只有 2 类（还可加入：大写字母、符号）。"
        )

    @pytest.mark.parametrize(
        "password", ["Kaohexitong2026", "kaohe-xitong-2026", "KAOHE-XITONG-2026", "Kaohe-Xitong"]
    )
    def test_any_three_classes_pass(self, world, password):
        assert _messages(password, world.users["viewer"]) == []

    def test_chinese_characters_count_as_symbols(self):
        assert character_classes("考核abc123") == {"lower", "digit", "symbol"}


@pytest.mark.django_db
class TestNotTheUserName:
    @pytest.mark.parametrize(
        "password", ["Reviewer_A", "REVIEWER_A", "a_reweiveR", "My-reviewer_a-1", "X1a_REWEIVER"]
    )
    def test_the_name_in_any_case_reversed_or_contained_is_refused(self, world, password):
        messages = _messages(password, world.users["reviewer_a"])
        assert "密码不能是用户名「reviewer_a」，也不能包含用户名或其倒写。" in messages

    def test_a_two_letter_name_only_forbids_itself(self):
        from accounts.models import User
        from accounts.passwords import NotUsernameValidator

        validator = NotUsernameValidator()
        validator.validate("Li-Kaohe-2026", User(username="li"))  # contains "li": allowed
        with pytest.raises(ValidationError):
            validator.validate("LI", User(username="li"))


@pytest.mark.django_db
class TestHistory:
    PASSWORDS = [f"Kaohe-{n}-Mima" for n in range(1, 8)]

    def _set(self, user, password):
        password_validation.validate_password(password, user)
        services.password_change(user=user, password=password)

    def test_the_current_password_is_refused(self, world):
        user = world.users["viewer"]
        assert "新密码不能与最近使用过的 5 个密码相同，请换一个。" in _messages("pw-viewer", user)

    def test_each_of_the_last_five_is_refused_and_the_sixth_back_is_allowed(self, world):
        user = world.users["viewer"]
        for password in self.PASSWORDS[:6]:
            self._set(user, password)
        # Current: #6. The last five are #2..#6; #1 is free again.
        for password in self.PASSWORDS[1:6]:
            assert "新密码不能与最近使用过的 5 个密码相同，请换一个。" in _messages(password, user)
        assert _messages(self.PASSWORDS[0], user) == []

    def test_history_keeps_hashes_only_and_no_more_than_five(self, world):
        user = world.users["viewer"]
        for password in self.PASSWORDS:
            self._set(user, password)
        stored = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True))
        assert len(stored) == 5
        assert not any(p in stored for p in self.PASSWORDS)
        assert stored[0] == user.password


@pytest.mark.django_db
class TestChangePage:
    def test_a_weak_new_password_is_refused_with_its_reason_and_nothing_changes(
        self, world, client_for
    ):
        user = world.users["viewer"]
        before = user.password
        response = client_for("viewer").post(
            reverse("accounts:password_change"),
            {"old_password": "pw-viewer", "new_password1": "abc", "new_password2": "abc"},
        )
        assert response.status_code == 200
        text = response.content.decode()
        assert "密码太短：至少需要 8 个字符，现在只有 3 个。" in text
        assert "现在只有 1 类" in text
        user.refresh_from_db()
        assert user.password == before

    def test_the_page_lists_the_rules(self, world, client_for):
        text = client_for("viewer").get(reverse("accounts:password_change")).content.decode()
        assert "至少 8 个字符，包含大写字母、小写字母、数字、符号中的至少 3 类。" in text
        assert "不能与最近使用过的 5 个密码相同。" in text


class TestGeneratedPasswords:
    def test_every_generated_password_has_all_four_classes(self):
        for _i in range(200):
            password = generate_password()
            assert len(password) == 12
            assert character_classes(password) == {"upper", "lower", "digit", "symbol"}
