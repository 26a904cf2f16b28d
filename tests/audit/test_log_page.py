"""The audit administrator's security log: filters, pages of 50 read in SQL, changes as a
small table, formula-safe exports that are themselves recorded; and the gate that keeps
the audit administrator to the log (三员分立)."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.events import Event, Outcome
from audit.log import record
from audit.models import SecurityEvent
from tests.audit.helpers import last

pytestmark = pytest.mark.django_db


def _row(username="someone", *, event=Event.LOGIN, outcome=Outcome.SUCCESS, address="10.2.3.4",
         days_ago=0, detail="", changes=None):  # fmt: skip
    row = SecurityEvent(
        event=event,
        outcome=outcome,
        username=username,
        address=address,
        detail=detail,
        changes=changes or {},
    )
    row.at = timezone.now() - timedelta(days=days_ago)
    row.save(force_insert=True)
    return row


def _names(response) -> list[str]:
    return [e.username for e in response.context["page"]]


class TestLogPage:
    def test_the_auditor_sees_rows_with_changes_as_a_table(self, world, client_for):
        _row(
            "admin",
            event=Event.ROLE_CHANGE,
            detail="修改账号的角色与权限",
            changes={"角色": ["只读查看", "人社局管理员"]},
        )
        response = client_for("auditor").get(reverse("audit:log"))
        assert response.status_code == 200
        html = response.content.decode()
        assert '<table class="changes">' in html
        assert "只读查看" in html and "人社局管理员" in html and "角色或范围变更" in html
        assert "10.2.3.4" in html
        assert '["' not in html and "{&quot;" not in html  # never raw JSON

    def test_filters_by_time_user_event_outcome_and_address(self, world, client_for):
        _row("zhang", days_ago=10, address="172.16.0.1")
        _row("zhang", event=Event.LOGIN_FAILED, outcome=Outcome.FAILURE, address="192.168.1.9")
        _row("li", event=Event.EXPORT, address="10.2.9.9")
        client = client_for("auditor")
        today = timezone.localdate()

        def names(**query):
            response = client.get(reverse("audit:log"), query)
            assert response.status_code == 200
            return [n for n in _names(response) if n in ("zhang", "li")]

        assert names(username="zha") == ["zhang", "zhang"]
        assert names(event=Event.EXPORT) == ["li"]
        assert names(outcome=Outcome.FAILURE) == ["zhang"]
        assert names(address="10.2.") == ["li"]
        assert names(start=str(today - timedelta(days=1))) == ["li", "zhang"]
        assert names(end=str(today - timedelta(days=5))) == ["zhang"]
        assert names(username="zhang", start=str(today - timedelta(days=1))) == ["zhang"]

    def test_bad_filters_are_explained_and_show_no_rows(self, world, client_for):
        _row("zhang")
        response = client_for("auditor").get(
            reverse("audit:log"), {"start": "2026-13-01", "address": "<script>"}
        )
        assert response.status_code == 200
        assert response.context["page"] is None
        html = response.content.decode()
        assert "地址只能包含数字" in html and "筛选条件有误" in html

    def test_fifty_rows_a_page(self, world, client_for):
        for i in range(120):
            _row(f"user{i:03d}")
        client = client_for("auditor")
        first = client.get(reverse("audit:log"), {"username": "user"})
        third = client.get(reverse("audit:log"), {"username": "user", "page": 3})
        assert len(first.context["page"]) == 50 and len(third.context["page"]) == 20
        assert first.context["page"].paginator.count == 120
        assert "username=user&amp;page=2" in first.content.decode()

    def test_query_count_does_not_grow_with_the_rows(self, world, client_for):
        client = client_for("auditor")
        client.get(reverse("audit:log"))  # the session and the user are warm
        for i in range(3):
            _row(f"a{i}", changes={"角色": ["x", "y"]})
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("audit:log"))
        for i in range(80):
            _row(f"b{i}", changes={"角色": ["x", "y"]})
        with CaptureQueriesContext(connection) as many:
            client.get(reverse("audit:log"))
        assert len(many) == len(few)
        # session, user, the second factor's device (OTPMiddleware), the page's count and rows
        assert len(few) <= 8


class TestExport:
    PAYLOAD = '=HYPERLINK("http://evil.example","点我")'

    def test_xlsx_holds_the_filtered_rows_as_text(self, world, client_for):
        _row(self.PAYLOAD, detail="+cmd|' /C calc'!A0", changes={"姓名": ["-1+1", "@SUM(A1)"]})
        _row("other", event=Event.EXPORT)
        response = client_for("auditor").get(
            reverse("audit:export", args=["xlsx"]), {"event": Event.LOGIN, "username": "HYPER"}
        )
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(min_row=2))
        assert len(rows) == 1
        user_cell, detail_cell, changes_cell = rows[0][1], rows[0][8], rows[0][9]
        assert user_cell.value == self.PAYLOAD and user_cell.data_type == "s"
        assert user_cell.quotePrefix and detail_cell.quotePrefix
        assert changes_cell.value == "姓名：-1+1 → @SUM(A1)"
        exported = last(Event.AUDIT_EXPORT)
        assert exported.username == "auditor" and exported.address == "127.0.0.1"
        assert "1 条" in exported.detail and "事件：登录" in exported.detail

    def test_csv_prefixes_formula_text(self, world, client_for):
        _row(self.PAYLOAD)
        response = client_for("auditor").get(
            reverse("audit:export", args=["csv"]), {"username": "HYPER"}
        )
        assert response.status_code == 200
        text = response.content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0][0] == "时间" and len(rows) == 2
        assert rows[1][1] == "'" + self.PAYLOAD
        assert "csv" in last(Event.AUDIT_EXPORT).detail

    def test_bad_filters_export_nothing(self, world, client_for):
        response = client_for("auditor").get(
            reverse("audit:export", args=["xlsx"]), {"start": "昨天"}
        )
        assert response.status_code == 302
        assert not SecurityEvent.objects.filter(event=Event.AUDIT_EXPORT).exists()

    def test_an_unknown_format_is_not_found(self, world, client_for):
        response = client_for("auditor").get(reverse("audit:export", args=["pdf"]))
        assert response.status_code == 404


class TestSeparationOfDuties:
    @pytest.mark.parametrize(
        "url",
        [
            "/staff/",
            "/cycles/",
            "/units/",
            "/jobs/",
            "/admin/accounts/user/",
            "/admin/staff/coordinator/",
            "/admin/auth/",
        ],
    )
    def test_the_auditor_gets_a_chinese_403_everywhere_else(self, url, world, client_for):
        response = client_for("auditor").get(url)
        assert response.status_code == 403
        assert "审计管理员只能查看安全审计日志" in response.content.decode()

    @pytest.mark.parametrize("persona", ["admin", "reviewer_a", "viewer", "coordinator_a"])
    def test_nobody_else_reads_the_log(self, persona, world, client_for):
        record(Event.LOGIN, username="x")
        client = client_for(persona)
        assert client.get(reverse("audit:log")).status_code == 403
        assert client.get(reverse("audit:export", args=["csv"])).status_code == 403
        assert not SecurityEvent.objects.filter(event=Event.AUDIT_EXPORT).exists()

    def test_home_shows_the_auditor_the_log_and_nothing_else(self, world, client_for):
        response = client_for("auditor").get(reverse("home"))
        html = response.content.decode()
        assert [p.title for p in response.context["panels"]] == ["安全审计"]
        assert reverse("audit:log") in html
        for hidden in ("/cycles/", "/staff/", "/units/", 'href="/admin/"'):
            assert hidden not in html

    def test_other_menus_do_not_offer_the_log(self, world, client_for):
        html = client_for("admin").get(reverse("home")).content.decode()
        assert reverse("audit:log") not in html
        assert "/cycles/" in html
