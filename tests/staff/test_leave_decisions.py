"""Deciding leave and departures: only the applicant (or an administrator) withdraws; an
approver rejects with a reason the applicant sees; every decision is confirmed first on a
page that says what will happen and to whom; the applicant is told the result."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from notices.models import Notice
from staff import services
from staff.models import DepartureReport, LeaveRequest
from tests.staff.world import leave_of

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def file_for(world, coord, *, persona):
    return services.leave_file(
        user=world.users[persona],
        coordinator=coord,
        kind=LeaveRequest.Kind.PERSONAL,
        start_date=date(2030, 3, 4),
        end_date=date(2030, 3, 5),
        reason="家中有事",
        phone="13912345678",
        today=date(2030, 3, 1),
    )


class TestWithdrawIsTheApplicants:
    def test_the_town_reviewer_cannot_withdraw_a_coordinators_request(self, world, coord_a):
        leave = leave_of(world)
        with pytest.raises(PermissionDenied, match="只有申请人本人"):
            services.leave_withdraw(user=world.users["reviewer_a"], leave=leave)
        leave.refresh_from_db()
        assert leave.state == "pending_village"

    def test_the_reviewer_is_not_offered_withdraw_and_a_posted_one_is_refused(
        self, world, coord_a, client_for
    ):
        leave = leave_of(world)
        client = client_for("reviewer_a")
        page = html(client.get(reverse("staff:leave_detail", args=[leave.pk])))
        assert reverse("staff:leave_withdraw", args=[leave.pk]) not in page
        url = reverse("staff:leave_withdraw", args=[leave.pk])
        assert client.post(url, {"confirmed": "1"}).status_code == 403
        leave.refresh_from_db()
        assert leave.state == "pending_village"

    def test_the_coordinator_and_an_administrator_may_withdraw(self, world, coord_a):
        for persona in ("coordinator_a", "admin"):
            leave = leave_of(world)
            services.leave_withdraw(user=world.users[persona], leave=leave)
            leave.refresh_from_db()
            assert leave.state == "withdrawn"
            leave.delete()

    def test_the_town_that_filed_for_the_coordinator_may_withdraw_what_it_filed(
        self, world, coord_a
    ):
        leave = file_for(world, coord_a, persona="reviewer_a")
        services.leave_withdraw(user=world.users["reviewer_a"], leave=leave, today=date(2030, 3, 1))
        leave.refresh_from_db()
        assert leave.state == "withdrawn"

    def test_a_departure_is_withdrawn_by_its_coordinator_not_the_town(self, world, coord_a):
        report = DepartureReport.objects.create(
            coordinator=coord_a, kind="resign", departure_date=date(2030, 6, 30)
        )
        with pytest.raises(PermissionDenied):
            services.departure_withdraw(user=world.users["reviewer_a"], report=report)
        services.departure_withdraw(user=world.users["coordinator_a"], report=report)
        report.refresh_from_db()
        assert report.state == "withdrawn"


class TestRejectNeedsAReason:
    def test_a_rejection_without_a_reason_is_refused_and_changes_nothing(
        self, world, coord_a, head_a
    ):
        leave = leave_of(world)
        with pytest.raises(ValidationError, match="驳回时请写明理由"):
            services.leave_decide(user=head_a, leave=leave, approve=False, note="  ")
        leave.refresh_from_db()
        assert leave.state == "pending_village"

    def test_the_page_asks_for_the_reason_before_any_confirmation(
        self, world, coord_a, client, head_a
    ):
        leave = leave_of(world)
        client.force_login(head_a)
        url = reverse("staff:leave_decide", args=[leave.pk])
        page = html(client.post(url, {"decision": "reject", "note": ""}, follow=True))
        assert "驳回时请在「意见」中写明理由，申请人会看到它" in page
        leave.refresh_from_db()
        assert leave.state == "pending_village"

    def test_the_applicant_sees_the_reason_on_the_request_and_in_a_notice(
        self, world, coord_a, head_a, client_for
    ):
        leave = leave_of(world)
        services.leave_decide(user=head_a, leave=leave, approve=False, note="当月已请假两次")
        page = html(client_for("coordinator_a").get(reverse("staff:leave_detail", args=[leave.pk])))
        assert "驳回了这份申请" in page and "当月已请假两次" in page
        (notice,) = Notice.objects.filter(recipient=world.users["coordinator_a"])
        assert notice.event == "leave_decided"
        assert notice.title.startswith("已驳回：陈静（淹城社区）的事假申请")
        assert "驳回理由：当月已请假两次" in notice.body
        assert notice.link == reverse("staff:leave_detail", args=[leave.pk])


class TestConfirmationFirst:
    def test_approving_shows_what_will_happen_and_to_whom_and_changes_nothing(
        self, world, coord_a, client, head_a
    ):
        leave = leave_of(world)
        client.force_login(head_a)
        url = reverse("staff:leave_decide", args=[leave.pk])
        response = client.post(url, {"decision": "approve", "note": "同意"})
        page = html(response)
        assert response.status_code == 200
        assert "您将同意陈静（淹城社区）的事假申请" in page and "共 2 天" in page
        assert "之后：转交镇（街道）社会事业服务中心审批。" in page
        assert 'name="confirmed" value="1"' in page and "确认同意" in page
        leave.refresh_from_db()
        assert leave.state == "pending_village"
        client.post(url, {"decision": "approve", "note": "同意", "confirmed": "1"})
        leave.refresh_from_db()
        assert leave.state == "pending_town"

    def test_the_last_approval_says_the_coordinator_will_be_told(self, world, coord_a, client_for):
        leave = leave_of(world, state="pending_town")
        page = html(
            client_for("reviewer_a").post(
                reverse("staff:leave_decide", args=[leave.pk]), {"decision": "approve"}
            )
        )
        assert "之后：审批完成，请假获批准。" in page and "陈静将收到审批结果的通知。" in page

    def test_rejecting_repeats_the_reason_the_applicant_will_read(
        self, world, coord_a, client, head_a
    ):
        leave = leave_of(world)
        client.force_login(head_a)
        page = html(
            client.post(
                reverse("staff:leave_decide", args=[leave.pk]),
                {"decision": "reject", "note": "材料不全"},
            )
        )
        assert "您将驳回" in page and "驳回理由「材料不全」将告知陈静。" in page
        assert "确认驳回" in page

    def test_withdrawing_asks_first(self, world, coord_a, client_for):
        leave = leave_of(world)
        client = client_for("coordinator_a")
        url = reverse("staff:leave_withdraw", args=[leave.pk])
        page = html(client.post(url, {}))
        assert "您将撤回陈静（淹城社区）的事假申请" in page and "不能恢复" in page
        leave.refresh_from_db()
        assert leave.state == "pending_village"
        client.post(url, {"confirmed": "1"})
        leave.refresh_from_db()
        assert leave.state == "withdrawn"


class TestApplicantIsTold:
    def test_a_final_approval_notifies_the_coordinator_once(self, world, coord_a):
        leave = leave_of(world, state="pending_town")
        services.leave_decide(user=world.users["reviewer_a"], leave=leave, approve=True)
        (notice,) = Notice.objects.filter(recipient=world.users["coordinator_a"])
        assert (notice.event, notice.title[:4]) == ("leave_decided", "已批准：")

    def test_a_step_that_passes_the_request_on_tells_nobody_yet(self, world, coord_a, head_a):
        services.leave_decide(user=head_a, leave=leave_of(world), approve=True)
        assert not Notice.objects.exists()

    def test_a_departure_decided_by_the_city_notifies_the_coordinator(self, world, coord_a, city):
        report = DepartureReport.objects.create(
            coordinator=coord_a,
            kind="resign",
            departure_date=date(2030, 6, 30),
            state="pending_city",
            handover_files=True,
            handover_equipment=True,
        )
        services.departure_decide(user=city, report=report, approve=True)
        (notice,) = Notice.objects.filter(recipient=world.users["coordinator_a"])
        assert notice.event == "departure_decided" and "离职呈报" in notice.title


class TestPrintedSlip:
    """The slip of a leave of three days or more has the 市就业处's decision on its own line,
    and says so while it is still waiting for it."""

    def text(self, leave):
        from printing.render import render_one
        from staff.printouts import leave_slip_doc
        from tests.printing.conftest import page_texts

        pages = page_texts(render_one(leave_slip_doc(leave)))
        assert len(pages) == 1, "the stub and the slip fit on one page"
        return "".join("".join(pages).split())

    def test_a_slip_waiting_for_the_city_is_marked(self, world, coord_a):
        leave = leave_of(world, state="pending_city", days=4)
        text = self.text(leave)
        assert "市就业处意见" in text
        assert "待市就业处审批：本单尚未审批完成，请假未获批准" in text

    def test_the_citys_decision_is_in_its_own_box_not_the_towns(self, world, coord_a, city):
        leave = leave_of(world, state="pending_city", days=4)
        services.leave_decide(user=city, leave=leave, approve=True, note="准假")
        text = self.text(leave)
        assert "市就业处意见同意。准假" in text
        assert "待市就业处审批" not in text and "报市就业处：" not in text

    def test_a_short_leave_has_no_city_line(self, world, coord_a):
        text = self.text(leave_of(world, state="pending_town", days=2))
        assert "市就业处意见" not in text and "待市就业处审批" not in text
