"""开放自评: the rubric's checks first; no self column only on a confirmation that names
who is affected; errors refuse with a link to the rubric."""

import pytest
from django.urls import reverse

from assessments import opening, services
from assessments.models import Cycle
from org.models import Unit
from staff.models import Coordinator
from tests.conftest import import_seed_rubric

pytestmark = pytest.mark.django_db


def draft(world, code, units=None):
    return services.cycle_create(
        title="2027年考核",
        year=2027,
        rubric=import_seed_rubric(code),
        units=units or [world.unit_a, world.unit_b],
        user=world.users["admin"],
    )


def more_units(world, n):
    return [
        Unit.objects.create(
            name=f"社区{i:02d}", kind=Unit.Kind.COMMUNITY, parent=world.town_a, sort_order=i
        )
        for i in range(n)
    ]


class TestOpeningCheck:
    def test_a_rubric_without_self_column_names_the_consequence_and_the_number(self, world):
        cycle = draft(world, "xinjian-2021-window", more_units(world, 5))
        check = opening.opening_check(cycle)
        assert check.no_self and check.needs_confirmation and not check.refused
        assert check.consequence == (
            "该评分标准没有自评栏：本周期 5 个单位的协理员将不能填报自评，考核表直接由镇（街道）审核。"
        )

    def test_a_coordinator_rubric_counts_the_coordinators(self, world):
        people = [
            Coordinator.objects.create(name=name, unit=unit)
            for name, unit in zip(("王芳", "李强", "张伟"), more_units(world, 3), strict=True)
        ]
        cycle = services.cycle_create(
            title="新沂协理员年度考核",
            year=2027,
            rubric=import_seed_rubric("xinyi-coordinator"),
            units=[],
            coordinators=people,
            user=world.users["admin"],
        )
        assert opening.opening_check(cycle).consequence == (
            "该评分标准没有自评栏：本周期 3 名协理员将不能填报自评，考核表直接由镇（街道）审核。"
        )

    def test_a_rubric_with_a_self_column_opens_without_asking(self, world):
        check = opening.opening_check(draft(world, "changzhou-community"))
        assert not check.needs_confirmation and not check.refused
        assert (
            check.consequence == "本周期 2 个单位的协理员可以开始填报自评，提交后由镇（街道）审核。"
        )


class TestCycleOpen:
    def test_without_confirmation_a_rubric_without_self_column_is_not_opened(self, world):
        cycle = draft(world, "xinjian-2021-window")
        with pytest.raises(services.WorkflowError, match="请勾选确认后再开放自评"):
            opening.cycle_open(cycle=cycle, user=world.users["admin"])
        cycle.refresh_from_db()
        cycle.rubric.refresh_from_db()
        assert cycle.state == Cycle.State.DRAFT and not cycle.rubric.frozen

    def test_confirmed_it_opens_and_freezes_the_rubric(self, world):
        cycle = draft(world, "xinjian-2021-window")
        opened, _check = opening.cycle_open(cycle=cycle, user=world.users["admin"], confirmed=True)
        opened.rubric.refresh_from_db()
        assert opened.state == Cycle.State.SELF_OPEN and opened.rubric.frozen

    def test_a_rubric_with_errors_is_refused_even_when_confirmed(self, world):
        cycle = draft(world, "changzhou-community")
        cycle.rubric.grade_bands.all().delete()
        with pytest.raises(services.WorkflowError, match="无法评分，请先在评分标准中改正"):
            opening.cycle_open(cycle=cycle, user=world.users["admin"], confirmed=True)
        cycle.refresh_from_db()
        assert cycle.state == Cycle.State.DRAFT


class TestOpeningPage:
    def test_the_plain_step_button_leads_to_the_page_and_changes_nothing(self, world, client_for):
        cycle = draft(world, "xinjian-2021-window")
        response = client_for("admin").post(
            reverse("assessments:cycle_action", args=[cycle.pk]), {"action": "open_self"}
        )
        assert response["Location"] == reverse("assessments:cycle_open", args=[cycle.pk])
        cycle.refresh_from_db()
        assert cycle.state == Cycle.State.DRAFT

    def test_posting_without_the_box_says_why_beside_it(self, world, client_for):
        cycle = draft(world, "xinjian-2021-window")
        url = reverse("assessments:cycle_open", args=[cycle.pk])
        response = client_for("admin").post(url, {})
        text = response.content.decode()
        assert response.status_code == 200 and 'id="confirm-error"' in text
        assert "本周期 2 个单位的协理员将不能填报自评" in text
        cycle.refresh_from_db()
        assert cycle.state == Cycle.State.DRAFT

    def test_confirmed_the_message_says_what_was_done(self, world, client_for):
        cycle = draft(world, "xinjian-2021-window")
        client = client_for("admin")
        url = reverse("assessments:cycle_open", args=[cycle.pk])
        response = client.post(url, {"confirm": "1"}, follow=True)
        text = response.content.decode()
        assert "已开放自评：考核周期「2027年考核」现为「自评中」" in text
        assert "第 1 版已冻结" in text

    def test_a_rubric_with_errors_is_refused_on_the_page(self, world, client_for):
        cycle = draft(world, "changzhou-community")
        cycle.rubric.grade_bands.all().delete()
        client = client_for("admin")
        url = reverse("assessments:cycle_open", args=[cycle.pk])
        text = client.get(url).content.decode()
        assert 'id="open-refused"' in text and "没有设置等次分数线" in text
        assert "确认开放自评" not in text  # no button leading to a refusal
        assert "去改正评分标准" in text
        client.post(url, {"confirm": "1"})
        cycle.refresh_from_db()
        assert cycle.state == Cycle.State.DRAFT
