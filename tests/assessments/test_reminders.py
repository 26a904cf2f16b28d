"""Deadline reminders (periodic work) and the notices of a returned or reviewed sheet."""

from datetime import timedelta

import pytest
from django.core import mail

from assessments import deadline_services, deadlines, reminders, services
from assessments.models import Cycle
from assessments.sides import Side
from jobs.schedule import registered, run_due
from notices.models import Notice
from tests.foundation.post_cases import self_filled

pytestmark = pytest.mark.django_db

TODAY = deadlines.today


def set_dates(cycle, **dates):
    Cycle.objects.filter(pk=cycle.pk).update(**dates)


def told(user, event=None):
    notices = Notice.objects.filter(recipient=user)
    if event:
        notices = notices.filter(event=event)
    return list(notices.order_by("id").values_list("title", flat=True))


class TestReminders:
    def test_running_the_reminders_twice_sends_one_notice_to_each_person(self, world):
        due = TODAY() + timedelta(days=3)
        set_dates(world.cycle, self_deadline=due)
        reminders.send_deadline_reminders()
        reminders.send_deadline_reminders()
        day = f"{due.year}年{due.month}月{due.day}日"
        assert told(world.users["coordinator_a"]) == [
            f"「淹城社区」的自评截止日期是 {day}（还剩 3 天）"
        ]
        assert told(world.users["coordinator_b"]) == [
            f"「东陈村」的自评截止日期是 {day}（还剩 3 天）"
        ]
        assert Notice.objects.count() == 2  # nobody else: reviewers wait for the submission

    def test_three_days_one_day_and_overdue_each_reach_the_coordinator_once(self, world):
        due = TODAY() + timedelta(days=3)
        set_dates(world.cycle, self_deadline=due)
        for days_before in (3, 3, 2, 1, 1, 0, -1, -2):
            reminders.remind(on=due - timedelta(days=days_before))
        titles = told(world.users["coordinator_a"])
        assert [t.rsplit("（", 1)[-1] for t in titles[:2]] == ["还剩 3 天）", "还剩 1 天）"]
        assert titles[2] == "「淹城社区」已逾期 1 天未提交自评"
        assert len(titles) == 3

    def test_a_missed_run_still_sends_the_first_reminder_and_never_both_at_once(self, world):
        due = TODAY() + timedelta(days=1)
        set_dates(world.cycle, self_deadline=due)
        reminders.remind(on=TODAY())  # the 3-day run was missed: only the 1-day one goes
        assert [n.key for n in Notice.objects.filter(recipient=world.users["coordinator_a"])] == [
            f"deadline_1:{world.sheet_a.pk}:self:{due.isoformat()}"
        ]

    def test_a_submitted_sheet_reminds_the_town_s_reviewers_of_the_review_deadline(self, world):
        set_dates(
            world.cycle,
            self_deadline=TODAY() - timedelta(days=3),
            review_deadline=TODAY() - timedelta(days=1),
        )
        sheet = self_filled(world)
        services.assessment_submit(sheet=sheet, user=world.users["coordinator_a"])
        reminders.remind()
        assert told(world.users["reviewer_a"], "overdue") == ["「淹城社区」已逾期 1 天未完成审核"]
        assert told(world.users["reviewer_b"]) == []
        assert told(world.users["coordinator_a"], "overdue") == []
        assert told(world.users["coordinator_b"], "overdue") == ["「东陈村」已逾期 3 天未提交自评"]

    def test_an_extension_starts_the_reminders_again_for_the_new_date(self, world):
        set_dates(world.cycle, self_deadline=TODAY() - timedelta(days=1))
        reminders.remind()
        new = TODAY() + timedelta(days=1)
        deadline_services.deadline_extend(
            sheet=world.sheet_a,
            side=Side.SELF,
            new_date=new,
            reason="系统故障",
            user=world.users["admin"],
        )
        reminders.remind()
        reminders.remind()
        events = list(
            Notice.objects.filter(recipient=world.users["coordinator_a"])
            .order_by("id")
            .values_list("event", flat=True)
        )
        assert events == ["overdue", "deadline_extended", "deadline_near"]

    def test_a_closed_cycle_sends_nothing(self, world):
        set_dates(
            world.cycle, self_deadline=TODAY() - timedelta(days=1), state=Cycle.State.FINALISED
        )
        assert reminders.remind() == {"near": 0, "overdue": 0}
        assert not Notice.objects.exists()

    def test_the_reminders_are_periodic_work_the_schedule_runs(self, world):
        assert "assessment_deadline_reminders" in [p.name for p in registered()]
        set_dates(world.cycle, self_deadline=TODAY())
        ran = dict(run_due())
        assert ran["assessment_deadline_reminders"] == "截止提醒 2 条，逾期提醒 0 条。"
        assert "assessment_deadline_reminders" not in dict(run_due())  # once per period

    def test_a_reminder_is_e_mailed_to_a_coordinator_with_an_address(
        self, world, django_capture_on_commit_callbacks
    ):
        user = world.users["coordinator_a"]
        user.email = "chenjing@example.org"
        user.save()
        set_dates(world.cycle, self_deadline=TODAY() - timedelta(days=2))
        with django_capture_on_commit_callbacks(execute=True):
            reminders.remind()
        assert [m.to for m in mail.outbox] == [["chenjing@example.org"]]
        assert mail.outbox[0].subject == "【逾期提醒】「淹城社区」已逾期 2 天未提交自评"
        assert f"/cycles/sheets/{world.sheet_a.pk}/" in mail.outbox[0].body


