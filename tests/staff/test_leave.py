"""Leave (请假审批单, 考勤制度第3、4条): the approval chain, overlaps, backdating,
extension (续假) and return (销假)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from staff import services
from staff.models import Coordinator, LeaveRequest

TODAY = date(2025, 3, 1)  # a Saturday; days are calendar days all the same


def file(world, coordinator, start, end, *, persona="coordinator_a", **extra):
    return services.leave_file(
        user=world.users[persona],
        coordinator=coordinator,
        kind=extra.pop("kind", LeaveRequest.Kind.PERSONAL),
        start_date=start,
        end_date=end,
        reason=extra.pop("reason", "家中有事"),
        phone="13912345678",
        today=extra.pop("today", TODAY),
        **extra,
    )


def approve(user, leave, **extra):
    return services.leave_decide(user=user, leave=leave, approve=True, **extra)


@pytest.mark.django_db
class TestApprovalChain:
    def test_two_days_need_the_village_and_the_town(self, world, coord_a, head_a):
        leave = file(world, coord_a, date(2025, 3, 3), date(2025, 3, 4))
        assert (leave.days, leave.needs_city, leave.state) == (2, False, "pending_village")
        leave = approve(head_a, leave)
        assert leave.state == "pending_town"
        leave = approve(world.users["reviewer_a"], leave)
        assert leave.state == "approved"
        assert leave.decided_at is not None
        steps = [(e.action, e.step) for e in leave.events.all()]
        assert steps == [("file", ""), ("approve", "village"), ("approve", "town")]

    def test_three_days_also_need_the_city_employment_office(self, world, coord_a, head_a, city):
        leave = file(world, coord_a, date(2025, 3, 3), date(2025, 3, 5))
        assert (leave.days, leave.needs_city) == (3, True)
        leave = approve(head_a, leave)
        leave = approve(world.users["reviewer_a"], leave)
        assert leave.state == "pending_city"
        leave = approve(city, leave)
        assert leave.state == "approved"
        assert [e.step for e in leave.events.filter(action="approve")] == [
            "village",
            "town",
            "city",
        ]

    def test_a_bureau_administrator_acts_for_the_city(self, world, coord_a, head_a):
        leave = file(world, coord_a, date(2025, 3, 3), date(2025, 3, 7))
        approve(head_a, leave)
        approve(world.users["reviewer_a"], leave)
        assert approve(world.users["admin"], leave).state == "approved"

    def test_approval_makes_the_coordinator_on_leave(self, world, coord_a, head_a):
        leave = file(world, coord_a, date(2025, 3, 3), date(2025, 3, 4))
        approve(head_a, leave)
        approve(world.users["reviewer_a"], leave)
        coord_a.refresh_from_db()
        assert coord_a.state == Coordinator.State.ON_LEAVE

    def test_the_town_may_record_the_village_heads_signature(self, world, coord_a):
        leave = file(world, coord_a, date(2025, 3, 3), date(2025, 3, 4))
        with pytest.raises(ValidationError, match="签字的负责人姓名"):
            approve(world.users["reviewer_a"], leave)
        leave = approve(world.users["reviewer_a"], leave, signer_name="王书记")
        event = leave.events.get(step="village")
        assert event.who == "王书记（reviewer_a 代录）"

    def test_rejecting_needs_a_reason(self, world, coord_a, head_a):
        leave = file(world, coord_a, date(2025, 3, 3), date(2025, 3, 4))
        with pytest.raises(ValidationError, match="驳回时请写明理由"):
            services.leave_decide(user=head_a, leave=leave, approve=False)
        leave = services.leave_decide(user=head_a, leave=leave, approve=False, note="工作繁忙")
        assert leave.state == "rejected"

    @pytest.mark.parametrize("persona", ["coordinator_a", "coordinator_b", "reviewer_b", "viewer"])
    def test_others_cannot_approve_at_the_village_step(self, world, coord_a, persona):
        leave = file(world, coord_a, date(2025, 3, 3), date(2025, 3, 4))
        with pytest.raises(PermissionDenied):
            approve(world.users[persona], leave, signer_name="某人")
        leave.refresh_from_db()
        assert leave.state == "pending_village"

    def test_the_village_head_cannot_approve_for_the_town(self, world, coord_a, head_a):
        leave = approve(head_a, file(world, coord_a, date(2025, 3, 3), date(2025, 3, 4)))
        with pytest.raises(PermissionDenied):
            approve(head_a, leave)

    def test_the_town_cannot_approve_for_the_city(self, world, coord_a, head_a, city):
        leave = file(world, coord_a, date(2025, 3, 3), date(2025, 3, 5))
        approve(head_a, leave)
        approve(world.users["reviewer_a"], leave)
        with pytest.raises(PermissionDenied):
            approve(world.users["reviewer_a"], leave)
        with pytest.raises(PermissionDenied):
            # …and the city office does not approve the village's step.
            approve(city, file(world, coord_a, date(2025, 3, 10), date(2025, 3, 10)))

    def test_a_village_head_does_not_approve_their_own_leave(self, world, coord_a):
        from accounts.models import User

        head = world.users["coordinator_a"]
        head.role = User.Role.VILLAGE_HEAD
        head.save(update_fields=["role"])
        leave = file(world, coord_a, date(2025, 3, 3), date(2025, 3, 4))
        with pytest.raises(PermissionDenied):
            approve(world.users["coordinator_a"], leave)


@pytest.mark.django_db
class TestOverlapAndBackdating:
    def test_overlapping_leave_is_refused_with_the_other_request_named(self, world, coord_a):
        file(world, coord_a, date(2025, 3, 3), date(2025, 3, 5))
        with pytest.raises(ValidationError) as exc:
            file(world, coord_a, date(2025, 3, 5), date(2025, 3, 6))
        assert exc.value.messages == [
            "与已有的请假（事假，2025年3月3日至2025年3月5日，待村审批）时间重叠，不能重复请假。"
            "如需延长假期，请在原请假上办理续假。"
        ]
        assert LeaveRequest.objects.count() == 1

    def test_adjacent_leave_is_accepted(self, world, coord_a):
        file(world, coord_a, date(2025, 3, 3), date(2025, 3, 5))
        assert file(world, coord_a, date(2025, 3, 6), date(2025, 3, 6)).days == 1

    def test_rejected_and_withdrawn_leave_frees_its_days(self, world, coord_a, head_a):
        first = file(world, coord_a, date(2025, 3, 3), date(2025, 3, 5))
        services.leave_decide(user=head_a, leave=first, approve=False, note="不批")
        second = file(world, coord_a, date(2025, 3, 3), date(2025, 3, 5))
        services.leave_withdraw(user=world.users["coordinator_a"], leave=second, today=TODAY)
        assert file(world, coord_a, date(2025, 3, 4), date(2025, 3, 4)).state == "pending_village"

    def test_another_coordinators_leave_does_not_overlap(self, world, coord_a, coord_b):
        file(world, coord_a, date(2025, 3, 3), date(2025, 3, 5))
        assert file(world, coord_b, date(2025, 3, 3), date(2025, 3, 5), persona="coordinator_b")

    def test_backdated_leave_is_refused_pointing_to_after_the_fact(self, world, coord_a):
        with pytest.raises(ValidationError) as exc:
            file(world, coord_a, date(2025, 2, 27), date(2025, 3, 2))
        (message,) = exc.value.messages
        assert message.startswith("开始日期2025年2月27日早于今天（2025年3月1日）")
        assert "考勤制度第3条" in message and "事后补办" in message
        assert not LeaveRequest.objects.exists()

    def test_after_the_fact_leave_needs_the_oral_report(self, world, coord_a):
        with pytest.raises(ValidationError, match="何时、向谁口头报告"):
            file(world, coord_a, date(2025, 2, 27), date(2025, 2, 28), after_the_fact=True)
        leave = file(
            world,
            coord_a,
            date(2025, 2, 27),
            date(2025, 2, 28),
            after_the_fact=True,
            after_the_fact_note="2月27日早上电话报告镇社会事业服务中心李主任",
        )
        assert leave.after_the_fact and leave.state == "pending_village"

    def test_after_the_fact_reaches_back_thirty_days_only(self, world, coord_a):
        with pytest.raises(ValidationError, match="30 天以内"):
            file(
                world,
                coord_a,
                TODAY - timedelta(days=31),
                TODAY - timedelta(days=30),
                after_the_fact=True,
                after_the_fact_note="口头报告",
            )

    def test_other_kind_needs_a_reason(self, world, coord_a):
        with pytest.raises(ValidationError, match="「其他」"):
            file(world, coord_a, date(2025, 3, 3), date(2025, 3, 3), kind="other", reason=" ")

    def test_end_before_start_is_refused(self, world, coord_a):
        with pytest.raises(ValidationError, match="结束日期早于开始日期"):
            file(world, coord_a, date(2025, 3, 5), date(2025, 3, 3))

    def test_a_coordinator_files_only_for_themself(self, world, coord_a):
        with pytest.raises(PermissionDenied):
            file(world, coord_a, date(2025, 3, 3), date(2025, 3, 3), persona="coordinator_b")

    def test_the_town_files_on_the_coordinators_behalf(self, world, coord_a):
        leave = file(world, coord_a, date(2025, 3, 3), date(2025, 3, 3), persona="reviewer_a")
        assert leave.filed_by == world.users["reviewer_a"]


def approved(world, coord, head, start, end, city=None):
    leave = file(world, coord, start, end)
    approve(head, leave)
    leave = approve(world.users["reviewer_a"], leave)
    if leave.state == "pending_city":
        leave = approve(city, leave)
    assert leave.state == "approved"
    return leave


@pytest.mark.django_db
class TestExtensionAndReturn:
    def test_extension_takes_the_chain_to_three_days_and_to_the_city(
        self, world, coord_a, head_a, city
    ):
        leave = approved(world, coord_a, head_a, date(2025, 3, 3), date(2025, 3, 4))
        ext = services.leave_extend(
            user=world.users["coordinator_a"],
            leave=leave,
            end_date=date(2025, 3, 5),
            reason="病未愈",
        )
        assert (ext.start_date, ext.days, ext.needs_city) == (date(2025, 3, 5), 1, True)
        approve(head_a, ext)
        approve(world.users["reviewer_a"], ext)
        ext = approve(city, ext)
        leave.refresh_from_db()
        assert (ext.state, leave.state) == ("approved", "extended")
        assert ext.kind_label == "续假"

    def test_extension_must_end_after_the_leave(self, world, coord_a, head_a):
        leave = approved(world, coord_a, head_a, date(2025, 3, 3), date(2025, 3, 4))
        with pytest.raises(ValidationError, match="续假的结束日期应晚于"):
            services.leave_extend(
                user=world.users["coordinator_a"],
                leave=leave,
                end_date=date(2025, 3, 4),
                reason="x",
            )

    def test_only_approved_leave_is_extended(self, world, coord_a):
        leave = file(world, coord_a, date(2025, 3, 3), date(2025, 3, 4))
        with pytest.raises(ValidationError, match="只有已批准"):
            services.leave_extend(
                user=world.users["coordinator_a"],
                leave=leave,
                end_date=date(2025, 3, 6),
                reason="x",
            )

    def test_return_on_time_makes_the_coordinator_active(self, world, coord_a, head_a):
        leave = approved(world, coord_a, head_a, date(2025, 3, 3), date(2025, 3, 4))
        leave = services.leave_return(
            user=world.users["coordinator_a"],
            leave=leave,
            returned_on=date(2025, 3, 5),
            today=date(2025, 3, 5),
        )
        coord_a.refresh_from_db()
        assert (leave.state, coord_a.state) == ("returned", "active")
        assert leave.events.last().note == "2025年3月5日返岗。"

    def test_late_return_says_the_overrun_is_absence(self, world, coord_a, head_a):
        leave = approved(world, coord_a, head_a, date(2025, 3, 3), date(2025, 3, 4))
        leave = services.leave_return(
            user=world.users["reviewer_a"],
            leave=leave,
            returned_on=date(2025, 3, 8),
            today=date(2025, 3, 9),
        )
        assert leave.events.last().note == (
            "2025年3月8日返岗。假期至2025年3月4日结束，逾期 3 天未办续假手续，按旷工论处（考勤制度第6条）。"
        )

    def test_extended_leave_is_returned_on_the_extension(self, world, coord_a, head_a):
        leave = approved(world, coord_a, head_a, date(2025, 3, 3), date(2025, 3, 3))
        ext = services.leave_extend(
            user=world.users["coordinator_a"], leave=leave, end_date=date(2025, 3, 4), reason="x"
        )
        approve(head_a, ext)
        approve(world.users["reviewer_a"], ext)
        leave.refresh_from_db()
        with pytest.raises(ValidationError, match="请在续假申请上销假"):
            services.leave_return(
                user=world.users["coordinator_a"], leave=leave, returned_on=date(2025, 3, 5)
            )

    def test_return_date_cannot_be_in_the_future(self, world, coord_a, head_a):
        leave = approved(world, coord_a, head_a, date(2025, 3, 3), date(2025, 3, 4))
        with pytest.raises(ValidationError, match="不能晚于今天"):
            services.leave_return(
                user=world.users["coordinator_a"],
                leave=leave,
                returned_on=date(2025, 3, 5),
                today=date(2025, 3, 4),
            )

    def test_withdrawing_started_leave_is_refused(self, world, coord_a, head_a):
        leave = approved(world, coord_a, head_a, date(2025, 3, 3), date(2025, 3, 4))
        with pytest.raises(ValidationError, match="已开始的请假请销假"):
            services.leave_withdraw(
                user=world.users["coordinator_a"], leave=leave, today=date(2025, 3, 3)
            )
        leave = services.leave_withdraw(
            user=world.users["coordinator_a"], leave=leave, today=date(2025, 3, 2)
        )
        coord_a.refresh_from_db()
        assert (leave.state, coord_a.state) == ("withdrawn", "active")
