"""公布, 公示 and 异议 (issue 13): the publish step's confirmation page, who sees which 公示
list, objections filed by the unit's own coordinator during the 公示 only, their answers,
the end of the 公示 making the results final, and the printed 公示 list."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import compute, objections, publicity, services
from assessments.models import Assessment, Change, Cycle, Objection
from assessments.print_documents import PublicityDoc
from assessments.publicity import publicity_tick
from jobs import schedule
from notices.models import Notice
from printing.render import render_one
from tests.assessments.publicity_world import (
    REASON,
    evidence_file,
    finalised,
    objection_a,
    publicised,
    result_a,
    review_item_6,
)
from tests.printing.conftest import page_texts

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def told(user, event) -> list[Notice]:
    return list(Notice.objects.filter(recipient=user, event=event))


def publish_form(start, end, scope="town") -> dict:
    return {"start": start.isoformat(), "end": end.isoformat(), "scope": scope}


class TestPublishing:
    def test_the_cycle_page_offers_the_publish_page_once_finalised(self, world, client_for):
        cycle = finalised(world)
        page = client_for("admin").get(reverse("assessments:cycle_detail", args=[cycle.pk]))
        assert reverse("assessments:publish", args=[cycle.pk]) in page.content.decode()

    def test_the_confirmation_says_how_many_units_which_towns_and_who_is_told(
        self, world, client_for
    ):
        cycle = finalised(world)
        page = client_for("admin").get(reverse("assessments:publish", args=[cycle.pk]))
        text = text_of(page)
        assert "2 个单位的考核结果" in text
        assert "湖塘镇" in text and "东陈镇" in text
        assert "公示开始日期" in text and "公示截止日期" in text
        assert page.context["form"]["start"].value() == TODAY()

    def test_publishing_opens_the_publicity_and_says_what_was_done(self, world, client_for):
        cycle = finalised(world)
        end = TODAY() + timedelta(days=7)
        response = client_for("admin").post(
            reverse("assessments:publish", args=[cycle.pk]),
            publish_form(TODAY(), end),
            follow=True,
        )
        cycle.refresh_from_db()
        assert cycle.state == Cycle.State.PUBLISHED
        assert (cycle.publicity_start, cycle.publicity_end) == (TODAY(), end)
        assert cycle.publicity_scope == Cycle.PublicityScope.TOWN and cycle.publicity_round == 1
        message = text_of(response)
        assert f"已公布「{cycle.title}」的考核结果：共 2 个单位" in message
        assert f"公示期 {TODAY():%Y-%m-%d} 至 {end:%Y-%m-%d}" in message
        for persona in ("coordinator_a", "reviewer_b"):
            assert told(world.users[persona], "results_published")
            assert told(world.users[persona], "publicity_started")
        assert Change.objects.filter(cycle=cycle, what="publicity_set").exists()

    def test_an_end_before_the_start_is_refused_at_its_field_and_nothing_changes(
        self, world, client_for
    ):
        cycle = finalised(world)
        response = client_for("admin").post(
            reverse("assessments:publish", args=[cycle.pk]),
            publish_form(TODAY(), TODAY() - timedelta(days=1)),
        )
        assert response.status_code == 200
        assert "公示截止日期" in response.context["form"].errors["end"][0]
        cycle.refresh_from_db()
        assert cycle.state == Cycle.State.FINALISED and cycle.publicity_round == 0
        assert not Notice.objects.filter(event="results_published").exists()

    def test_a_missing_end_is_refused_in_chinese(self, world, client_for):
        cycle = finalised(world)
        response = client_for("admin").post(
            reverse("assessments:publish", args=[cycle.pk]),
            {"start": TODAY().isoformat(), "end": "", "scope": "town"},
        )
        assert response.context["form"].errors["end"] == ["请填写公示截止日期。"]

    def test_the_plain_step_cannot_publish_without_the_dates(self, world):
        cycle = finalised(world)
        with pytest.raises(services.WorkflowError, match="公示期"):
            services.cycle_step(cycle=cycle, action="publish", user=world.users["admin"])

    def test_the_publish_button_of_the_step_form_leads_to_the_confirmation(self, world, client_for):
        cycle = finalised(world)
        response = client_for("admin").post(
            reverse("assessments:cycle_action", args=[cycle.pk]), {"action": "publish"}
        )
        assert response["Location"] == reverse("assessments:publish", args=[cycle.pk])
        cycle.refresh_from_db()
        assert cycle.state == Cycle.State.FINALISED

    def test_a_publicity_starting_later_is_announced_on_its_first_day(self, world):
        start = TODAY() + timedelta(days=2)
        cycle = publicised(world, start=start)
        coordinator = world.users["coordinator_a"]
        assert told(coordinator, "results_published")
        assert not told(coordinator, "publicity_started")
        publicity_tick(today=start - timedelta(days=1))
        assert not told(coordinator, "publicity_started")
        publicity_tick(today=start)
        publicity_tick(today=start)
        assert len(told(coordinator, "publicity_started")) == 1
        assert cycle.results_final_at is None


def names_in(response) -> set[str]:
    return {r.unit.name for r in response.context["page"]}


class TestPublicityScope:
    def test_in_town_scope_each_town_sees_its_own_list(self, world, client_for):
        cycle = publicised(world, scope=Cycle.PublicityScope.TOWN)
        url = reverse("assessments:publicity", args=[cycle.pk])
        assert names_in(client_for("coordinator_a").get(url)) == {"淹城社区"}
        assert names_in(client_for("reviewer_a").get(url)) == {"淹城社区"}
        assert names_in(client_for("reviewer_b").get(url)) == {"东陈村"}
        assert names_in(client_for("admin").get(url)) == {"淹城社区", "东陈村"}

    def test_in_cycle_scope_everyone_sees_the_whole_list(self, world, client_for):
        cycle = publicised(world, scope=Cycle.PublicityScope.CYCLE)
        url = reverse("assessments:publicity", args=[cycle.pk])
        for persona in ("coordinator_a", "reviewer_b", "viewer"):
            assert names_in(client_for(persona).get(url)) == {"淹城社区", "东陈村"}

    def test_the_list_shows_rank_unit_total_grade_and_subsidy(self, world, client_for):
        cycle = publicised(world)
        row = result_a(world)
        text = text_of(
            client_for("coordinator_a").get(reverse("assessments:publicity", args=[cycle.pk]))
        )
        assert "名次 单位 镇（街道） 总分 等次 奖补" in text
        assert f"{row.rank} 淹城社区 湖塘镇" in text and row.grade in text

    def test_before_its_start_only_the_administrators_see_it(self, world, client_for):
        cycle = publicised(world, start=TODAY() + timedelta(days=3))
        url = reverse("assessments:publicity", args=[cycle.pk])
        assert client_for("coordinator_a").get(url).status_code == 404
        page = client_for("admin").get(url)
        assert "尚未开始" in text_of(page)

    def test_nobody_sees_a_publicity_before_publication(self, world, client_for):
        cycle = finalised(world)
        url = reverse("assessments:publicity", args=[cycle.pk])
        assert client_for("admin").get(url).status_code == 404
        assert client_for("coordinator_a").get(url).status_code == 404


class TestObjections:
    def test_only_the_units_own_coordinator_may_object(self, world):
        cycle = publicised(world)
        for persona in ("coordinator_b", "reviewer_a", "admin", "viewer"):
            with pytest.raises(objections.ObjectionError, match="只有本单位的协理员"):
                objections.objection_file(
                    cycle=cycle, result=result_a(world), user=world.users[persona], reason="x"
                )
        assert not Objection.objects.exists()

    def test_the_coordinator_is_offered_to_object_on_their_own_row_only(self, world, client_for):
        cycle = publicised(world, scope=Cycle.PublicityScope.CYCLE)
        page = client_for("coordinator_a").get(reverse("assessments:publicity", args=[cycle.pk]))
        offered = {r.unit.name for r in page.context["page"] if r.may_object}
        assert offered == {"淹城社区"}
        other = cycle.results.get(unit=world.unit_b)
        url = reverse("assessments:objection_file", args=[cycle.pk, other.pk])
        assert client_for("coordinator_a").get(url).status_code == 403

    def test_objections_are_taken_only_during_the_publicity(self, world):
        cycle = publicised(world, start=TODAY() + timedelta(days=1))
        coordinator = world.users["coordinator_a"]
        with pytest.raises(objections.ObjectionError, match="不在公示期内"):
            objections.objection_file(
                cycle=cycle, result=result_a(world), user=coordinator, reason=REASON
            )
        Cycle.objects.filter(pk=cycle.pk).update(
            publicity_start=TODAY() - timedelta(days=6), publicity_end=TODAY() - timedelta(days=1)
        )
        cycle.refresh_from_db()
        with pytest.raises(objections.ObjectionError, match="不在公示期内"):
            objections.objection_file(
                cycle=cycle, result=result_a(world), user=coordinator, reason=REASON
            )
        assert not Objection.objects.exists()

    def test_filing_records_it_and_tells_the_towns_reviewers_and_the_administrators(
        self, world, client_for
    ):
        cycle = publicised(world)
        response = client_for("coordinator_a").post(
            reverse("assessments:objection_file", args=[cycle.pk, result_a(world).pk]),
            {"reason": REASON, "evidence": evidence_file()},
            follow=True,
        )
        objection = Objection.objects.get()
        assert objection.state == Objection.State.FILED and objection.filed_by.username == (
            "coordinator_a"
        )
        assert objection.evidence_name == "核查记录.png" and objection.evidence_size > 0
        assert "已提交对「淹城社区」考核结果的异议" in text_of(response)
        assert told(world.users["reviewer_a"], "objection_filed")
        assert told(world.users["admin"], "objection_filed")
        assert not told(world.users["reviewer_b"], "objection_filed")
        assert Change.objects.filter(cycle=cycle, what="objection_filed", reason=REASON).exists()

    def test_evidence_that_is_not_an_image_or_pdf_is_refused_at_its_field(self, world, client_for):
        from django.core.files.uploadedfile import SimpleUploadedFile

        cycle = publicised(world)
        response = client_for("coordinator_a").post(
            reverse("assessments:objection_file", args=[cycle.pk, result_a(world).pk]),
            {"reason": REASON, "evidence": SimpleUploadedFile("说明.txt", b"just text")},
        )
        assert response.status_code == 200
        assert "不是 JPG、PNG 或 PDF 文件" in response.context["form"].errors["evidence"][0]
        assert not Objection.objects.exists()

    def test_an_empty_reason_is_refused_at_its_field(self, world, client_for):
        cycle = publicised(world)
        response = client_for("coordinator_a").post(
            reverse("assessments:objection_file", args=[cycle.pk, result_a(world).pk]),
            {"reason": "  "},
        )
        assert "请写明异议理由" in response.context["form"].errors["reason"][0]
        assert not Objection.objects.exists()

    def test_a_row_with_a_waiting_objection_says_so_instead_of_offering_another(
        self, world, client_for
    ):
        cycle = objection_a(world).cycle
        page = client_for("coordinator_a").get(reverse("assessments:publicity", args=[cycle.pk]))
        (row,) = page.context["page"]
        assert row.objection_waiting and not row.may_object
        assert "异议待答复" in text_of(page)

    def test_one_waiting_objection_at_a_time(self, world):
        objection_a(world)
        with pytest.raises(objections.ObjectionError, match="等待答复"):
            objections.objection_file(
                cycle=world.cycle,
                result=result_a(world),
                user=world.users["coordinator_a"],
                reason="再提一次",
            )

    def test_a_rejected_answer_is_shown_to_the_coordinator(self, world, client_for):
        objection = objection_a(world)
        answer = "经核查，第6项台账建立时间晚于规定，维持原评分。"
        client_for("reviewer_a").post(
            reverse("assessments:objection_answer", args=[objection.pk]),
            {"decision": "reject", "answer": answer},
        )
        objection.refresh_from_db()
        assert objection.state == Objection.State.REJECTED
        assert objection.answered_by == world.users["reviewer_a"]
        page = client_for("coordinator_a").get(
            reverse("assessments:objection_detail", args=[objection.pk])
        )
        text = text_of(page)
        assert "答复 ：异议不成立" in text.replace("答复：", "答复 ：") and answer in text
        assert not page.context["can"].answer
        (notice,) = told(world.users["coordinator_a"], "objection_answered")
        assert "异议不成立" in notice.title
        assert world.cycle.state == Cycle.State.PUBLISHED  # the results stand
        assert Change.objects.filter(what="objection_rejected", reason=answer).exists()

    def test_another_towns_reviewer_and_the_coordinator_cannot_answer(self, world, client_for):
        objection = objection_a(world)
        url = reverse("assessments:objection_answer", args=[objection.pk])
        body = {"decision": "reject", "answer": "不成立"}
        assert client_for("reviewer_b").post(url, body).status_code == 404
        assert client_for("coordinator_a").post(url, body).status_code == 403
        objection.refresh_from_db()
        assert objection.state == Objection.State.FILED

    def test_an_answer_needs_a_decision_and_text(self, world, client_for):
        objection = objection_a(world)
        response = client_for("admin").post(
            reverse("assessments:objection_answer", args=[objection.pk]), {"answer": ""}
        )
        form = response.context["form"]
        assert form.errors["decision"] == ["请选择「异议成立」或「异议不成立」。"]
        assert form.errors["answer"] == ["请填写答复：协理员会看到它。"]

    def test_an_answered_objection_cannot_be_answered_again(self, world):
        objection = objection_a(world)
        admin = world.users["admin"]
        objections.objection_answer(objection=objection, user=admin, decision="reject", answer="否")
        with pytest.raises(objections.ObjectionError, match="已经答复"):
            objections.objection_answer(
                objection=objection, user=admin, decision="uphold", answer="是"
            )

    def test_an_upheld_objection_reopens_the_sheet_and_the_results_are_recomputed(self, world):
        objection = objection_a(world)
        before = result_a(world)
        answer = "经复核，第6项应得满分。"
        objections.objection_answer(
            objection=objection, user=world.users["reviewer_a"], decision="uphold", answer=answer
        )
        cycle = Cycle.objects.get(pk=world.cycle.pk)
        assert cycle.state == Cycle.State.REVIEW
        sheet = Assessment.objects.get(cycle=cycle, unit=world.unit_a)
        assert sheet.state == Assessment.State.REVIEWED
        reason = f"异议成立（淹城社区）：{answer}"
        assert sheet.changes.filter(what="state", reason=reason).exists()
        assert Change.objects.filter(cycle=cycle, what=Change.REOPENED, reason=reason).exists()
        assert Assessment.objects.get(cycle=cycle, unit=world.unit_b).state == (
            Assessment.State.REVIEWED
        )
        # The reviewer corrects the score; the results are computed again.
        world._made["cycle"] = cycle
        review_item_6(world, "3")
        compute.cycle_compute(cycle=cycle, user=world.users["admin"])
        after = result_a(world)
        assert after.total == before.total + 3 and after.version == before.version + 1

    def test_the_evidence_is_a_download_for_those_who_see_the_objection(self, world, client_for):
        objection = objection_a(world)
        url = reverse("assessments:objection_evidence", args=[objection.pk])
        response = client_for("reviewer_a").get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert client_for("coordinator_b").get(url).status_code == 404


class TestPublicityEnd:
    def end(self, cycle):
        """Move the 公示 into the past: it ended yesterday."""
        Cycle.objects.filter(pk=cycle.pk).update(
            publicity_start=TODAY() - timedelta(days=6), publicity_end=TODAY() - timedelta(days=1)
        )

    def test_the_periodic_work_is_registered(self):
        assert "assessments_publicity" in [p.name for p in schedule.registered()]

    def test_the_end_of_the_publicity_makes_the_results_final(self, world, client_for):
        cycle = publicised(world)
        self.end(cycle)
        outcome = publicity_tick()
        assert "结果终结 1 个" in outcome
        cycle.refresh_from_db()
        assert cycle.results_final_at is not None
        assert told(world.users["coordinator_a"], "publicity_ended")
        assert Change.objects.filter(cycle=cycle, what="results_final").exists()
        page = client_for("coordinator_a").get(reverse("assessments:publicity", args=[cycle.pk]))
        assert "公示结束 · 结果已终结" in text_of(page)
        detail = client_for("admin").get(reverse("assessments:cycle_detail", args=[cycle.pk]))
        assert "公示结束 · 结果已终结" in text_of(detail)
        # Final: no more objections.
        with pytest.raises(objections.ObjectionError, match="不在公示期内"):
            objections.objection_file(
                cycle=cycle, result=result_a(world), user=world.users["coordinator_a"], reason="x"
            )
        # Told once, however often the work runs.
        publicity_tick()
        assert len(told(world.users["coordinator_a"], "publicity_ended")) == 1

    def test_a_waiting_objection_holds_the_results_until_it_is_answered(self, world):
        objection = objection_a(world)
        cycle = world.cycle
        self.end(cycle)
        assert "暂不终结 1 个" in publicity_tick()
        cycle.refresh_from_db()
        assert cycle.results_final_at is None
        objections.objection_answer(
            objection=objection, user=world.users["admin"], decision="reject", answer="维持。"
        )
        publicity_tick()
        cycle.refresh_from_db()
        assert cycle.results_final_at is not None


class TestPrintedList:
    def test_the_publicity_list_prints_with_its_period_and_rows(self, world, client_for):
        cycle = publicised(world, scope=Cycle.PublicityScope.CYCLE)
        response = client_for("coordinator_a").get(
            reverse("assessments:publicity_pdf", args=[cycle.pk])
        )
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        (text,) = page_texts(response.content)
        squashed = re.sub(r"\s+", "", text)
        assert f"{cycle.title}结果公示" in squashed
        assert "淹城社区" in squashed and "东陈村" in squashed
        start, end = cycle.publicity_start, cycle.publicity_end
        assert f"公示期：{start.year}年{start.month}月{start.day}日至{end.year}年" in squashed
        assert "测试区人社局（盖章）" in squashed

    def test_the_document_is_registered_and_renders_alone(self):
        doc = PublicityDoc(title="2026年社区平台考核结果公示", year=2026, scope_text="全部")
        (text,) = page_texts(render_one(doc))
        assert "（无）" in text and "第 1 页 共 1 页" in text

    def test_a_town_list_prints_only_that_town(self, world, client_for):
        cycle = publicised(world, scope=Cycle.PublicityScope.TOWN)
        response = client_for("reviewer_b").get(
            reverse("assessments:publicity_pdf", args=[cycle.pk])
        )
        squashed = re.sub(r"\s+", "", page_texts(response.content)[0])
        assert "东陈村" in squashed and "淹城社区" not in squashed

    def test_publicity_doc_fills_rows_from_the_current_results(self, world):
        cycle = publicised(world)
        doc = publicity.publicity_doc(cycle, cycle.results.order_by("rank"), scope_text="全部")
        assert [r.unit for r in doc.rows] == [
            r.unit.name for r in cycle.results.order_by("rank", "id")
        ]


class TestPublicityPageQueries:
    def add_units(self, world, cycle, n):
        from decimal import Decimal

        from assessments.models import Result
        from org.models import Unit

        units = Unit.objects.bulk_create(
            Unit(
                name=f"公示{i:04d}",
                normalized_name=f"公示{i:04d}",
                kind=Unit.Kind.COMMUNITY,
                parent=world.town_a,
            )
            for i in range(n)
        )
        Result.objects.bulk_create(
            Result(
                cycle=cycle,
                version=result_a(world).version,
                unit=u,
                town_name="湖塘镇",
                base_total=Decimal("80"),
                bonus=0,
                penalties=0,
                total=Decimal("80"),
                rank=3 + i,
                grade_before_quota="合格",
                grade="合格",
                subsidy_percent=Decimal("100"),
            )
            for i, u in enumerate(units)
        )

    @pytest.mark.parametrize("persona", ["admin", "coordinator_a", "reviewer_a"])
    def test_the_query_count_does_not_grow_with_the_list(self, world, client_for, persona):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        cycle = publicised(world)
        objection_a(world)
        client = client_for(persona)
        url = reverse("assessments:publicity", args=[cycle.pk])

        def count():
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            return len(ctx.captured_queries)

        small = count()
        self.add_units(world, cycle, 150)
        assert count() == small
