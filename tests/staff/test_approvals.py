"""The approval of leave requests and departure reports as one declared table
(staff/approvals.py), read by services, the fetcher and the one detail page."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from staff import approvals, services
from staff.approvals import TABLE, Action, State, Step
from staff.models import ApprovalStep, DepartureReport, LeaveRequest
from tests.staff.world import departure_of, leave_of


def reachable(kind) -> set:
    """States a request of this kind can get to from filing, following the table."""
    seen, todo = {State.PENDING_VILLAGE}, [State.PENDING_VILLAGE]
    while todo:
        state = todo.pop()
        for row in TABLE:
            if row.source == state and kind in row.kinds and row.target not in seen:
                seen.add(row.target)
                todo.append(row.target)
    return seen


class TestTheTable:
    def test_states_steps_and_actions_are_enum_members(self):
        for row in TABLE:
            assert type(row.source) is State and type(row.target) is State
            assert type(row.action) is Action
            assert row.step is None or type(row.step) is ApprovalStep
        assert LeaveRequest.State is DepartureReport.State is State

    def test_every_state_of_a_kind_is_reached_and_nothing_else(self):
        for kind in (LeaveRequest, DepartureReport):
            assert reachable(kind) == set(kind.STATES)

    def test_the_field_choices_are_the_kinds_states(self):
        for kind in (LeaveRequest, DepartureReport):
            field = kind._meta.get_field("state")
            assert [v for v, _label in field.choices] == [s.value for s in kind.STATES]

    def test_each_state_and_action_has_one_row_once_the_condition_is_known(self):
        today = date(2025, 3, 1)
        for kind, needs_city, start in (
            (LeaveRequest, False, date(2025, 3, 3)),
            (LeaveRequest, True, date(2025, 2, 1)),
            (DepartureReport, True, None),
        ):
            item = kind(state=State.PENDING_VILLAGE)
            if kind is LeaveRequest:
                item.needs_city, item.start_date = needs_city, start
            for state in kind.STATES:
                item.state = state
                for action in Action:
                    rows = [
                        r
                        for r in TABLE
                        if r.source == state
                        and r.action == action
                        and kind in r.kinds
                        and r.when(item, today)
                    ]
                    assert len(rows) <= 1, (kind, state, action)

    def test_the_town_step_ends_the_chain_unless_the_city_must_approve(self):
        short, long = LeaveRequest(needs_city=False), LeaveRequest(needs_city=True)
        short.state = long.state = State.PENDING_TOWN
        assert approvals.transition_for(short, Action.APPROVE).target == State.APPROVED
        assert approvals.transition_for(long, Action.APPROVE).target == State.PENDING_CITY
        assert approvals.chain(short) == (Step.VILLAGE, Step.TOWN)
        assert approvals.chain(DepartureReport()) == (Step.VILLAGE, Step.TOWN, Step.CITY)


@pytest.mark.django_db
class TestEveryRowFires:
    """Each (state, action) of the table taken through the services by someone it allows."""

    def test_the_leave_chain_and_what_follows(self, world, coord_a, head_a, city):
        reviewer = world.users["reviewer_a"]
        leave = leave_of(world, days=3)
        for user, before, after in (
            (head_a, State.PENDING_VILLAGE, State.PENDING_TOWN),
            (reviewer, State.PENDING_TOWN, State.PENDING_CITY),
            (city, State.PENDING_CITY, State.APPROVED),
        ):
            assert leave.state == before
            assert {a.action for a in approvals.available_actions(leave, user)} >= {
                Action.APPROVE,
                Action.REJECT,
            }
            leave = services.leave_decide(user=user, leave=leave, approve=True)
            assert leave.state == after
        owner = world.users["coordinator_a"]
        actions = {a.action for a in approvals.available_actions(leave, owner)}
        assert actions == {Action.RETURN, Action.EXTEND, Action.WITHDRAW}  # not started yet
        leave = services.leave_withdraw(user=owner, leave=leave)
        assert leave.state == State.WITHDRAWN

    def test_a_rejection_at_each_step(self, world, coord_a, head_a, city):
        reviewer = world.users["reviewer_a"]
        for deciders in ((head_a,), (head_a, reviewer), (head_a, reviewer, city)):
            report = departure_of(world)
            report.handover_files = report.handover_equipment = True
            report.save()
            *approvers, rejecter = deciders
            for user in approvers:
                report = services.departure_decide(user=user, report=report, approve=True)
            report = services.departure_decide(
                user=rejecter, report=report, approve=False, note="不同意"
            )
            assert report.state == State.REJECTED and report.decided_at is not None

    def test_return_and_extension(self, world, coord_a, head_a, city):
        owner = world.users["coordinator_a"]
        leave = leave_of(world, state=State.APPROVED)
        LeaveRequest.objects.filter(pk=leave.pk).update(
            start_date=timezone.localdate() - timedelta(days=3),
            end_date=timezone.localdate() - timedelta(days=2),
        )
        leave.refresh_from_db()
        assert approvals.allowed(leave, owner, Action.WITHDRAW) is None  # it has started
        extension = services.leave_extend(
            user=owner, leave=leave, end_date=timezone.localdate() + timedelta(days=1), reason="病"
        )
        for user in (head_a, world.users["reviewer_a"], city):
            extension = services.leave_decide(user=user, leave=extension, approve=True)
        leave.refresh_from_db()
        assert (extension.state, leave.state) == (State.APPROVED, State.EXTENDED)
        returned = services.leave_return(
            user=owner, leave=extension, returned_on=timezone.localdate()
        )
        assert returned.state == State.RETURNED


@pytest.mark.django_db
class TestWrongApprovers:
    @pytest.mark.parametrize(
        "state, persona",
        [
            (State.PENDING_VILLAGE, "reviewer_b"),
            (State.PENDING_VILLAGE, "viewer"),
            (State.PENDING_VILLAGE, "city"),
            (State.PENDING_TOWN, "head_a"),
            (State.PENDING_TOWN, "reviewer_b"),
            (State.PENDING_TOWN, "city"),
            (State.PENDING_CITY, "reviewer_a"),
            (State.PENDING_CITY, "head_a"),
            (State.PENDING_CITY, "coordinator_a"),
        ],
    )
    def test_a_wrong_approver_is_refused(self, world, coord_a, head_a, city, state, persona):
        user = {"head_a": head_a, "city": city}.get(persona) or world.users[persona]
        report = departure_of(world, state=state)
        DepartureReport.objects.filter(pk=report.pk).update(
            handover_files=True, handover_equipment=True
        )
        report.refresh_from_db()
        for item in (leave_of(world, state=state, days=3), report):
            assert approvals.decision_for(item, user) is None
            with pytest.raises(PermissionDenied):
                if isinstance(item, LeaveRequest):
                    services.leave_decide(user=user, leave=item, approve=True)
                else:
                    services.departure_decide(user=user, report=item, approve=True)
            item.refresh_from_db()
            assert item.state == state

    def test_the_town_records_the_village_step_on_the_heads_behalf(self, world, coord_a):
        leave = leave_of(world)
        decision = approvals.decision_for(leave, world.users["reviewer_a"])
        assert decision is not None and decision.behalf
        event = services.leave_decide(
            user=world.users["reviewer_a"], leave=leave, approve=True, signer_name="王书记"
        ).events.last()
        assert (event.step, event.signer_name) == (Step.VILLAGE, "王书记")


@pytest.mark.django_db
class TestOneFetcherOnePage:
    def test_one_fetcher_serves_both_kinds(self, world, coord_a, head_a):
        leave, report = leave_of(world), departure_of(world)
        for model_or_kind, item in (
            ("leave", leave),
            (LeaveRequest, leave),
            ("departure", report),
            (DepartureReport, report),
        ):
            found, actions = approvals.get_request_for_user(head_a, model_or_kind, item.pk)
            assert found == item
            assert [a.action for a in actions] == [Action.APPROVE, Action.REJECT]
            with pytest.raises(Http404):
                approvals.get_request_for_user(world.users["reviewer_b"], model_or_kind, item.pk)
            with pytest.raises(PermissionDenied):
                approvals.get_request_for_user(
                    world.users["viewer"], model_or_kind, item.pk, action="decide"
                )

    def test_one_template_shows_both_kinds(self, world, client, coord_a, head_a):
        client.force_login(head_a)
        for url in (
            reverse("staff:leave_detail", args=[leave_of(world).pk]),
            reverse("staff:departure_detail", args=[departure_of(world).pk]),
        ):
            response = client.get(url)
            names = [t.name for t in response.templates]
            assert names.count("staff/request_detail.html") == 1
            page = response.content.decode()
            assert 'name="decision" value="approve"' in page
            assert 'name="decision" value="reject"' in page

    def test_the_page_offers_only_what_the_table_allows(self, world, client_for, coord_a):
        leave = leave_of(world, state=State.APPROVED)
        page = client_for("coordinator_a").get(reverse("staff:leave_detail", args=[leave.pk]))
        page = page.content.decode()
        for name in ("leave_return", "leave_extend", "leave_withdraw"):
            assert reverse(f"staff:{name}", args=[leave.pk]) in page
        assert 'name="decision"' not in page
        page = client_for("viewer").get(reverse("staff:leave_detail", args=[leave.pk]))
        assert reverse("staff:leave_withdraw", args=[leave.pk]) not in page.content.decode()


@pytest.mark.django_db
class TestRoleScope:
    def test_a_village_head_sees_their_communitys_coordinators_only(
        self, world, client, coord_a, coord_b, head_a
    ):
        client.force_login(head_a)
        page = client.get(reverse("staff:coordinator_list")).content.decode()
        assert "陈静" in page and "许东" not in page
        assert client.get(reverse("staff:coordinator_detail", args=[coord_b.pk])).status_code == 404
        assert client.get(reverse("staff:coordinator_edit", args=[coord_a.pk])).status_code == 403

    def test_the_city_office_sees_every_coordinator(self, world, client, coord_a, coord_b, city):
        client.force_login(city)
        page = client.get(reverse("staff:coordinator_list")).content.decode()
        assert "陈静" in page and "许东" in page
        assert client.get(reverse("staff:coordinator_edit", args=[coord_a.pk])).status_code == 403

    def test_a_village_head_without_units_sees_no_coordinator(self, world, coord_a):
        from accounts.models import User
        from staff import selectors
        from tests.staff.world import make_user

        head = make_user("head_none", User.Role.VILLAGE_HEAD)
        assert not selectors.visible_coordinators(head).exists()
