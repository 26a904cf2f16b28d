"""Staffing facts the platform rubrics use: 新建 附件1 window staff (五.3 bonus) and
常州 一票否决 2 (a certified full-time coordinator)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from staff import selectors, services
from staff.models import Coordinator


def staffing(world, staff, persona="reviewer_a"):
    return services.window_staffing_save(
        user=world.users[persona],
        unit=world.town_a,
        year=2021,
        windows=2,
        window_staff=staff,
        village_coordinators=44,
    )


@pytest.mark.django_db
class TestWindowStaff:
    def test_nothing_reported_is_none_and_no_extra(self, world):
        assert selectors.window_staff(world.town_a, 2021) is None
        assert selectors.extra_window_staff(world.town_a, 2021) == 0

    @pytest.mark.parametrize(("staff", "extra"), [(2, 0), (3, 0), (4, 1), (5, 2), (8, 5)])
    def test_extra_staff_are_those_beyond_the_three_required(self, world, staff, extra):
        # 新建: 专窗工作人员要按照不少于3人的标准配备; 五.3 adds 0.5 per extra person (the
        # rubric applies the rate and its cap of 2 points).
        staffing(world, staff)
        assert selectors.extra_window_staff(world.town_a, 2021) == extra
        assert selectors.window_staff(world.town_a, 2021).window_staff == staff

    def test_a_year_is_saved_once_and_updated(self, world):
        staffing(world, 3)
        staffing(world, 4)
        assert world.town_a.window_staffing.get(year=2021).window_staff == 4

    def test_another_towns_reviewer_cannot_save(self, world):
        with pytest.raises(PermissionDenied):
            staffing(world, 4, persona="reviewer_b")

    def test_only_town_level_units_report(self, world):
        with pytest.raises(ValidationError):
            services.window_staffing_save(
                user=world.users["admin"],
                unit=world.unit_a,
                year=2021,
                windows=1,
                window_staff=3,
                village_coordinators=1,
            )


@pytest.mark.django_db
class TestCertifiedFullTimeCoordinator:
    def test_an_active_certified_full_time_coordinator_counts(self, coord_a, world):
        assert selectors.certified_fulltime_coordinator(world.unit_a)

    def test_no_certificate_does_not(self, coord_b, world):
        assert not selectors.certified_fulltime_coordinator(world.unit_b)

    @pytest.mark.parametrize(
        ("change", "expected"),
        [
            ({"state": "on_leave"}, True),
            ({"state": "left"}, False),
            ({"is_fulltime": False}, False),
        ],
    )
    def test_state_and_full_time(self, coord_a, world, change, expected):
        Coordinator.objects.filter(pk=coord_a.pk).update(**change)
        assert selectors.certified_fulltime_coordinator(world.unit_a) is expected
