"""Superseded results are kept: recomputing after a reopening adds a result version, the
history shows old → new total, rank and grade with the reason of the reopening, and every
page, export and print reads only the current version (issue 12, hole 4).

The 常州 community cycle of test_results: U05 has items 6, 7 and 8 at 0 (98 − 10 = 88, rank 6,
合格). Giving item 6 its 3 points makes 91: U05 ties U04 at rank 4 and becomes 优秀 (≥ 90);
U09 (90) drops from rank 5 to 6; nobody else moves.
"""

import io
import json
import re

import openpyxl
import pytest
from django.urls import reverse

from assessments import compute, printouts, services
from assessments.models import Assessment, Change, Cycle, Result, ResultVersion
from assessments.sheet_page import read_form
from rubrics.selectors import engine_rubric_for
from tests.assessments.test_results import changzhou_answers, changzhou_units, run_cycle
from tests.conftest import import_seed_rubric

pytestmark = pytest.mark.django_db

REASON = "U05 第6项台账补交后复核有误，需更正"


def text_of(response) -> str:
    """The page as a person reads it: tags dropped, whitespace squeezed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def row_of(response, name: str) -> str:
    """The text of the results table's row naming ``name``."""
    html = response.content.decode()
    (row,) = [r for r in re.findall(r"<tr.*?</tr>", html, re.S) if f">{name}<" in r]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))


def confirm_flagged(cycle, user):
    """Every quota case of the current version kept, with a reason."""
    from assessments.quota_decisions import quota_decide

    waiting = list(cycle.results.filter(needs_confirmation=True, quota_decision=""))
    if waiting:
        quota_decide(
            cycle=cycle, results=waiting, decision="keep", reason="考核小组同意保持", user=user
        )


def give_u05_item_6_its_points(world, cycle):
    sheet = Assessment.objects.select_related("cycle__rubric", "unit__parent").get(
        cycle=cycle, unit__name="U05"
    )
    parsed = engine_rubric_for(cycle.rubric)
    inputs, notes = read_form(parsed, {"r-6-score": "3"}, "review", only=[parsed.item("6")])
    outcome = services.sheet_save(
        sheet=sheet,
        user=world.users["admin"],
        side="review",
        inputs=inputs,
        notes=notes,
        expected_version=sheet.version,
    )
    assert outcome.saved, outcome.errors


@pytest.fixture
def computed(world):
    """The 常州 cycle computed once (version 1), its quota cases confirmed."""
    rubric = import_seed_rubric("changzhou-community")
    results = run_cycle(world, rubric, changzhou_units(world), changzhou_answers)
    cycle = results["U01"].cycle
    confirm_flagged(cycle, world.users["admin"])
    return cycle


@pytest.fixture
def recomputed(world, client_for, computed, django_capture_on_commit_callbacks):
    """Finalised, reopened with a reason, U05's item 6 corrected, computed again — each step
    taken on the pages as the administrator takes it."""
    cycle = computed
    client = client_for("admin")
    action = reverse("assessments:cycle_action", args=[cycle.pk])
    # 定稿 on its confirmation page: the sheets were submitted and scored but not marked
    # reviewed, so each is finalised with the review scores it has.
    as_is = {f"choice_{pk}": "as_is" for pk in cycle.assessments.values_list("pk", flat=True)}
    client.post(reverse("assessments:cycle_close", args=[cycle.pk, "finalise"]), as_is)
    assert Cycle.objects.get(pk=cycle.pk).state == Cycle.State.FINALISED
    client.post(action, {"action": "reopen", "reason": REASON})
    assert Cycle.objects.get(pk=cycle.pk).state == Cycle.State.REVIEW
    give_u05_item_6_its_points(world, cycle)
    with django_capture_on_commit_callbacks(execute=True):  # the computation's job runs
        queued = client.post(action, {"action": "compute"})
    response = client.get(queued.url)  # the job's page
    assert "已计算「测试」的 10 个结果（第 2 版）" in text_of(response)
    return cycle


