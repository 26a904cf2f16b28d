"""考勤制度 (新沂 协理员管理制度 五) at its boundaries.

第5条: 全年累计旷工五天（含五天）以上 → 年度考核为不合格.
第6条: 脱岗、请假未归未续假 → 按旷工论处; 专职协理员脱离本职岗位超过7天 → 解除劳动合同.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from staff import rules, selectors, services
from staff.models import AttendanceEntry, LeaveRequest

TODAY = date(2025, 12, 20)


def absent(coordinator, day, days, status="absent"):
    return AttendanceEntry.objects.create(
        coordinator=coordinator, date=day, status=status, days=Decimal(str(days))
    )


@pytest.mark.django_db
class TestAbsenceVeto:
    def test_four_days_of_absence_is_no_veto(self, coord_a):
        absent(coord_a, date(2025, 3, 3), 1)
        absent(coord_a, date(2025, 5, 12), 3)
        assert selectors.attendance_veto(coord_a, 2025, today=TODAY) is None
        assert selectors.attendance_tally(coord_a, 2025, today=TODAY).total == 4

    def test_five_days_of_absence_is_a_veto_naming_rule_five(self, coord_a):
        absent(coord_a, date(2025, 3, 3), 1)
        absent(coord_a, date(2025, 5, 12), 3)
        absent(coord_a, date(2025, 9, 1), 1)
        assert (
            selectors.attendance_veto(coord_a, 2025, today=TODAY)
            == "全年累计旷工 5 天（含五天以上为不合格，考勤制度第5条）"
        )

    def test_four_and_a_half_days_is_no_veto(self, coord_a):
        absent(coord_a, date(2025, 3, 3), 4)
        absent(coord_a, date(2025, 4, 3), "0.5")
        assert selectors.attendance_veto(coord_a, 2025, today=TODAY) is None

    def test_days_away_from_the_post_count_as_absence(self, coord_a):
        absent(coord_a, date(2025, 3, 3), 3)
        absent(coord_a, date(2025, 6, 3), 2, status="off_post")
        veto = selectors.attendance_veto(coord_a, 2025, today=TODAY)
        assert veto.startswith("全年累计旷工 5 天（含五天以上为不合格，考勤制度第5条）")
        assert "旷工 3 天、脱岗 2 天" in veto
        assert "考勤制度第6条" in veto

    def test_leave_and_present_days_do_not_count(self, coord_a):
        absent(coord_a, date(2025, 3, 3), 10, status="leave")
        absent(coord_a, date(2025, 4, 1), 20, status="present")
        assert selectors.attendance_tally(coord_a, 2025, today=TODAY).total == 0

    def test_absence_of_another_year_does_not_count(self, coord_a):
        absent(coord_a, date(2024, 12, 30), 2)
        absent(coord_a, date(2025, 1, 2), 4)
        assert selectors.attendance_veto(coord_a, 2025, today=TODAY) is None
        assert selectors.attendance_tally(coord_a, 2024, today=TODAY).total == 2

    def test_monthly_summaries_count_like_days(self, world, coord_a):
        for month, days in ((2, "2"), (7, "3")):
            services.attendance_month_save(
                user=world.users["reviewer_a"],
                coordinator=coord_a,
                month=date(2025, month, 1),
                present_days=Decimal("18"),
                absent_days=Decimal(days),
                leave_days=Decimal("0"),
                off_post_days=Decimal("0"),
                today=TODAY,
            )
        assert selectors.attendance_veto(coord_a, 2025, today=TODAY) is not None


@pytest.mark.django_db
class TestAwayFromThePost:
    def test_seven_days_away_is_not_flagged(self, coord_a):
        absent(coord_a, date(2025, 4, 7), 7, status="off_post")
        assert selectors.termination_flag(coord_a, 2025, today=TODAY) is None

    def test_eight_days_away_is_flagged_for_contract_termination(self, coord_a):
        absent(coord_a, date(2025, 4, 7), 8, status="off_post")
        flag = selectors.termination_flag(coord_a, 2025, today=TODAY)
        assert flag.startswith("4月7日至4月14日连续脱离岗位 8 天，超过 7 天")
        assert "依法解除劳动合同（考勤制度第6条）" in flag

    def test_adjacent_records_make_one_spell(self, coord_a):
        absent(coord_a, date(2025, 4, 7), 4, status="off_post")
        absent(coord_a, date(2025, 4, 11), 4)
        assert "连续脱离岗位 8 天" in selectors.termination_flag(coord_a, 2025, today=TODAY)

    def test_a_day_at_work_between_breaks_the_spell(self, coord_a):
        absent(coord_a, date(2025, 4, 7), 4, status="off_post")
        absent(coord_a, date(2025, 4, 12), 4, status="off_post")
        assert selectors.termination_flag(coord_a, 2025, today=TODAY) is None

    def test_the_rule_is_for_full_time_coordinators(self, coord_a):
        coord_a.is_fulltime = False
        coord_a.save()
        absent(coord_a, date(2025, 4, 7), 8, status="off_post")
        assert selectors.termination_flag(coord_a, 2025, today=TODAY) is None

    def test_a_month_summary_over_seven_days_is_flagged_for_checking(self, world, coord_a):
        services.attendance_month_save(
            user=world.users["admin"],
            coordinator=coord_a,
            month=date(2025, 4, 1),
            present_days=Decimal("10"),
            absent_days=Decimal("0"),
            leave_days=Decimal("0"),
            off_post_days=Decimal("8"),
            today=TODAY,
        )
        assert "4月汇总记旷工、脱岗共 8 天" in selectors.termination_flag(
            coord_a, 2025, today=TODAY
        )


def approved_leave(coordinator, start, end, **extra):
    return LeaveRequest.objects.create(
        coordinator=coordinator,
        kind=LeaveRequest.Kind.PERSONAL,
        start_date=start,
        end_date=end,
        days=rules.leave_days(start, end),
        state=extra.pop("state", LeaveRequest.State.APPROVED),
        **extra,
    )


@pytest.mark.django_db
class TestUnreturnedLeave:
    """请假未归，未办续假手续者，按旷工论处. Leave 3月2日–3月4日: the coordinator is due back on
    3月5日; each day after that without 销假 or 续假 is a day of 旷工."""

    def test_days_after_the_leave_without_return_count_as_absence(self, coord_a):
        approved_leave(coord_a, date(2025, 3, 2), date(2025, 3, 4))
        tally = selectors.attendance_tally(coord_a, 2025, today=date(2025, 3, 9))
        assert tally.overrun_days == 4  # 3月5日–3月8日
        assert tally.veto is None
        veto = selectors.attendance_veto(coord_a, 2025, today=date(2025, 3, 10))
        assert veto.startswith("全年累计旷工 5 天")
        assert "请假期满未销假、未续假 5 天" in veto

    def test_coming_back_the_day_after_is_no_absence(self, coord_a):
        approved_leave(
            coord_a,
            date(2025, 3, 2),
            date(2025, 3, 4),
            state=LeaveRequest.State.RETURNED,
            returned_on=date(2025, 3, 5),
        )
        assert selectors.attendance_tally(coord_a, 2025, today=TODAY).total == 0

    def test_coming_back_late_counts_the_days_in_between(self, coord_a):
        approved_leave(
            coord_a,
            date(2025, 3, 2),
            date(2025, 3, 4),
            state=LeaveRequest.State.RETURNED,
            returned_on=date(2025, 3, 7),
        )
        tally = selectors.attendance_tally(coord_a, 2025, today=TODAY)
        assert tally.total == 2  # 3月5日, 3月6日
        assert tally.overruns[0].text() == (
            "事假（3月2日至3月4日）期满后才销假，3月5日至3月6日共 2 天未办续假手续"
        )

    def test_a_pending_extension_covers_its_days(self, world, coord_a):
        leave = approved_leave(coord_a, date(2025, 3, 2), date(2025, 3, 4))
        services.leave_extend(
            user=world.users["coordinator_a"],
            leave=leave,
            end_date=date(2025, 3, 8),
            reason="病未愈",
        )
        assert selectors.attendance_tally(coord_a, 2025, today=date(2025, 3, 9)).total == 0

    def test_a_rejected_extension_leaves_the_overrun(self, world, coord_a):
        leave = approved_leave(coord_a, date(2025, 3, 2), date(2025, 3, 4))
        ext = services.leave_extend(
            user=world.users["coordinator_a"],
            leave=leave,
            end_date=date(2025, 3, 8),
            reason="病未愈",
        )
        services.leave_decide(
            user=world.users["reviewer_a"],
            leave=ext,
            approve=False,
            note="理由不充分",
            signer_name="王书记",
        )
        assert selectors.attendance_tally(coord_a, 2025, today=date(2025, 3, 9)).overrun_days == 4

    def test_a_long_overrun_is_flagged_as_away_from_the_post(self, coord_a):
        approved_leave(coord_a, date(2025, 3, 2), date(2025, 3, 4))
        absent(coord_a, date(2025, 3, 1), 1, status="off_post")
        # 3月1日 脱岗, 3月2日–4日 on leave (not away), 3月5日–13日 not back: 9 days.
        flag = selectors.termination_flag(coord_a, 2025, today=date(2025, 3, 14))
        assert flag.startswith("3月5日至3月13日连续脱离岗位 9 天")


@pytest.mark.django_db
class TestRecordingAttendance:
    def test_the_town_records_a_run_of_days(self, world, coord_a):
        entry = services.attendance_record(
            user=world.users["reviewer_a"],
            coordinator=coord_a,
            date=date(2025, 4, 7),
            status="off_post",
            days=Decimal("8"),
            today=TODAY,
        )
        assert entry.recorded_by == world.users["reviewer_a"]

    def test_overlapping_records_are_refused(self, world, coord_a):
        services.attendance_record(
            user=world.users["admin"],
            coordinator=coord_a,
            date=date(2025, 4, 7),
            status="absent",
            days=Decimal("3"),
            today=TODAY,
        )
        with pytest.raises(ValidationError, match="2025年4月9日已有考勤记录"):
            services.attendance_record(
                user=world.users["admin"],
                coordinator=coord_a,
                date=date(2025, 4, 9),
                status="present",
                days=Decimal("1"),
                today=TODAY,
            )

    def test_future_days_are_refused(self, world, coord_a):
        with pytest.raises(ValidationError, match="不能登记今天"):
            services.attendance_record(
                user=world.users["admin"],
                coordinator=coord_a,
                date=TODAY + timedelta(days=1),
                status="absent",
                days=Decimal("1"),
                today=TODAY,
            )

    def test_days_are_counted_in_halves(self, world, coord_a):
        with pytest.raises(ValidationError, match="0.5 的整数倍"):
            services.attendance_record(
                user=world.users["admin"],
                coordinator=coord_a,
                date=date(2025, 4, 7),
                status="absent",
                days=Decimal("0.3"),
                today=TODAY,
            )

    def test_a_month_is_kept_one_way_only(self, world, coord_a):
        absent(coord_a, date(2025, 4, 7), 1)
        with pytest.raises(ValidationError, match="已有逐日考勤记录"):
            services.attendance_month_save(
                user=world.users["admin"],
                coordinator=coord_a,
                month=date(2025, 4, 1),
                present_days=Decimal("20"),
                absent_days=Decimal("1"),
                leave_days=Decimal("0"),
                off_post_days=Decimal("0"),
                today=TODAY,
            )

    @pytest.mark.parametrize("persona", ["reviewer_b", "coordinator_a", "viewer"])
    def test_only_the_town_and_administrators_record(self, world, coord_a, persona):
        with pytest.raises(PermissionDenied):
            services.attendance_record(
                user=world.users[persona],
                coordinator=coord_a,
                date=date(2025, 4, 7),
                status="absent",
                days=Decimal("1"),
                today=TODAY,
            )
        assert not AttendanceEntry.objects.exists()


class TestRulesProperties:
    @given(st.lists(st.integers(min_value=1, max_value=20), max_size=8))
    def test_veto_exactly_from_five_days(self, halves):
        entries = [
            rules.DayEntry(date(2025, 1, 1) + timedelta(days=40 * i), "absent", Decimal(h) / 2)
            for i, h in enumerate(halves)
        ]
        tally = rules.tally(year=2025, entries=entries, months=[], leaves=[], today=TODAY)
        assert tally.total == sum(Decimal(h) / 2 for h in halves)
        assert (tally.veto is not None) == (tally.total >= 5)

    @given(st.integers(min_value=1, max_value=20))
    def test_flag_exactly_above_seven_consecutive_days(self, days):
        entries = [rules.DayEntry(date(2025, 5, 1), "off_post", Decimal(days))]
        tally = rules.tally(year=2025, entries=entries, months=[], leaves=[], today=TODAY)
        assert (tally.termination_flag is not None) == (days > 7)

    def test_leave_days_are_inclusive_calendar_days(self):
        assert rules.leave_days(date(2025, 3, 1), date(2025, 3, 3)) == 3
        assert rules.leave_days(date(2025, 2, 28), date(2025, 3, 1)) == 2
        assert not rules.needs_city_approval(2)
        assert rules.needs_city_approval(3)


@pytest.mark.django_db
class TestUnreturnedLeaveAcrossYears:
    def test_a_leave_of_december_not_returned_counts_in_january(self, coord_a):
        approved_leave(coord_a, date(2024, 12, 20), date(2024, 12, 28))
        tally = selectors.attendance_tally(coord_a, 2025, today=date(2025, 1, 6))
        # Not back 12月29日–1月5日: three December days count in 2024, five in 2025.
        assert tally.overrun_days == 5
        assert selectors.attendance_tally(coord_a, 2024, today=date(2025, 1, 6)).overrun_days == 3
