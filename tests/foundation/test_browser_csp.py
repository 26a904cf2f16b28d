"""The Content-Security-Policy breaks nothing: every persona's pages in a real browser.

Each page is loaded in headless Chromium with a listener for ``securitypolicyviolation``
(injected by the driver before any page script) and the console watched for "Refused
to …"; a single violation, or an uncaught script error, fails the test.
"""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests.access_table import TABLE
from tests.browser import chromium_page, log_in
from tests.conftest import login_verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__reportCspViolation(
    `${e.violatedDirective} blocked ${e.blockedURI || "inline"} in ${e.sourceFile}:${e.lineNumber} ${e.sample}`
  );
});
"""


class Watch:
    """Everything the browser refused or choked on, page by page."""

    def __init__(self, page):
        self.page = page
        self.problems = []
        self.url = ""
        page.context.expose_function(
            "__reportCspViolation", lambda text: self.problems.append(f"{self.url}: {text}")
        )
        page.context.add_init_script(LISTENER)
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.problems.append(f"{self.url}: {error}"))

    def console(self, message):
        if "Refused to" in message.text or "Content Security Policy" in message.text:
            self.problems.append(f"{self.url}: console: {message.text}")

    def visit(self, url):
        self.url = url
        response = self.page.goto(url)
        self.page.wait_for_load_state("load")
        return response


def login(page, base, username):
    log_in(page, base, username)  # types the second factor's code where the role uses it
    page.wait_for_url(base + "/")


def html_pages_of(persona, world):
    """Every named page (GET, answering 200 with HTML) the persona may open, one at a time:
    a later entry's builder may move the world on (a recomputation supersedes the result an
    earlier page named, a step closes a page), so each is visited before the next is built."""
    client = login_verified(Client(), world.users[persona])
    for name in sorted(TABLE):
        args_of, method, answers, *_data = TABLE[name]
        if method != "get" or answers[persona] != 200:
            continue
        url = reverse(name, args=args_of(world))
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            yield url


def admin_pages(world):
    """The admin's index, and for every registered model its list, add and change pages."""
    rubric = world.cycle.rubric  # a rubric, a cycle, sheets and results to list and open
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append(reverse(f"{prefix}_changelist"))
        urls.append(reverse(f"{prefix}_add"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse(f"{prefix}_change", args=[first.pk]))
    for name, args in (
        ("admin:rubrics_rubric_trial", [rubric.pk]),
        ("admin:targets_targetallocation_import", []),
        ("admin:targets_targetallocation_export", []),
    ):
        urls.append(reverse(name, args=args))
    return urls


@pytest.mark.parametrize("persona", ["coordinator_a", "reviewer_a", "viewer", "admin"])
def test_every_page_of_the_persona_runs_under_the_policy(persona, live_server, world):
    base = live_server.url
    visited = []
    with chromium_page() as page:
        watch = Watch(page)
        watch.visit(base + "/accounts/login/")
        login(page, base, persona)
        for url in html_pages_of(persona, world):
            response = watch.visit(base + url)
            assert response.status == 200, url
            visited.append(url)
    assert reverse("home") in visited and reverse("targets:unit_list") in visited
    assert watch.problems == []


def test_the_sheet_saves_while_typing_under_the_policy(live_server, world):
    sheet = world.sheet_a
    base = live_server.url
    with chromium_page() as page:
        watch = Watch(page)
        login(page, base, "coordinator_a")
        watch.visit(f"{base}/cycles/sheets/{sheet.pk}/self/")
        page.focus("[name='s-6-score']")
        page.keyboard.type("2.5")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => document.getElementById('save-status').textContent.startsWith('已保存')"
        )
        watch.visit(f"{base}/cycles/sheets/{sheet.pk}/")
    assert sheet.scores.get(item__key="6", side="self").score == Decimal("2.5")
    assert watch.problems == []


def test_the_print_job_page_polls_under_the_policy(live_server, world):
    from jobs.models import Job

    job = Job.objects.create(
        kind="cycle_sheets",
        title="湖塘镇 评分表",
        requested_by=world.users["reviewer_a"],
        state=Job.State.RUNNING,
        progress_done=3,
        progress_total=10,
    )
    base = live_server.url
    with chromium_page() as page:
        watch = Watch(page)
        login(page, base, "reviewer_a")
        with page.expect_request(lambda r: r.url.endswith(f"/{job.pk}/status.json")) as polled:
            watch.visit(f"{base}{reverse('jobs:status', args=[job.pk])}")
        assert polled.value.headers.get("x-background-request") == "1"
        assert page.locator(".job-progress .bar").evaluate("e => e.offsetWidth") > 0
    assert watch.problems == []


def test_the_admin_runs_under_the_policy(live_server, world):
    base = live_server.url
    urls = admin_pages(world)
    with chromium_page() as page:
        watch = Watch(page)
        login(page, base, "admin")
        for url in urls:
            response = watch.visit(base + url)
            assert response.status < 500, url
        # The user form's unit rows search with select2 (built by script at run time).
        user = world.users["coordinator_a"]
        watch.visit(base + reverse("admin:accounts_user_change", args=[user.pk]))
        page.locator(".add-row a").first.click()
        page.locator(".select2-selection").last.click()
        page.keyboard.type("湖")
        page.wait_for_selector(".select2-results__option")
        # The import-export page's 「全选」 box works without its inline handler.
        export = reverse("admin:targets_targetallocation_export")
        watch.visit(base + export)
        page.locator("input.select-toggle").uncheck()
        boxes = page.locator('.selectable-field-export-row input[type="checkbox"]')
        assert boxes.count() > 0
        assert not any(boxes.nth(i).is_checked() for i in range(boxes.count()))
    assert watch.problems == []


def test_the_watch_catches_what_the_policy_refuses(live_server, world):
    """The control: inline style and script put on a page are refused and reported."""
    base = live_server.url
    with chromium_page() as page:
        watch = Watch(page)
        watch.visit(base + "/accounts/login/")
        page.evaluate("document.body.setAttribute('style', 'color: red')")
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.ran = 1'; document.body.append(s); }"
        )
        page.wait_for_timeout(300)
        assert page.evaluate("window.ran") is None
    assert any("style-src" in p for p in watch.problems), watch.problems
    assert any("script-src" in p for p in watch.problems), watch.problems