class TestSheetNotices:
    def test_a_returned_sheet_tells_its_coordinator_why(self, world):
        sheet = self_filled(world)
        services.assessment_submit(sheet=sheet, user=world.users["coordinator_a"])
        services.assessment_return(
            sheet=sheet, user=world.users["reviewer_a"], reason="第6项缺少台账照片"
        )
        notice = Notice.objects.get(recipient=world.users["coordinator_a"])
        assert notice.event == "sheet_returned"
        assert "退回原因：第6项缺少台账照片" in notice.body
        assert notice.link == f"/cycles/sheets/{sheet.pk}/"
        assert told(world.users["coordinator_b"]) == []

    def test_each_return_is_told_once_even_when_the_same_sheet_is_returned_again(self, world):
        sheet = self_filled(world)
        for reason in ("缺照片", "还缺签字"):
            services.assessment_submit(sheet=sheet, user=world.users["coordinator_a"])
            services.assessment_return(sheet=sheet, user=world.users["reviewer_a"], reason=reason)
        bodies = [
            n.body.rsplit("：", 1)[-1]
            for n in Notice.objects.filter(event="sheet_returned").order_by("id")
        ]
        assert bodies == ["缺照片", "还缺签字"]

    def test_a_reviewed_sheet_tells_its_coordinator(self, world):
        from assessments.sheet_page import read_form
        from rubrics.selectors import engine_rubric_for
        from tests.assessments.forms import best_answers

        sheet = self_filled(world)
        services.assessment_submit(sheet=sheet, user=world.users["coordinator_a"])
        sheet.refresh_from_db()
        parsed = engine_rubric_for(world.cycle.rubric)
        inputs, notes = read_form(parsed, best_answers(parsed, "r"), "review")
        outcome = services.sheet_save(
            sheet=sheet,
            user=world.users["reviewer_a"],
            side="review",
            inputs=inputs,
            notes=notes,
            expected_version=sheet.version,
        )
        assert outcome.saved, outcome.errors
        services.assessment_mark_reviewed(sheet=sheet, user=world.users["reviewer_a"])
        assert told(world.users["coordinator_a"], "sheet_reviewed") == [
            "「淹城社区」的考核表已审核"
        ]
