"""Deadlines: set on the cycle, shown with the days left, overdue sheets per town, one
unit's extension."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import deadline_services, deadlines, overdue
from assessments.models import Assessment, Change, Cycle, DeadlineExtension
from assessments.sides import Side
from notices.models import Notice
from tests.foundation.post_cases import self_filled
from tests.staff.world import coordinator_of

pytestmark = pytest.mark.django_db

TODAY = deadlines.today


def set_dates(cycle, **dates):
    Cycle.objects.filter(pk=cycle.pk).update(**dates)
    cycle.refresh_from_db()


def submit(world, sheet):
    from assessments import services

    return services.assessment_submit(sheet=sheet, user=world.users["coordinator_a"])


class TestEffectiveDeadline:
    def test_a_draft_waits_on_the_self_deadline_and_a_submitted_sheet_on_the_review_one(
        self, world
    ):
        set_dates(
            world.cycle,
            self_deadline=TODAY() + timedelta(days=3),
            review_deadline=TODAY() + timedelta(days=10),
        )
        draft = deadlines.sheet_deadline(world.sheet_a)
        assert (draft.side, draft.days_left, draft.days_text) == (Side.SELF, 3, "还剩 3 天")
        submitted = deadlines.sheet_deadline(submit(world, self_filled(world)))
        assert (submitted.side, submitted.days_left) == (Side.REVIEW, 10)

    def test_a_sheet_waits_on_nothing_before_the_cycle_opens_or_once_reviewed(self, world):
        set_dates(world.cycle, self_deadline=TODAY(), state=Cycle.State.DRAFT)
        assert deadlines.sheet_deadline(world.sheet_a) is None
        set_dates(world.cycle, state=Cycle.State.REVIEW)
        Assessment.objects.filter(pk=world.sheet_a.pk).update(state=Assessment.State.REVIEWED)
        assert deadlines.sheet_deadline(world.sheet_a) is None

    def test_the_sql_and_the_python_answers_agree(self, world):
        set_dates(world.cycle, self_deadline=TODAY() - timedelta(days=1))
        admin = world.users["admin"]
        deadline_services.deadline_extend(
            sheet=world.sheet_b,
            side=Side.SELF,
            new_date=TODAY() + timedelta(days=5),
            reason="村委换届",
            user=admin,
        )
        in_sql = {s.pk: s.due for s in deadlines.waiting_on(world.cycle, Side.SELF).order_by("pk")}
        in_python = {
            s.pk: deadlines.sheet_deadline(s).date for s in world.cycle.assessments.order_by("pk")
        }
        assert in_sql == in_python
        assert in_python[world.sheet_b.pk] == TODAY() + timedelta(days=5)


def cycle_body(world, **dates):
    return {
        "title": "2027年社区平台考核",
        "year": "2027",
        "rubric": str(world.cycle.rubric_id),
        "towns": [str(world.town_a.pk)],
        "level": "grassroots",
        "process_weight": "0",
        "annual_weight": "100",
        **dates,
    }


class TestCycleForm:
    def test_the_cycle_form_sets_the_deadlines_and_the_publicity_dates(self, world, client_for):
        response = client_for("admin").post(
            reverse("assessments:cycle_create"),
            cycle_body(
                world,
                self_deadline="2027-03-10",
                review_deadline="2027-03-31",
                publicity_start="2027-04-05",
                publicity_end="2027-04-12",
            ),
        )
        assert response.status_code == 302
        cycle = Cycle.objects.get(title="2027年社区平台考核")
        assert (cycle.self_deadline, cycle.review_deadline) == (
            date(2027, 3, 10),
            date(2027, 3, 31),
        )
        assert (cycle.publicity_start, cycle.publicity_end) == (date(2027, 4, 5), date(2027, 4, 12))
        page = client_for("admin").get(reverse("assessments:cycle_detail", args=[cycle.pk]))
        assert "2027年3月10日" in page.content.decode()

    def test_a_review_deadline_before_the_self_deadline_is_refused_at_its_field(
        self, world, client_for
    ):
        response = client_for("admin").post(
            reverse("assessments:cycle_create"),
            cycle_body(world, self_deadline="2027-03-10", review_deadline="2027-03-01"),
        )
        assert response.status_code == 200
        assert response.context["form"].errors["review_deadline"] == [
            "审核截止日期不能早于自评截止日期（2027年3月10日）。"
        ]
        assert not Cycle.objects.filter(title="2027年社区平台考核").exists()

    def test_a_cycle_s_dates_are_changed_later_and_the_change_is_recorded(self, world, client_for):
        url = reverse("assessments:cycle_deadlines", args=[world.cycle.pk])
        response = client_for("admin").post(
            url, {"self_deadline": "2026-12-20", "review_deadline": "", "publicity_start": ""}
        )
        assert response.status_code == 302
        world.cycle.refresh_from_db()
        assert world.cycle.self_deadline == date(2026, 12, 20)
        change = Change.objects.get(cycle=world.cycle, what="cycle_deadlines")
        assert change.new == "自评截止：未设 → 2026年12月20日"
        assert change.user == world.users["admin"]


class TestOverdueList:
    def test_the_administrator_sees_every_town_with_coordinators_and_days_overdue(
        self, world, client_for
    ):
        coordinator_of(world, "a")  # 陈静, registered at 淹城社区; 东陈村 has only an account
        set_dates(world.cycle, self_deadline=TODAY() - timedelta(days=2))
        page = client_for("admin").get(reverse("assessments:overdue", args=[world.cycle.pk]))
        assert page.status_code == 200
        groups = {
            town: [(r.sheet.unit.name, r.people, r.days_overdue) for r in rows]
            for town, rows in page.context["groups"]
        }
        assert groups == {
            "湖塘镇": [("淹城社区", ["陈静"], 2)],
            "东陈镇": [("东陈村", ["coordinator_b"], 2)],
        }
        assert [(c["town_name"], c["n"]) for c in page.context["counts"]] == [
            ("湖塘镇", 1),
            ("东陈镇", 1),
        ]
        text = page.content.decode()
        assert "提交自评" in text and "2 天" in text

    def test_a_reviewer_sees_only_their_town_and_a_coordinator_is_refused(self, world, client_for):
        set_dates(world.cycle, self_deadline=TODAY() - timedelta(days=1))
        url = reverse("assessments:overdue", args=[world.cycle.pk])
        page = client_for("reviewer_b").get(url)
        assert [town for town, _rows in page.context["groups"]] == ["东陈镇"]
        assert client_for("coordinator_a").get(url).status_code == 403

    def test_a_submitted_sheet_is_late_for_its_review_with_the_town_s_reviewers(self, world):
        set_dates(
            world.cycle,
            self_deadline=TODAY() - timedelta(days=5),
            review_deadline=TODAY() - timedelta(days=1),
        )
        submit(world, self_filled(world))
        found = overdue.rows(world.cycle, overdue.overdue_sheets(world.users["admin"], world.cycle))
        assert [(r.sheet.unit.name, r.waiting_for, r.people, r.days_overdue) for r in found] == [
            ("淹城社区", "完成审核", ["reviewer_a"], 1),
            ("东陈村", "提交自评", ["coordinator_b"], 5),
        ]

    def test_nothing_is_overdue_on_its_last_day(self, world):
        set_dates(world.cycle, self_deadline=TODAY())
        assert not overdue.overdue_sheets(world.users["admin"], world.cycle).exists()

    def test_the_cycle_page_links_to_the_list_with_its_count_for_those_who_may_see_it(
        self, world, client_for
    ):
        set_dates(world.cycle, self_deadline=TODAY() - timedelta(days=1))
        url = reverse("assessments:cycle_detail", args=[world.cycle.pk])
        link = reverse("assessments:overdue", args=[world.cycle.pk])
        admin_page = client_for("admin").get(url).content.decode()
        assert link in admin_page and "逾期名单（2 张）" in admin_page
        assert link in client_for("reviewer_a").get(url).content.decode()
        assert link not in client_for("coordinator_a").get(url).content.decode()

    def test_the_list_costs_the_same_queries_however_many_sheets_are_late(self, world, client_for):
        from org.models import Unit

        set_dates(world.cycle, self_deadline=TODAY() - timedelta(days=1))
        client = client_for("admin")
        url = reverse("assessments:overdue", args=[world.cycle.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        more = [
            Unit.objects.create(name=f"新社区{i}", kind=Unit.Kind.COMMUNITY, parent=world.town_a)
            for i in range(5)
        ]
        Assessment.objects.bulk_create(
            [Assessment(cycle=world.cycle, phase="annual", unit=u) for u in more]
        )
        with CaptureQueriesContext(connection) as many:
            page = client.get(url)
        assert sum(len(rows) for _t, rows in page.context["groups"]) == 7
        assert len(many) == len(few)


def extend(client, sheet, **body):
    return client.post(reverse("assessments:deadline_extend", args=[sheet.pk]), body)


class TestExtension:
    def test_an_extension_asks_first_then_moves_only_that_unit_s_deadline_and_is_recorded(
        self, world, client_for
    ):
        old = TODAY() - timedelta(days=2)
        new = TODAY() + timedelta(days=7)
        set_dates(world.cycle, self_deadline=old)
        client = client_for("admin")
        body = {"side": "self", "new_date": new.isoformat(), "reason": "社区换届，台账移交中"}
        asked = extend(client, world.sheet_a, **body)
        assert asked.status_code == 200
        text = asked.content.decode()
        assert "将把「淹城社区」这张考核表的自评截止日期由" in text
        assert "将通知：coordinator_a" in text
        assert not DeadlineExtension.objects.exists()

        done = extend(client, world.sheet_a, **body, confirm="1")
        assert done.status_code == 302
        extension = DeadlineExtension.objects.get()
        assert (extension.sheet, extension.side, extension.new_date) == (world.sheet_a, "self", new)
        assert (extension.reason, extension.by) == ("社区换届，台账移交中", world.users["admin"])
        change = Change.objects.get(assessment=world.sheet_a, what="deadline_extended")
        assert change.reason == "社区换届，台账移交中"
        assert deadlines.sheet_deadline(world.sheet_a).date == new
        assert deadlines.sheet_deadline(world.sheet_b).date == old
        late = overdue.overdue_sheets(world.users["admin"], world.cycle)
        assert [s.unit.name for s in late] == ["东陈村"]
        told = Notice.objects.get(event="deadline_extended")
        assert told.recipient == world.users["coordinator_a"]
        assert "社区换届，台账移交中" in told.body
        history = client.get(reverse("assessments:sheet_history", args=[world.sheet_a.pk]))
        assert "截止日期延期" in history.content.decode()

    def test_an_extension_needs_a_reason_and_a_later_date(self, world, client_for):
        set_dates(world.cycle, self_deadline=TODAY() + timedelta(days=1))
        client = client_for("admin")
        response = extend(
            client, world.sheet_a, side="self", new_date=TODAY().isoformat(), reason="", confirm="1"
        )
        errors = response.context["form"].errors
        assert errors["reason"] == ["请填写延期原因。"]
        assert errors["new_date"][0].startswith("延至的日期应晚于现在的自评截止日期")
        assert not DeadlineExtension.objects.exists()

    def test_a_sheet_whose_cycle_has_no_date_has_nothing_to_extend(self, world, client_for):
        page = client_for("admin").get(
            reverse("assessments:deadline_extend", args=[world.sheet_a.pk])
        )
        assert "没有可以延期的截止日期" in page.content.decode()
        sheet_page = client_for("admin").get(
            reverse("assessments:sheet_detail", args=[world.sheet_a.pk])
        )
        assert "延长截止日期" not in sheet_page.content.decode()

    def test_only_the_administrator_extends(self, world, client_for):
        set_dates(world.cycle, self_deadline=TODAY())
        body = {
            "side": "self",
            "new_date": (TODAY() + timedelta(days=3)).isoformat(),
            "reason": "x",
            "confirm": "1",
        }
        assert extend(client_for("reviewer_a"), world.sheet_a, **body).status_code == 403
        assert not DeadlineExtension.objects.exists()


class TestDaysLeftShown:
    def test_the_sheet_shows_its_deadline_and_the_days_left(self, world, client_for):
        set_dates(world.cycle, self_deadline=TODAY() + timedelta(days=3))
        page = client_for("coordinator_a").get(
            reverse("assessments:sheet_detail", args=[world.sheet_a.pk])
        )
        text = page.content.decode()
        assert "自评截止：" in text and "还剩 3 天" in text
        assert "延长截止日期" not in text  # the administrator's

    def test_an_overdue_sheet_says_how_late_it_is_and_offers_the_administrator_an_extension(
        self, world, client_for
    ):
        set_dates(world.cycle, self_deadline=TODAY() - timedelta(days=4))
        page = client_for("admin").get(reverse("assessments:sheet_detail", args=[world.sheet_a.pk]))
        text = page.content.decode()
        assert "已逾期 4 天" in text
        assert reverse("assessments:deadline_extend", args=[world.sheet_a.pk]) in text

    def test_the_home_page_shows_the_days_left(self, world, client_for):
        due = TODAY() + timedelta(days=2)
        set_dates(world.cycle, self_deadline=due)
        coordinator_home = client_for("coordinator_a").get(reverse("home")).content.decode()
        assert f"自评截止 {due.month}月{due.day}日，还剩 2 天" in coordinator_home
        admin_home = client_for("admin").get(reverse("home")).content.decode()
        assert "自评中 · 自评截止" in admin_home and "还剩 2 天" in admin_home

    def test_the_home_page_lists_overdue_sheets_for_reviewers(self, world, client_for):
        set_dates(world.cycle, self_deadline=TODAY() - timedelta(days=1))
        home = client_for("reviewer_a").get(reverse("home")).content.decode()
        assert "逾期的考核表" in home and "1 张逾期" in home
        assert reverse("assessments:overdue", args=[world.cycle.pk]) in home
