"""403 and 404 are the app's own Chinese pages with DEBUG off and on (the demo runs DEBUG=True,
where Django would answer a 404 with its English technical page)."""

import pytest

pytestmark = pytest.mark.django_db

NOT_FOUND = "没有找到（404）"
REFUSED = "没有权限（403）"


@pytest.mark.parametrize("debug", [False, True])
class TestErrorPages:
    def test_an_address_that_matches_no_page_is_the_apps_404(self, debug, settings, client_for):
        settings.DEBUG = debug
        response = client_for("viewer").get("/no-such-page/")
        text = response.content.decode()
        assert response.status_code == 404
        assert NOT_FOUND in text and "URLconf" not in text and "Page not found" not in text

    def test_an_object_the_user_may_not_see_is_the_apps_404(
        self, debug, settings, world, client_for
    ):
        settings.DEBUG = debug
        response = client_for("coordinator_b").get(f"/cycles/sheets/{world.sheet_a.pk}/")
        text = response.content.decode()
        assert response.status_code == 404
        assert NOT_FOUND in text and "Raised by" not in text

    def test_a_refusal_is_the_apps_403_with_its_reason(self, debug, settings, client_for):
        settings.DEBUG = debug
        response = client_for("viewer").get("/staff/roster/import/")
        text = response.content.decode()
        assert response.status_code == 403
        assert REFUSED in text and "人社局管理员和镇（街道）社会事业服务中心可以办理" in text
