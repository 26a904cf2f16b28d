import pytest
from django.urls import reverse


@pytest.mark.django_db
class TestChineseFirst:
    def test_english_browser_still_gets_the_chinese_admin(self, client_for):
        response = client_for("admin").get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en-US,en")
        text = response.content.decode()
        assert "站点管理" in text and "Site administration" not in text

    def test_an_explicit_language_choice_is_honoured(self, client_for):
        client = client_for("admin")
        client.cookies["django_language"] = "en"
        text = client.get(reverse("admin:index")).content.decode()
        assert "Site administration" in text

    def test_login_page_is_chinese_for_anyone(self, client):
        response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en")
        assert response["Content-Language"] == "zh-hans"
        assert "请使用人社局分配的账号登录" in response.content.decode()