class TestRecomputeAfterReopen:
    def test_the_first_version_is_kept_beside_the_second(self, recomputed):
        rows = Result.all_versions.filter(cycle=recomputed)
        assert rows.count() == 20
        old = {r.unit.name: r for r in rows.filter(version=1)}
        new = {r.unit.name: r for r in rows.filter(version=2)}
        assert not any(r.current for r in old.values())
        assert all(r.current for r in new.values())
        assert (old["U05"].total, old["U05"].rank, old["U05"].grade) == (88, 6, "合格")
        assert (new["U05"].total, new["U05"].rank, new["U05"].grade) == (91, 4, "优秀")
        assert (old["U09"].rank, new["U09"].rank) == (5, 6)
        versions = list(recomputed.result_versions.values_list("number", "computed_by__username"))
        assert versions == [(1, "admin"), (2, "admin")]

    def test_the_reopening_reason_is_stored(self, recomputed):
        (reopen,) = Change.objects.filter(cycle=recomputed, what=Change.REOPENED)
        assert reopen.reason == REASON
        assert reopen.user.username == "admin"
        assert (reopen.old, reopen.new) == ("已定稿", "审核中")

    def test_history_shows_old_and_new_total_rank_and_grade_with_the_reason(
        self, recomputed, client_for
    ):
        response = client_for("admin").get(
            reverse("assessments:results_history", args=[recomputed.pk])
        )
        assert response.status_code == 200
        page = text_of(response)
        assert "第 2 版 当前" in page and "第 1 版" in page
        assert "admin 于" in page and f"重新打开，原因： {REASON}" in page
        u05 = row_of(response, "U05")
        assert "88 → 91" in u05 and "6 → 4" in u05 and "合格 → 优秀" in u05
        u09 = row_of(response, "U09")
        assert "5 → 6" in u09 and "→ 90" not in u09 and "90" in u09
        # only the units that changed are listed
        assert not re.search(r">U0[1-4678]<|>U10<", response.content.decode())
        assert "{" not in page and "cycle_reopened" not in page

    def test_a_units_history_lists_each_version_with_the_reason(self, recomputed, client_for):
        current = recomputed.results.get(unit__name="U05")
        response = client_for("admin").get(
            reverse("assessments:result_history", args=[recomputed.pk, current.pk])
        )
        assert response.status_code == 200
        page = text_of(response)
        assert "结果历史版本：U05" in page
        assert "88 → 91" in page and "6 → 4" in page and "合格 → 优秀" in page
        assert REASON in page and "首次计算" in page

    def test_results_page_shows_only_the_current_version_and_links_to_the_history(
        self, recomputed, client_for
    ):
        response = client_for("admin").get(reverse("assessments:results", args=[recomputed.pk]))
        page = text_of(response)
        assert "第 2 版，admin 计算于" in page
        history = reverse("assessments:results_history", args=[recomputed.pk])
        assert f'href="{history}"' in response.content.decode()
        assert len(re.findall(r">U\d\d<", response.content.decode())) == 10
        u05 = row_of(response, "U05")
        assert " 91 " in u05 and "优秀" in u05 and "88" not in u05 and "合格" not in u05

    def test_exports_carry_only_the_current_version(
        self, recomputed, client_for, django_capture_on_commit_callbacks
    ):
        from tests.assessments.exporting import exported

        client = client_for("admin")
        capture = django_capture_on_commit_callbacks
        data = json.loads(exported(client, recomputed, "json", capture=capture)[1])
        assert len(data) == 10
        (u05,) = [d for d in data if d["unit"] == "U05"]
        assert (u05["total"], u05["rank"], u05["grade"]) == (91, 4, "优秀")
        xlsx = exported(client, recomputed, "xlsx", capture=capture)[1]
        ws = openpyxl.load_workbook(io.BytesIO(xlsx)).active
        rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[1] and r[0] != "合计"]
        assert len([r for r in rows if str(r[1]).startswith("U")]) == 10
        (line,) = [r for r in rows if r[1] == "U05"]
        assert line[0] == 4 and 91 in line and "优秀" in line

    def test_the_printed_summary_reads_only_the_current_version(self, recomputed):
        doc = printouts.summary_doc(recomputed)
        assert sorted(row.unit for row in doc.rows) == [f"U{i:02d}" for i in range(1, 11)]
        (u05,) = [row for row in doc.rows if row.unit == "U05"]
        assert (u05.rank, u05.total, u05.grade) == (4, 91, "优秀")

    def test_finalising_again_waits_only_for_the_unit_newly_beyond_the_quota(
        self, world, recomputed
    ):
        # v2: six units at 90 or above for three places; U04 and U09 were kept on version 1
        # and their decisions apply again; U05 (now 91, rank 4) is new beyond the quota.
        with pytest.raises(services.WorkflowError) as caught:
            services.cycle_step(cycle=recomputed, action="finalise", user=world.users["admin"])
        assert "还有 1 个单位等待名额决定（1 个超出名额）" in str(caught.value)
        kept = recomputed.results.filter(quota_decision="keep")
        assert sorted(kept.values_list("unit__name", flat=True)) == ["U04", "U09"]
        assert recomputed.results.get(unit__name="U05").awaiting_decision

    def test_a_superseded_result_takes_no_quota_decision(self, recomputed, client_for):
        old = Result.all_versions.get(cycle=recomputed, version=1, unit__name="U04")
        client_for("admin").post(
            reverse("assessments:quota_decisions", args=[recomputed.pk]),
            {"row": str(old.pk), f"decision_{old.pk}": "demote", f"reason_{old.pk}": ""},
        )
        old.refresh_from_db()
        assert old.quota_decision == "keep"  # as decided on version 1, untouched

    def test_the_reviewer_of_another_town_sees_none_of_these_units_history(
        self, recomputed, client_for
    ):
        response = client_for("reviewer_b").get(
            reverse("assessments:results_history", args=[recomputed.pk])
        )
        assert response.status_code == 200
        assert not re.search(r">U\d\d<", response.content.decode())  # no unit of town A
        old = Result.all_versions.get(cycle=recomputed, version=1, unit__name="U05")
        response = client_for("reviewer_b").get(
            reverse("assessments:result_history", args=[recomputed.pk, old.pk])
        )
        assert response.status_code == 404


