"""Upload → review → accept → draft, in a real browser, wide and on a phone."""

import os

import pytest
from django.urls import reverse

from rubrics.models import Rubric
from tests.browser import chromium_page
from tests.conftest import login_verified
from tests.rubrics.document_fixtures import docx_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_an_administrator_turns_the_word_table_into_a_draft_rubric(
    width, live_server, world, tmp_path
):
    from django.test import Client

    path = tmp_path / "新沂市协理员考核评分表.docx"
    path.write_bytes(docx_bytes("xinyi-coordinator"))
    client = login_verified(Client(), world.users["admin"])
    session = client.cookies["sessionid"].value
    shots = os.environ.get("RUBRIC_IMPORT_SCREENSHOTS")
    with chromium_page(width=width) as page:
        page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page.goto(live_server.url + reverse("rubrics:import"))
        page.fill("#id_title", f"新沂协理员 {width}")
        page.set_input_files("#id_file", str(path))
        page.click("main button[type=submit]")
        page.wait_for_url("**/rubrics/import/*/")
        assert page.locator("mark").first.inner_text() == "一票否决"
        assert page.locator("tr[id^=item-]").count() == 24
        if shots:
            page.screenshot(path=f"{shots}/rubric-import-review-{width}.png", full_page=True)
        # Accept every suggestion; the items without one are chosen by hand.
        for select in page.locator("select[name^=kind_]").all():
            if select.input_value() == "":
                select.select_option("discretionary")
        page.click("main button[type=submit].primary")
        page.wait_for_load_state()
        assert "/rubrics/import/" not in page.url
    rubric = Rubric.objects.get(title=f"新沂协理员 {width}")
    assert not rubric.frozen and rubric.items.count() == 24
    assert rubric.items.filter(kind="veto").count() == 3  # the three 一票否决 items
