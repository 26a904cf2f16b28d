"""Content-Security-Policy: the header on every response, and templates it cannot break."""

import re
import secrets
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.access_table import TABLE
from tests.foundation.test_settings import run_manage

ROOT = Path(__file__).resolve().parents[2]
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def directives(header: str) -> dict:
    parts = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {name: (rest[0] if rest else "") for name, *rest in parts}


class TestHeaderOnEveryResponse:
    @pytest.mark.parametrize("persona", ["admin", "anonymous"])
    @pytest.mark.parametrize("name", sorted(TABLE))
    def test_every_named_url_answers_with_the_policy(self, name, persona, world, client_for):
        args_of, method, _answers, *data = TABLE[name]
        data = [d(world) if callable(d) else d for d in data]
        response = getattr(client_for(persona), method)(reverse(name, args=args_of(world)), *data)
        header = response["Content-Security-Policy"]
        downloads = ("assessments:evidence_download", "assessments:objection_evidence")
        if name in downloads and response.status_code == 200:
            return  # its own stricter policy, below
        assert directives(header) == POLICY

    def test_the_policy_allows_no_inline_script_style_or_eval(self, db):
        header = Client().get(reverse("accounts:login"))["Content-Security-Policy"]
        for word in ("unsafe-inline", "unsafe-eval", "unsafe-hashes", "nonce-", "*"):
            assert word not in header

    def test_error_pages_and_the_admin_carry_it(self, world, client_for):
        client = client_for("admin")
        for url in ("/no-such-page/", reverse("admin:index"), reverse("admin:login")):
            assert directives(client.get(url)["Content-Security-Policy"]) == POLICY
        forbidden = client_for("viewer").post(
            reverse("targets:unit_edit", args=[world.unit_a.pk]), {"name": "x"}
        )
        assert forbidden.status_code == 403
        assert directives(forbidden["Content-Security-Policy"]) == POLICY

    def test_evidence_downloads_keep_their_own_stricter_policy(self, world, client_for):
        evidence = world.evidence_a
        response = client_for("coordinator_a").get(
            reverse("assessments:evidence_download", args=[evidence.assessment_id, evidence.pk])
        )
        assert response.status_code == 200
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"

    def test_objection_evidence_downloads_keep_the_same_stricter_policy(self, world, client_for):
        from tests.assessments.publicity_world import objection_a

        objection = objection_a(world)
        response = client_for("reviewer_a").get(
            reverse("assessments:objection_evidence", args=[objection.pk])
        )
        assert response.status_code == 200
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"

    def test_report_only_sends_the_same_policy_as_a_report(self, db, settings):
        settings.CONTENT_SECURITY_POLICY = None
        settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {
            "DIRECTIVES": {k: v.split() for k, v in POLICY.items()}
        }
        response = Client().get(reverse("accounts:login"))
        assert "Content-Security-Policy" not in response
        assert directives(response["Content-Security-Policy-Report-Only"]) == POLICY


class TestReportOnlySetting:
    SHOW = (
        "from django.conf import settings; "
        "print(settings.CONTENT_SECURITY_POLICY is None, "
        "(settings.CONTENT_SECURITY_POLICY_REPORT_ONLY or {}).get('DIRECTIVES', {}).get('report-uri'))"
    )

    def production(self, **env):
        result = run_manage(
            "shell",
            "-c",
            self.SHOW,
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="kaohe.example.gov.cn",
            **env,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()[-1]

    def test_the_policy_is_enforced_by_default(self):
        assert self.production() == "False None"

    def test_csp_report_only_switches_to_reporting_with_an_optional_address(self):
        line = self.production(CSP_REPORT_ONLY="1", CSP_REPORT_URI="https://report.example/csp")
        assert line == "True ['https://report.example/csp']"


# Print templates are rendered to PDF by WeasyPrint on the server and never reach a browser,
# so the page policy does not apply to them (their @page rules need a <style> block).
PAGE_TEMPLATES = [
    path
    for path in sorted((ROOT / "templates").rglob("*.html"))
    if "print" not in path.relative_to(ROOT / "templates").parts and path.name != "print_base.html"
]
INLINE = {
    "inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "<style> block": re.compile(r"<style\b", re.I),
    "style= attribute": re.compile(r"\sstyle\s*=", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


@pytest.mark.parametrize("path", PAGE_TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_page_templates_hold_no_inline_script_or_style(path):
    text = path.read_text(encoding="utf-8")
    found = [what for what, pattern in INLINE.items() if pattern.search(text)]
    assert found == [], f"{path.relative_to(ROOT)}: {found}"
