"""The sheet page's edges: a save stores only what the person changed, a refused item is
told at its field, 采纳自评, evidence per item until submission, a partial total says so,
and submitting asks first."""

import random
import re
from decimal import Decimal

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, Change, Cycle, Evidence, ItemScore
from assessments.sides import Side, heading
from rubrics.engine.rules import sample_input
from rubrics.input_fields import changed_inputs
from rubrics.selectors import engine_rubric_for
from tests.assessments.forms import answer, best_answers
from tests.assessments.sheet_form import posted_form
from tests.conftest import PNG_BYTES, RUBRICS, import_seed_rubric

pytestmark = pytest.mark.django_db
FETCH = {"X-Requested-With": "fetch"}
DEMO_RUBRICS = sorted(p.stem for p in RUBRICS.glob("*.yaml"))


def edit_url(sheet, side):
    return reverse(f"assessments:sheet_{side}", args=[sheet.pk])


def inputs_of(sheet, side):
    return {
        s.item.key: s.input
        for s in ItemScore.objects.filter(assessment=sheet, side=side).select_related("item")
    }


def kinds_in(code: str) -> set[str]:
    data = yaml.safe_load((RUBRICS / f"{code}.yaml").read_text(encoding="utf-8"))
    found = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("kind"), str):
                found.add(node["kind"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data.get("sections"))
    return found


def demo_sheet(world, code):
    """A sheet of a cycle of the demo rubric ``code`` open for its first side, every item
    filled with the demo's own sample inputs (whole numbers, sub_target/sub_actual) the way
    ``load_demo`` saves them; returns (sheet, side)."""
    rubric = import_seed_rubric(code)
    admin = world.users["admin"]
    cycle = services.cycle_create(
        title=f"演示 {code}", year=2026, rubric=rubric, units=[world.unit_a], user=admin
    )
    services.cycle_step(cycle=cycle, action="open_self", user=admin)
    sheet = cycle.assessments.select_related("cycle__rubric", "unit__parent").first()
    parsed = engine_rubric_for(rubric)
    side = Side.SELF if heading(parsed.columns, Side.SELF) is not None else Side.REVIEW
    rng = random.Random(code)
    inputs = {
        item.key: sample_input(item.kind, item.params or {}, item.max_points, rng, 0.9)
        for item in parsed.items
    }
    outcome = services.sheet_save(
        sheet=sheet,
        user=admin,
        side=side,
        inputs=inputs,
        notes={},
        expected_version=sheet.version,
    )
    assert outcome.saved, outcome.errors
    sheet.refresh_from_db()
    return sheet, side


class TestNoPhantomEdits:
    def test_the_demo_rubrics_hold_every_kind_checked_here(self):
        kinds = set().union(*(kinds_in(code) for code in DEMO_RUBRICS))
        assert {"proportional", "deduct_per_occurrence", "fixed_deductions", "composite"} <= kinds

    @pytest.mark.parametrize("code", DEMO_RUBRICS)
    def test_saving_the_untouched_page_writes_no_input_and_no_history(
        self, world, client_for, code
    ):
        sheet, side = demo_sheet(world, code)
        before = inputs_of(sheet, side)
        assert any(isinstance(v, int) for i in before.values() for v in i.values()), before
        changes = Change.objects.filter(assessment=sheet).count()
        client = client_for("admin")
        page = client.get(edit_url(sheet, side))
        assert page.status_code == 200
        form = posted_form(page.content.decode())
        assert form["version"] == str(sheet.version)

        saved = client.post(edit_url(sheet, side), form, headers=FETCH)

        assert saved.status_code == 200, saved.json()
        assert saved.json()["changed"] == 0
        assert inputs_of(sheet, side) == before  # 120 stays 120, sub_target stays
        assert Change.objects.filter(assessment=sheet).count() == changes
        sheet.refresh_from_db()
        assert sheet.version == int(form["version"])

    def test_the_page_without_script_says_nothing_needed_saving(self, world, client_for):
        sheet, side = demo_sheet(world, "changzhou-community")
        changes = Change.objects.filter(assessment=sheet).count()
        client = client_for("admin")
        form = posted_form(client.get(edit_url(sheet, side)).content.decode())
        response = client.post(edit_url(sheet, side), form, follow=True)
        assert "没有修改，无需保存。" in response.content.decode()
        assert Change.objects.filter(assessment=sheet).count() == changes

    def test_changing_one_item_writes_that_item_only(self, world, client_for):
        sheet, side = demo_sheet(world, "changzhou-community")
        client = client_for("admin")
        form = posted_form(client.get(edit_url(sheet, side)).content.decode())
        form["s-6-score"] = "1.5"
        client.post(edit_url(sheet, side), form)
        latest = Change.objects.filter(assessment=sheet, sheet_version=sheet.version + 1)
        assert {(c.item.key, c.what) for c in latest} == {("6", "self_input"), ("6", "self_score")}

    def test_a_changed_proportional_item_keeps_its_sub_target_and_sub_actual(self, world):
        item = next(
            i
            for code in DEMO_RUBRICS
            for i in engine_rubric_for(import_seed_rubric(code)).items
            if i.kind == "proportional"
        )
        assert (item.params or {}).get("source", "main") == "main"
        stored = {item.key: {"target": 120, "actual": 100, "sub_target": 60, "sub_actual": 50}}
        base = f"r-{item.key}"
        same = {f"{base}-target": "120", f"{base}-actual": "100.0", f"{base}-note": ""}
        assert changed_inputs([item], same, "r", stored) == {}
        more = {**same, f"{base}-actual": "110"}
        assert changed_inputs([item], more, "r", stored) == {
            item.key: {"target": "120", "actual": "110", "sub_target": 60, "sub_actual": 50}
        }
        cleared = {f"{base}-target": "", f"{base}-actual": "", f"{base}-rate": ""}
        assert changed_inputs([item], cleared, "r", stored) == {item.key: {}}

    def test_an_untouched_deduction_item_stays_unanswered_until_checked(self, world, client_for):
        sheet = world.sheet_a
        parsed = engine_rubric_for(sheet.cycle.rubric)
        item = next(i for i in parsed.items if i.kind == "fixed_deductions" and not i.bonus)
        client = client_for("coordinator_a")
        form = posted_form(client.get(edit_url(sheet, "self")).content.decode())
        form["s-6-score"] = "2"
        client.post(edit_url(sheet, "self"), form)
        assert item.key not in inputs_of(sheet, Side.SELF)  # not 「无扣分情形」 by itself

        sheet.refresh_from_db()
        form = posted_form(client.get(edit_url(sheet, "self")).content.decode())
        form[f"s-{item.key}-entered"] = "on"  # 已核查: none of these happened
        client.post(edit_url(sheet, "self"), form)
        stored = ItemScore.objects.get(assessment=sheet, item__key=item.key, side=Side.SELF)
        assert stored.score == item.max_points
        assert "无扣分情形" in stored.explanation


class TestRefusedAtTheField:
    def test_a_bad_score_is_marked_at_its_field_with_focus_and_the_unsaved_count(
        self, world, client_for
    ):
        sheet = world.sheet_a
        client = client_for("coordinator_a")
        form = posted_form(client.get(edit_url(sheet, "self")).content.decode())
        form.update({"s-6-score": "9", "s-7-note": "已整改"})
        response = client.post(edit_url(sheet, "self"), form)
        assert response.status_code == 422
        html = response.content.decode()
        field = re.search(r'<input[^>]*name="s-6-score"[^>]*>', html).group()
        assert 'aria-invalid="true"' in field
        assert 'aria-describedby="err-6"' in field
        assert "autofocus" in field
        message = re.search(r'<p class="field-error" id="err-6">([^<]*)</p>', html)
        assert message and "9" in message.group(1)
        # the message sits in item 6's row, right after its fields
        row = re.search(r'<tr class="item[^"]*" id="item-6">.*?</tr>', html, re.S).group()
        assert 'id="err-6"' in row
        assert "有 2 项未保存" in html  # item 6 and item 7's note
        assert '<a href="#item-6">' in html
        assert not ItemScore.objects.filter(assessment=sheet, item__key="6").exists()

    def test_a_background_save_names_the_refused_item(self, world, client_for):
        sheet = world.sheet_a
        client = client_for("coordinator_a")
        response = client.post(
            edit_url(sheet, "self"),
            {"version": sheet.version, "s-6-score": "9", "s-6-note": ""},
            headers=FETCH,
        )
        assert response.status_code == 422
        data = response.json()
        assert list(data["by_item"]) == ["6"]
        assert "9" in data["by_item"]["6"][0]


def submitted_with_self_scores(world, client_for):
    sheet = world.sheet_a
    parsed = engine_rubric_for(sheet.cycle.rubric)
    client = client_for("coordinator_a")
    client.post(edit_url(sheet, "self"), {"version": sheet.version, **best_answers(parsed, "s")})
    client.post(reverse("assessments:sheet_action", args=[sheet.pk]), {"action": "submit"})
    sheet.refresh_from_db()
    assert sheet.state == Assessment.State.SUBMITTED
    return sheet, parsed


class TestAdoptSelf:
    def test_one_item_is_adopted_and_can_then_be_changed(self, world, client_for):
        sheet, parsed = submitted_with_self_scores(world, client_for)
        client = client_for("reviewer_a")
        page = client.get(edit_url(sheet, "review")).content.decode()
        assert 'name="adopt" value="6"' in page
        form = posted_form(page)
        response = client.post(edit_url(sheet, "review"), {**form, "adopt": "6"}, follow=True)
        assert "已采纳第 6 项" in response.content.decode()
        assert inputs_of(sheet, Side.REVIEW) == {"6": inputs_of(sheet, Side.SELF)["6"]}
        assert Change.objects.filter(assessment=sheet, item__key="6", what="review_input").exists()

        sheet.refresh_from_db()
        form = posted_form(client.get(edit_url(sheet, "review")).content.decode())
        assert (
            'name="adopt" value="6"' not in client.get(edit_url(sheet, "review")).content.decode()
        )
        form["r-6-score"] = "1"
        client.post(edit_url(sheet, "review"), form)
        assert ItemScore.objects.get(
            assessment=sheet, item__key="6", side=Side.REVIEW
        ).score == Decimal("1")

    def test_the_whole_sheet_asks_first_then_fills_only_items_not_yet_reviewed(
        self, world, client_for
    ):
        sheet, parsed = submitted_with_self_scores(world, client_for)
        client = client_for("reviewer_a")
        client.post(
            edit_url(sheet, "review"),
            {"version": sheet.version, "r-6-score": "1", "r-6-note": "台账不全"},
        )
        sheet.refresh_from_db()
        url = reverse("assessments:sheet_adopt_review", args=[sheet.pk])
        required = [i for i in parsed.items]
        self_inputs = inputs_of(sheet, Side.SELF)

        question = client.get(url).content.decode()
        assert f"将把 {len(self_inputs) - 1} 项的自评填入考核评分" in question
        assert "已经评分的 1 项保持不变" in question
        assert inputs_of(sheet, Side.REVIEW) == {"6": {"score": "1"}}  # asking wrote nothing

        response = client.post(url, {"version": sheet.version}, follow=True)
        assert f"已把 {len(self_inputs) - 1} 项的自评填入考核评分" in response.content.decode()
        review = inputs_of(sheet, Side.REVIEW)
        assert review["6"] == {"score": "1"}
        assert {k: v for k, v in review.items() if k != "6"} == {
            k: v for k, v in self_inputs.items() if k != "6"
        }
        assert len(required) >= len(review)
        versions = set(
            Change.objects.filter(assessment=sheet, what="review_input").values_list(
                "sheet_version", flat=True
            )
        )
        assert len(versions) == 2  # the first save, and the adoption as one save

    def test_adopting_on_a_stale_version_is_refused(self, world, client_for):
        sheet, _parsed = submitted_with_self_scores(world, client_for)
        client = client_for("reviewer_a")
        url = reverse("assessments:sheet_adopt_review", args=[sheet.pk])
        response = client.post(url, {"version": sheet.version - 1}, follow=True)
        assert "未采纳" in response.content.decode()
        assert inputs_of(sheet, Side.REVIEW) == {}

    def test_the_coordinator_cannot_adopt(self, world, client_for):
        sheet, _parsed = submitted_with_self_scores(world, client_for)
        url = reverse("assessments:sheet_adopt_review", args=[sheet.pk])
        assert client_for("coordinator_a").post(url, {"version": sheet.version}).status_code == 403


class TestPartialTotal:
    def test_a_review_of_some_items_says_its_total_is_partial(self, world, client_for):
        sheet, parsed = submitted_with_self_scores(world, client_for)
        client = client_for("reviewer_a")
        data = {"version": sheet.version}
        for key in ("6", "7"):
            data.update(answer(parsed.item(key), "r"))
        client.post(edit_url(sheet, "review"), data)
        required = len([i for i in parsed.items if not i.bonus and not i.penalty])
        html = client.get(reverse("assessments:sheet_detail", args=[sheet.pk])).content.decode()
        assert f"已审核 2/{required} 项，合计为部分得分" in html
        assert 'id="review-partial"' in html
        assert 'id="self-partial"' not in html  # every self item is answered: a whole total


class TestEvidence:
    def upload(self, client, sheet, key="6", name="台账.png"):
        return client.post(
            reverse("assessments:evidence_upload", args=[sheet.pk]),
            {
                "side": "self",
                "item": key,
                "file": SimpleUploadedFile(name, PNG_BYTES, content_type="image/png"),
            },
        )

    def test_each_item_has_its_own_upload_and_its_files_can_be_replaced_or_removed(
        self, world, client_for, django_capture_on_commit_callbacks
    ):
        sheet = world.sheet_a
        client = client_for("coordinator_a")
        page = client.get(edit_url(sheet, "self")).content.decode()
        assert 'form="ev-add-6"' in page and 'form="ev-add-7"' in page
        response = self.upload(client, sheet, "7")
        assert response.url.endswith("#item-7")
        first = Evidence.objects.get(assessment=sheet)
        old_name = first.file.name
        storage = first.file.storage

        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("assessments:evidence_replace", args=[sheet.pk, first.pk]),
                {"side": "self", "file": SimpleUploadedFile("新台账.png", PNG_BYTES)},
            )
        second = Evidence.objects.get(assessment=sheet)
        assert second.original_name == "新台账.png" and second.item.key == "7"
        assert not storage.exists(old_name)
        assert Change.objects.filter(
            assessment=sheet, what="evidence_replaced", old="台账.png", new="新台账.png"
        ).exists()

        response = client.post(
            reverse("assessments:evidence_remove", args=[sheet.pk, second.pk]),
            {"side": "self"},
            follow=True,
        )
        assert "已删除第 7 项" in response.content.decode()
        assert not Evidence.objects.filter(assessment=sheet).exists()
        assert Change.objects.filter(assessment=sheet, what="evidence_removed").exists()

    def test_after_submission_files_can_no_longer_be_removed_or_replaced(self, world, client_for):
        sheet = world.sheet_a
        client = client_for("coordinator_a")
        self.upload(client, sheet)
        record = Evidence.objects.get(assessment=sheet)
        sheet, _parsed = submitted_with_self_scores(world, client_for)
        client = client_for("coordinator_a")

        removed = client.post(
            reverse("assessments:evidence_remove", args=[sheet.pk, record.pk]),
            {"side": "self"},
            follow=True,
        )
        replaced = client.post(
            reverse("assessments:evidence_replace", args=[sheet.pk, record.pk]),
            {"side": "self", "file": SimpleUploadedFile("新.png", PNG_BYTES)},
            follow=True,
        )
        for response in (removed, replaced):
            assert "自评已提交，不能再修改" in response.content.decode()
        assert list(Evidence.objects.filter(assessment=sheet)) == [record]
        assert record.file.storage.exists(record.file.name)
        added = self.upload(client, sheet, "7")
        assert Evidence.objects.filter(assessment=sheet).count() == 1
        assert added.status_code == 302

    def test_a_reviewer_cannot_remove_the_coordinators_file(self, world, client_for):
        sheet = world.sheet_a
        self.upload(client_for("coordinator_a"), sheet)
        record = Evidence.objects.get(assessment=sheet)
        Cycle.objects.filter(pk=sheet.cycle_id).update(state=Cycle.State.REVIEW)
        Assessment.objects.filter(pk=sheet.pk).update(state=Assessment.State.SUBMITTED)
        response = client_for("reviewer_a").post(
            reverse("assessments:evidence_remove", args=[sheet.pk, record.pk]),
            {"side": "review"},
            follow=True,
        )
        assert "只有上传人可以删除或替换" in response.content.decode()
        assert Evidence.objects.filter(pk=record.pk).exists()


