"""Departure (离职呈报表, 人员管理制度第2条): village → town → city; on the last approval the
coordinator leaves, the login stops working, the history stays, the post is vacant."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.urls import reverse

from staff import selectors, services
from staff.models import ApprovalRequest, Coordinator, DepartureReport, LeaveRequest


def report(world, coordinator, *, persona="reviewer_a", **extra):
    defaults = {
        "kind": DepartureReport.Kind.RESIGN,
        "departure_date": date(2025, 6, 30),
        "reason": "个人原因",
        "handover_files": True,
        "handover_equipment": True,
    }
    return services.departure_file(
        user=world.users[persona], coordinator=coordinator, **{**defaults, **extra}
    )


def approve(user, rep, **extra):
    return services.departure_decide(user=user, report=rep, approve=True, **extra)


@pytest.mark.django_db
class TestDepartureChain:
    def test_final_approval_makes_the_coordinator_leave_and_stops_the_login(
        self, world, coord_a, head_a, city, client
    ):
        rep = report(world, coord_a)
        assert approve(head_a, rep).state == "pending_town"
        assert approve(world.users["reviewer_a"], rep).state == "pending_city"
        rep = approve(city, rep)
        assert rep.state == "approved"
        coord_a.refresh_from_db()
        assert (coord_a.state, coord_a.left_on) == ("left", date(2025, 6, 30))
        account = world.users["coordinator_a"]
        account.refresh_from_db()
        assert not account.is_active
        # The login lockout backend needs the request a real login comes with.
        assert not client.login(
            request=HttpRequest(), username="coordinator_a", password="pw-coordinator_a"
        )
        # History kept: the record, its link and every step.
        assert Coordinator.objects.filter(pk=coord_a.pk, user=account).exists()
        assert [e.action for e in rep.events.all()] == ["file", "approve", "approve", "approve"]

    def test_the_post_shows_as_vacant_on_the_town_staffing_page(
        self, world, coord_a, head_a, city, client_for
    ):
        rep = report(world, coord_a)
        approve(head_a, rep)
        approve(world.users["reviewer_a"], rep)
        approve(city, rep)
        (row,) = selectors.town_staffing(world.town_a, 2025)
        assert row.unit == world.unit_a and row.vacant
        assert not selectors.certified_fulltime_coordinator(world.unit_a)
        page = client_for("reviewer_a").get(reverse("staff:town_staffing", args=[world.town_a.pk]))
        html = page.content.decode()
        assert "空缺" in html
        assert "已离职" in html and "陈静" in html

    def test_pending_leave_is_withdrawn_when_the_coordinator_leaves(
        self, world, coord_a, head_a, city
    ):
        leave = services.leave_file(
            user=world.users["coordinator_a"],
            coordinator=coord_a,
            kind="personal",
            start_date=date(2025, 7, 1),
            end_date=date(2025, 7, 1),
            today=date(2025, 6, 1),
        )
        rep = report(world, coord_a)
        for user in (head_a, world.users["reviewer_a"], city):
            approve(user, rep)
        leave.refresh_from_db()
        assert leave.state == LeaveRequest.State.WITHDRAWN

    def test_the_city_cannot_approve_before_the_handover(self, world, coord_a, head_a, city):
        rep = report(world, coord_a, handover_equipment=False)
        approve(head_a, rep)
        approve(world.users["reviewer_a"], rep)
        with pytest.raises(ValidationError, match="办公设备的移交"):
            approve(city, rep)
        coord_a.refresh_from_db()
        assert coord_a.state == "active"
        # The town confirms the handover when approving; the city may then approve.
        rep.refresh_from_db()
        assert rep.state == "pending_city"

    def test_the_town_confirms_the_handover_at_its_step(self, world, coord_a, head_a, city):
        rep = report(world, coord_a, handover_files=False, handover_equipment=False)
        approve(head_a, rep)
        approve(world.users["reviewer_a"], rep, handover_files=True, handover_equipment=True)
        assert approve(city, rep).state == "approved"

    def test_a_coordinator_may_report_only_their_resignation(self, world, coord_a):
        with pytest.raises(ValidationError, match="只能呈报辞职"):
            report(world, coord_a, persona="coordinator_a", kind="dismiss")
        assert report(world, coord_a, persona="coordinator_a").kind == "resign"

    def test_other_needs_a_reason(self, world, coord_a):
        with pytest.raises(ValidationError, match="离职呈报表说明第1条"):
            report(world, coord_a, kind="other", reason="")

    def test_one_report_at_a_time(self, world, coord_a):
        report(world, coord_a)
        with pytest.raises(ValidationError, match="已有审批中的离职呈报"):
            report(world, coord_a)

    @pytest.mark.parametrize("persona", ["coordinator_a", "reviewer_b", "viewer"])
    def test_others_cannot_approve(self, world, coord_a, persona):
        rep = report(world, coord_a)
        with pytest.raises(PermissionDenied):
            approve(world.users[persona], rep, signer_name="某人")

    def test_rejection_keeps_the_coordinator(self, world, coord_a, head_a):
        rep = report(world, coord_a)
        services.departure_decide(user=head_a, report=rep, approve=False, note="请再考虑")
        coord_a.refresh_from_db()
        assert coord_a.state == "active"


def test_leave_and_departure_states_hold_every_state_the_shared_approval_step_uses():
    # services._decide moves either kind of request through these values.
    used = {*ApprovalRequest.PENDING, "approved", "rejected"}
    assert used <= set(LeaveRequest.State.values)
    assert used <= set(DepartureReport.State.values)