class TestRecomputeWithoutReopen:
    def test_a_second_computation_before_finalising_is_a_version_without_a_reason(
        self, world, client_for, computed
    ):
        give_u05_item_6_its_points(world, computed)
        compute.cycle_compute(cycle=computed, user=world.users["admin"])
        response = client_for("admin").get(
            reverse("assessments:results_history", args=[computed.pk])
        )
        page = text_of(response)
        assert "定稿前再次计算（考核周期未重新打开）" in page
        assert "88 → 91" in row_of(response, "U05")

    def test_computing_with_nothing_changed_lists_no_unit(self, world, client_for, computed):
        compute.cycle_compute(cycle=computed, user=world.users["admin"])
        response = client_for("admin").get(
            reverse("assessments:results_history", args=[computed.pk])
        )
        assert "与第 1 版相比，各单位的总分、名次和等次都没有变化。" in text_of(response)
        assert Result.all_versions.filter(cycle=computed).count() == 20


class TestReopenNeedsAReason:
    def snapshot(self, cycle):
        return (
            Cycle.objects.get(pk=cycle.pk).state,
            sorted(cycle.assessments.values_list("id", "state", "version")),
            Change.objects.count(),
            sorted(Result.all_versions.values_list("id", "version", "current", "total")),
            ResultVersion.objects.count(),
        )

    @pytest.fixture
    def finalised(self, world, computed):
        services.cycle_step(cycle=computed, action="finalise", user=world.users["admin"])
        return computed

    @pytest.mark.parametrize("reason", ["", "   \n "])
    def test_the_cycle_page_refuses_a_reopening_without_a_reason(
        self, finalised, client_for, reason
    ):
        before = self.snapshot(finalised)
        response = client_for("admin").post(
            reverse("assessments:cycle_action", args=[finalised.pk]),
            {"action": "reopen", "reason": reason},
            follow=True,
        )
        assert "未能重新打开考核周期「测试」：重新打开的原因——请填写原因。" in text_of(response)
        assert self.snapshot(finalised) == before

    def test_a_sheet_is_not_reopened_without_a_reason(self, finalised, client_for):
        before = self.snapshot(finalised)
        sheet = finalised.assessments.get(unit__name="U05")
        response = client_for("admin").post(
            reverse("assessments:sheet_action", args=[sheet.pk]),
            {"action": "reopen", "reason": " "},
            follow=True,
        )
        assert "重新打开已定稿的考核表必须填写原因。" in text_of(response)
        assert self.snapshot(finalised) == before

    def test_the_service_refuses_it_too(self, world, finalised):
        before = self.snapshot(finalised)
        with pytest.raises(services.WorkflowError, match="必须填写原因"):
            services.cycle_step(
                cycle=finalised, action="reopen", user=world.users["admin"], reason=" "
            )
        assert self.snapshot(finalised) == before

    def test_the_reopen_form_requires_the_reason_and_says_what_happens(self, finalised, client_for):
        response = client_for("admin").get(reverse("assessments:cycle_detail", args=[finalised.pk]))
        html = response.content.decode()
        assert re.search(r'<textarea name="reason" id="id_reason_reopen"[^>]*required', html)
        assert "现在的结果作为历史版本保留" in text_of(response)
        assert "确认重新打开" in text_of(response)

    def test_a_sheet_reopened_with_a_reason_reopens_the_cycle_and_records_it(
        self, finalised, client_for
    ):
        sheet = finalised.assessments.get(unit__name="U05")
        response = client_for("admin").post(
            reverse("assessments:sheet_action", args=[sheet.pk]),
            {"action": "reopen", "reason": REASON},
            follow=True,
        )
        assert "已重新打开「U05」的考核表及考核周期「测试」，原因已记录。" in text_of(response)
        assert Change.objects.get(cycle=finalised, what=Change.REOPENED).reason == REASON
        history = client_for("admin").get(
            reverse("assessments:results_history", args=[finalised.pk])
        )
        assert "已重新打开，尚未重新计算" in text_of(history) and REASON in text_of(history)
