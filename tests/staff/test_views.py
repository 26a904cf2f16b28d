"""The pages: what each person sees and may do, clear messages, no 500 on bad input, and
query counts that do not grow with the data."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from staff.models import AttendanceEntry, Coordinator, DepartureReport, LeaveRequest
from tests.staff.world import departure_of, leave_of


def html(response):
    return response.content.decode()


@pytest.mark.django_db
class TestCoordinatorPages:
    def test_a_coordinator_sees_only_their_own_record_in_the_list(
        self, client_for, coord_a, coord_b
    ):
        page = html(client_for("coordinator_a").get(reverse("staff:coordinator_list")))
        assert "陈静" in page and "许东" not in page

    def test_a_town_reviewer_sees_their_town(self, client_for, coord_a, coord_b):
        page = html(client_for("reviewer_b").get(reverse("staff:coordinator_list")))
        assert "许东" in page and "陈静" not in page

    def test_filters_by_town_and_state(self, world, client_for, coord_a, coord_b):
        client = client_for("admin")
        page = html(client.get(reverse("staff:coordinator_list"), {"town": world.town_b.pk}))
        assert "许东" in page and "陈静" not in page
        page = html(client.get(reverse("staff:coordinator_list"), {"state": "left"}))
        assert "没有符合条件的协理员" in page

    @pytest.mark.parametrize(
        "query",
        [{"town": "abc"}, {"town": "999999"}, {"state": "x"}, {"page": "zz"}, {"page": "999"}],
    )
    def test_bad_filters_do_not_break_the_list(self, client_for, coord_a, query):
        assert client_for("admin").get(reverse("staff:coordinator_list"), query).status_code == 200

    def test_the_list_runs_the_same_queries_for_one_or_thirty(self, world, client_for, coord_a):
        client = client_for("reviewer_a")
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as one:
            client.get(reverse("staff:coordinator_list"))
        for i in range(30):
            Coordinator.objects.create(name=f"协理员{i}", unit=world.unit_a)
        with CaptureQueriesContext(connection) as many:
            client.get(reverse("staff:coordinator_list"))
        assert len(many) == len(one)

    def test_the_town_page_runs_the_same_queries_for_one_or_thirty(
        self, world, client_for, coord_a
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from org.models import Unit

        client = client_for("admin")
        url = reverse("staff:town_staffing", args=[world.town_a.pk])
        with CaptureQueriesContext(connection) as one:
            client.get(url)
        for i in range(30):
            unit = Unit.objects.create(name=f"村{i}", kind="village", parent=world.town_a)
            person = Coordinator.objects.create(name=f"协理员{i}", unit=unit)
            AttendanceEntry.objects.create(
                coordinator=person, date=date(timezone.localdate().year, 1, 1), status="absent"
            )
        with CaptureQueriesContext(connection) as many:
            client.get(url)
        assert len(many) == len(one)

    def test_reviewer_registers_a_coordinator_of_their_town(self, world, client_for):
        response = client_for("reviewer_a").post(
            reverse("staff:coordinator_create"),
            {
                "name": "李 明",
                "gender": "男",
                "unit": world.unit_a.pk,
                "birth_month": "1988-05",
                "is_fulltime": "on",
                "account": "coordinator_a",
            },
        )
        assert response.status_code == 302
        person = Coordinator.objects.get()
        assert (person.name, person.birth_month, person.user.username) == (
            "李明",
            date(1988, 5, 1),
            "coordinator_a",
        )

    def test_reviewer_cannot_register_in_another_town(self, world, client_for):
        response = client_for("reviewer_a").post(
            reverse("staff:coordinator_create"), {"name": "李明", "unit": world.unit_b.pk}
        )
        assert response.status_code == 200
        assert not Coordinator.objects.exists()

    def test_an_account_of_another_unit_is_refused(self, world, client_for):
        response = client_for("admin").post(
            reverse("staff:coordinator_create"),
            {"name": "李明", "unit": world.unit_a.pk, "account": "coordinator_b"},
        )
        assert "负责的单位中没有淹城社区" in html(response)
        assert not Coordinator.objects.exists()

    def test_town_may_not_move_a_coordinator_to_another_village(self, world, client_for, coord_a):
        from org.models import Unit

        other = Unit.objects.create(name="何留社区", kind="community", parent=world.town_a)
        response = client_for("reviewer_a").post(
            reverse("staff:coordinator_edit", args=[coord_a.pk]),
            {"name": "陈静", "unit": other.pk, "account": "coordinator_a"},
        )
        assert "人员管理制度第3条" in html(response)
        coord_a.refresh_from_db()
        assert coord_a.unit == world.unit_a


@pytest.mark.django_db
class TestAttendancePages:
    def test_eight_days_off_post_shows_the_rule(self, world, client_for, coord_a):
        client = client_for("reviewer_a")
        start = timezone.localdate() - timedelta(days=20)
        response = client.post(
            reverse("staff:attendance_add", args=[coord_a.pk]),
            {"date": start.isoformat(), "status": "off_post", "days": "8"},
        )
        assert response.status_code == 302
        page = html(client.get(response["Location"]))
        assert "连续脱离岗位 8 天" in page and "考勤制度第6条" in page
        assert "全年累计旷工 8 天（含五天以上为不合格，考勤制度第5条）" in page

    @pytest.mark.parametrize(
        "data",
        [
            {"date": "2025-13-01", "status": "absent", "days": "1"},
            {"date": "", "status": "absent", "days": "1"},
            {"date": "2025-03-01", "status": "nonsense", "days": "1"},
            {"date": "2025-03-01", "status": "absent", "days": "-3"},
            {"date": "2025-03-01", "status": "absent", "days": "abc"},
        ],
    )
    def test_bad_input_is_answered_on_the_form(self, client_for, coord_a, data):
        response = client_for("admin").post(
            reverse("staff:attendance_add", args=[coord_a.pk]), data
        )
        assert response.status_code == 200
        assert "errors" in html(response)
        assert not AttendanceEntry.objects.exists()

    @pytest.mark.parametrize("month", ["2025-13", "abcd", "2025-00", ""])
    def test_bad_month_in_the_address_is_ignored(self, client_for, coord_a, month):
        url = reverse("staff:attendance_month", args=[coord_a.pk])
        assert client_for("admin").get(url, {"month": month}).status_code == 200

    @pytest.mark.parametrize("year", ["abc", "1", "99999", "-5"])
    def test_bad_year_falls_back_to_this_year(self, world, client_for, coord_a, year):
        client = client_for("admin")
        assert (
            client.get(reverse("staff:attendance", args=[coord_a.pk]), {"year": year}).status_code
            == 200
        )
        url = reverse("staff:town_staffing", args=[world.town_a.pk])
        assert client.get(url, {"year": year}).status_code == 200

    def test_monthly_summary_saved_from_the_form(self, client_for, coord_a):
        this_month = timezone.localdate().replace(day=1)
        response = client_for("admin").post(
            reverse("staff:attendance_month", args=[coord_a.pk]),
            {
                "month": this_month.strftime("%Y-%m"),
                "present_days": "18",
                "absent_days": "1.5",
                "leave_days": "0",
                "off_post_days": "0",
            },
        )
        assert response.status_code == 302
        assert coord_a.attendance_months.get().absent_days == Decimal("1.5")


@pytest.mark.django_db
class TestLeavePages:
    def test_coordinator_files_a_leave_request(self, world, client_for, coord_a):
        start = timezone.localdate() + timedelta(days=2)
        response = client_for("coordinator_a").post(
            reverse("staff:leave_create", args=[coord_a.pk]),
            {
                "kind": "sick",
                "start_date": start.isoformat(),
                "end_date": (start + timedelta(days=2)).isoformat(),
                "phone": "13912345678",
            },
        )
        assert response.status_code == 302
        leave = LeaveRequest.objects.get()
        assert (leave.days, leave.needs_city, leave.state) == (3, True, "pending_village")

    def test_backdated_request_is_answered_in_chinese(self, client_for, coord_a):
        yesterday = timezone.localdate() - timedelta(days=1)
        response = client_for("coordinator_a").post(
            reverse("staff:leave_create", args=[coord_a.pk]),
            {
                "kind": "personal",
                "start_date": yesterday.isoformat(),
                "end_date": yesterday.isoformat(),
                "phone": "1",
            },
        )
        assert response.status_code == 200
        assert "请假应事先填写请假审批单（考勤制度第3条）" in html(response)
        assert not LeaveRequest.objects.exists()

    def test_overlapping_request_is_answered_in_chinese(self, world, client_for, coord_a):
        leave = leave_of(world)
        response = client_for("coordinator_a").post(
            reverse("staff:leave_create", args=[coord_a.pk]),
            {
                "kind": "personal",
                "start_date": leave.start_date.isoformat(),
                "end_date": leave.end_date.isoformat(),
                "phone": "1",
            },
        )
        assert "时间重叠，不能重复请假" in html(response)
        assert LeaveRequest.objects.count() == 1

    def test_decision_without_a_choice_is_a_message(self, world, client_for):
        leave = leave_of(world)
        client = client_for("admin")
        response = client.post(reverse("staff:leave_decide", args=[leave.pk]), follow=True)
        assert "请选择「同意」或「驳回」" in html(response)

    def test_the_village_head_sees_the_request_and_approves(self, world, client, head_a):
        leave = leave_of(world)
        client.force_login(head_a)
        page = html(client.get(reverse("staff:approvals")))
        assert "陈静" in page
        response = client.post(
            reverse("staff:leave_decide", args=[leave.pk]),
            {"decision": "approve", "confirmed": "1"},
        )
        assert response.status_code == 302
        leave.refresh_from_db()
        assert leave.state == "pending_town"

    def test_an_unreturned_leave_warns_on_its_page(self, world, client_for, coord_a):
        leave = leave_of(world, state="approved")
        LeaveRequest.objects.filter(pk=leave.pk).update(
            start_date=timezone.localdate() - timedelta(days=6),
            end_date=timezone.localdate() - timedelta(days=5),
        )
        page = html(client_for("coordinator_a").get(reverse("staff:leave_detail", args=[leave.pk])))
        assert "共 4 天未办续假手续" in page and "按旷工论处（考勤制度第6条）" in page

    def test_the_slip_prints_as_a_pdf(self, world, client_for):
        leave = leave_of(world, days=3)
        response = client_for("coordinator_a").get(reverse("staff:leave_slip", args=[leave.pk]))
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")

    def test_return_and_extend_pages_refuse_a_pending_request_politely(self, world, client_for):
        leave = leave_of(world)
        client = client_for("coordinator_a")
        for name in ("staff:leave_return", "staff:leave_extend"):
            response = client.get(reverse(name, args=[leave.pk]))
            assert response.status_code == 302


@pytest.mark.django_db
class TestDeparturePages:
    def test_a_coordinator_is_offered_resignation_only(self, client_for, coord_a):
        page = html(
            client_for("coordinator_a").get(reverse("staff:departure_create", args=[coord_a.pk]))
        )
        assert "辞职" in page and "辞退" not in page

    def test_the_report_prints_as_a_pdf(self, world, client_for):
        report = departure_of(world)
        response = client_for("reviewer_a").get(reverse("staff:departure_report", args=[report.pk]))
        assert response.content.startswith(b"%PDF")

    def test_town_files_for_a_coordinator(self, world, client_for, coord_a):
        response = client_for("reviewer_a").post(
            reverse("staff:departure_create", args=[coord_a.pk]),
            {
                "kind": "expire",
                "departure_date": "2026-12-31",
                "reason": "合同期满不再续签",
                "handover_files": "on",
            },
        )
        assert response.status_code == 302
        report = DepartureReport.objects.get()
        assert (report.kind, report.handover_files, report.handover_equipment) == (
            "expire",
            True,
            False,
        )