class TestSubmitAsksFirst:
    def test_submitting_leads_to_a_question_saying_what_happens_and_to_whom(
        self, world, client_for
    ):
        sheet = world.sheet_a
        parsed = engine_rubric_for(sheet.cycle.rubric)
        client = client_for("coordinator_a")
        response = client.post(
            edit_url(sheet, "self"),
            {"version": sheet.version, **best_answers(parsed, "s"), "then": "submit"},
        )
        assert response.url == reverse("assessments:sheet_submit", args=[sheet.pk])
        sheet.refresh_from_db()
        assert sheet.state == Assessment.State.DRAFT  # not yet
        question = client.get(response.url).content.decode()
        assert "提交后不能再修改，将交由湖塘镇审核。" in question
        assert "reviewer_a" in question  # the town's reviewer, by name
        assert 'name="action" value="submit"' in question

    def test_the_question_lists_what_is_missing_instead_of_a_submit_button(self, world, client_for):
        sheet = world.sheet_a
        client = client_for("coordinator_a")
        question = client.get(reverse("assessments:sheet_submit", args=[sheet.pk])).content
        text = question.decode()
        assert "还有 30 项未填写自评" in text
        assert 'value="submit"' not in text

    def test_a_submitted_sheet_sends_the_question_back_to_the_sheet(self, world, client_for):
        sheet, _parsed = submitted_with_self_scores(world, client_for)
        response = client_for("coordinator_a").get(
            reverse("assessments:sheet_submit", args=[sheet.pk])
        )
        assert response.url == reverse("assessments:sheet_detail", args=[sheet.pk])
