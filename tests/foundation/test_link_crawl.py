"""Every link a demo persona is shown leads somewhere they may go.

The demo is loaded; each demo account starts at the home page and follows every same-site
link on every page it reaches (a few of each kind of address, so the walk stays short),
and no link may answer 403 or 404: a link to a refusal is a link that should not be there.
Downloads (PDF, xlsx) are followed only as far as their answer's status.
"""

import re
from collections import deque
from html import unescape
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command

from accounts.models import User
from tests.conftest import login_verified

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"]+)"')
PER_KIND = 3  # addresses followed per kind of address (the same path, numbers aside)
PAGES = 400  # at most this many pages per persona
NOT_FOLLOWED = ("/static/", "/media/", "/admin/")  # files, and Django's own admin
DOWNLOADS = (".pdf", ".xlsx", ".csv", ".zip")


def kind_of(url: str) -> str:
    path = urlsplit(url).path
    return re.sub(r"\d+", "N", path)


def links(html: str):
    for raw in HREF.findall(html):
        url = urldefrag(unescape(raw))[0]
        if url.startswith("/") and not url.startswith("//"):
            yield url


def crawl(client, start="/"):
    """{url: status} of every address reached, and where each was linked from."""
    seen, answers, came_from = {start}, {}, {}
    per_kind: dict[str, int] = {}
    queue = deque([start])
    while queue and len(answers) < PAGES:
        url = queue.popleft()
        if urlsplit(url).path.endswith(DOWNLOADS):
            continue  # a file: rendering every one would make the walk long; see below
        response = client.get(url)
        answers[url] = response.status_code
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for link in links(response.content.decode()):
            if link in seen or link.startswith(NOT_FOLLOWED):
                continue
            kind = kind_of(link)
            if per_kind.get(kind, 0) >= PER_KIND:
                continue
            per_kind[kind] = per_kind.get(kind, 0) + 1
            seen.add(link)
            came_from[link] = url
            queue.append(link)
    return answers, came_from


DEMO = ("admin", "hutang", "dongchen", "yancheng", "heliu", "viewer", "city", "auditor")


@pytest.mark.parametrize("username", DEMO)
def test_no_link_a_demo_persona_sees_leads_to_a_refusal(username, client, settings):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    settings.NOTICE_EMAIL = False
    user = User.objects.get(username=username)
    login_verified(client, user)
    answers, came_from = crawl(client)
    refused = {u: s for u, s in answers.items() if s in (403, 404)}
    assert len(answers) > 3
    assert not refused, {u: (s, came_from.get(u)) for u, s in refused.items()}
