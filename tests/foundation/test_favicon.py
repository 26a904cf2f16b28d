"""Every page names its icon, so browsers do not ask for a missing /favicon.ico."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url_name", ["accounts:login", "admin:login"])
def test_pages_link_the_icon_and_it_exists(client, url_name):
    page = client.get(reverse(url_name)).content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page
    assert finders.find("favicon.svg")
