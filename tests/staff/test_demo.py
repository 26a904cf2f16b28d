import pytest

from staff.demo import load_demo_staff
from staff.models import Coordinator, LeaveRequest


@pytest.mark.django_db
class TestDemo:
    def test_loads_once_links_the_demo_coordinators_and_leaves_a_request_pending(self):
        from accounts.models import User
        from org.models import Unit
        from targets.demo import load_demo_units

        load_demo_units()
        yancheng = User.objects.create_user("yancheng", role=User.Role.COORDINATOR)
        yancheng.units.set([Unit.objects.get(name="淹城社区")])
        first = load_demo_staff()
        second = load_demo_staff()
        assert first.startswith("协理员：湖塘镇 12 人（新建 12 人），32 个社区空缺")
        assert second.startswith("协理员：湖塘镇 12 人（新建 0 人）")
        assert Coordinator.objects.get(unit__name="淹城社区").user == yancheng
        assert Coordinator.objects.get(unit__name="何留社区").user is None  # no heliu account
        assert LeaveRequest.objects.filter(state="pending_village").count() == 1
        assert Coordinator.objects.count() == 12

    def test_without_the_demo_units_it_says_so(self):
        assert load_demo_staff() == "协理员：没有找到演示单位湖塘镇，未载入。"
