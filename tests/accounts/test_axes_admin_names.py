"""django-axes ships no Chinese; the admin names its models and fields in Chinese."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_admin_names_the_login_records_in_chinese(world, client_for):
    client = client_for("admin")
    index = client.get(reverse("admin:index")).content.decode()
    assert "登录失败计数" in index and "登录记录" in index
    assert "Access attempts" not in index and "Access logs" not in index
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username="hutang",
        ip_address="127.0.0.1",
        user_agent="",
        http_accept="",
        path_info="/accounts/login/",
        failures_since_start=2,
        get_data="",
        post_data="",
    )
    listing = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "用户名" in listing and "失败次数" in listing
    assert "Failed Logins" not in listing
