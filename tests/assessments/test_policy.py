"""What each persona may do to a cycle and a sheet, as the fetchers report it, and the
cycle's declared transition table as the service and the page read it."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Cycle
from assessments.policy import get_cycle_for_user, get_sheet_for_user
from assessments.transitions import CYCLE_STEPS, CYCLE_TRANSITIONS, steps_from

pytestmark = pytest.mark.django_db

State = Cycle.State


class TestCycleTransitions:
    def test_each_state_allows_the_steps_of_the_table(self):
        assert [s.action for s in steps_from(State.DRAFT)] == ["open_self"]
        assert [s.action for s in steps_from(State.SELF_OPEN)] == ["open_review", "compute"]
        assert [s.action for s in steps_from(State.REVIEW)] == [
            "back_to_self",
            "compute",
            "finalise",
        ]
        assert [s.action for s in steps_from(State.FINALISED)] == ["publish", "reopen"]
        assert steps_from(State.PUBLISHED) == []

    def test_computing_keeps_the_state(self):
        assert CYCLE_TRANSITIONS[(State.REVIEW, "compute")] == State.REVIEW

    def test_service_refuses_a_step_the_table_does_not_allow(self, world):
        cycle = world.cycle  # open for self-assessment
        assert (cycle.state, "publish") not in CYCLE_TRANSITIONS
        with pytest.raises(services.WorkflowError):
            services.cycle_step(cycle=cycle, action="publish", user=world.users["admin"])

    def test_service_follows_the_table(self, world):
        cycle = world.cycle
        for action in ("open_review", "back_to_self", "open_review"):
            expected = CYCLE_TRANSITIONS[(cycle.state, action)]
            cycle = services.cycle_step(cycle=cycle, action=action, user=world.users["admin"])
            assert cycle.state == expected


class TestCycleActions:
    def test_administrator_gets_the_steps_of_the_current_state(self, world):
        _cycle, can = get_cycle_for_user(world.users["admin"], world.cycle.pk)
        assert [s.action for s in can.steps] == ["open_review", "compute"]
        assert can.administer and can.score_offline and can.print_all_towns

    def test_reviewer_scores_offline_but_takes_no_steps(self, world):
        _cycle, can = get_cycle_for_user(world.users["reviewer_a"], world.cycle.pk)
        assert can.steps == () and not can.administer
        assert can.score_offline and not can.print_all_towns

    @pytest.mark.parametrize("persona", ["coordinator_a", "viewer"])
    def test_coordinator_and_viewer_only_look(self, world, persona):
        _cycle, can = get_cycle_for_user(world.users[persona], world.cycle.pk)
        assert not (can.steps or can.administer or can.score_offline)

    def test_cycle_page_shows_a_button_for_each_allowed_step(self, world, client_for):
        page = client_for("admin").get(reverse("assessments:cycle_detail", args=[world.cycle.pk]))
        html = page.content.decode()
        for step in CYCLE_STEPS:
            # a guarded step is a link to its confirmation page, the others are buttons
            close = reverse("assessments:cycle_close", args=[world.cycle.pk, step.action])
            shown = f'value="{step.action}"' in html or f'href="{close}"' in html
            assert shown == (step in steps_from(State.SELF_OPEN)), step.action


class TestSheetActions:
    def test_coordinator_may_fill_their_own_draft_sheet(self, world):
        _sheet, can = get_sheet_for_user(world.users["coordinator_a"], world.sheet_a.pk)
        assert can.edit("self") and not can.edit("review") and not can.return_ and not can.reopen

    def test_reviewer_may_not_score_a_sheet_not_yet_submitted(self, world):
        _sheet, can = get_sheet_for_user(world.users["reviewer_a"], world.sheet_a.pk)
        assert not (can.edit("self") or can.edit("review") or can.return_)

    def test_reviewer_may_score_and_return_a_submitted_sheet(self, world):
        sheet = world.sheet_a
        sheet.state = sheet.State.SUBMITTED
        sheet.save()
        _sheet, can = get_sheet_for_user(world.users["reviewer_a"], sheet.pk)
        assert can.edit("review") and can.return_ and not can.edit("self")

    def test_viewer_sees_the_sheet_and_may_do_nothing(self, world):
        _sheet, can = get_sheet_for_user(world.users["viewer"], world.sheet_a.pk)
        assert can == type(can)(editable=frozenset(), return_=False, reopen=False)
