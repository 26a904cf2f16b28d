import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from rubrics.convert import rubric_as_dict
from rubrics.models import Item, Rubric
from rubrics.services import RubricImportError, rubric_freeze, rubric_import, rubric_new_version

SEEDS = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "rubrics").glob("*.yaml"))


def seed(code):
    return yaml.safe_load((SEEDS[0].parent / f"{code}.yaml").read_text(encoding="utf-8"))


@pytest.mark.django_db
class TestRubricImport:
    @pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
    def test_export_of_an_imported_seed_imports_to_the_same_rubric(self, path, tmp_path):
        call_command("import_rubric", str(path))
        code = yaml.safe_load(path.read_text(encoding="utf-8"))["code"]
        first = rubric_as_dict(Rubric.objects.get(code=code))
        out = tmp_path / "again.yaml"
        call_command("export_rubric", code, "--format", "yaml", stdout=out.open("w"))
        Rubric.objects.all().delete()
        call_command("import_rubric", str(out))
        assert rubric_as_dict(Rubric.objects.get(code=code)) == first

    def test_json_export_is_valid_json_with_the_items_in_order(self, tmp_path):
        rubric_import(data=seed("changzhou-community"))
        out = tmp_path / "cz.json"
        call_command(
            "export_rubric", "changzhou-community", "--format", "json", stdout=out.open("w")
        )
        data = json.loads(out.read_text(encoding="utf-8"))
        numbers = [i["number"] for s in data["sections"] for i in s["items"]]
        assert numbers == [str(n) for n in range(1, 31)]

    def test_reimporting_an_unfrozen_version_replaces_its_items(self):
        data = seed("changzhou-community")
        rubric_import(data=data)
        data["sections"][0]["items"][0]["title"] = "改过的标题"
        rubric, created = rubric_import(data=data)
        assert not created
        assert Rubric.objects.filter(code="changzhou-community").count() == 1
        assert rubric.items.get(key=data["sections"][0]["items"][0]["key"]).title == "改过的标题"
        assert rubric.items.count() == 30

    def test_frozen_version_is_not_overwritten_and_the_next_version_is_named(self):
        data = seed("changzhou-community")
        rubric, _ = rubric_import(data=data)
        rubric_freeze(rubric=rubric)
        with pytest.raises(RubricImportError) as caught:
            rubric_import(data=data)
        assert "已被考核周期使用并冻结" in caught.value.errors[0]
        assert "version 改为 2" in caught.value.errors[0]

    def test_new_version_copies_everything_and_leaves_the_old_one(self):
        rubric, _ = rubric_import(data=seed("xinyi-coordinator"))
        rubric_freeze(rubric=rubric)
        new = rubric_new_version(rubric=rubric)
        assert (new.version, new.frozen) == (2, False)
        old_dict, new_dict = rubric_as_dict(rubric), rubric_as_dict(new)
        assert old_dict.pop("version") == 1 and new_dict.pop("version") == 2
        assert old_dict == new_dict

    def test_bad_file_is_refused_with_every_problem_and_nothing_written(self):
        data = seed("changzhou-community")
        data["sections"][1]["items"][0]["kind"] = "no_such_kind"
        data["sections"][1]["items"][1]["max_points"] = "三"
        with pytest.raises(RubricImportError) as caught:
            rubric_import(data=data)
        text = "\n".join(caught.value.errors)
        assert "no_such_kind" in text
        assert "三" in text
        assert Rubric.objects.count() == 0 and Item.objects.count() == 0

    def test_import_command_exits_non_zero_on_a_broken_yaml(self, tmp_path):
        bad = tmp_path / "bad.yaml"
        bad.write_text("code: [unclosed\n", encoding="utf-8")
        with pytest.raises(CommandError):
            call_command("import_rubric", str(bad))
        assert Rubric.objects.count() == 0


class TestEvaluateRubricCommand:
    def test_prints_explained_result_as_json(self, tmp_path, capsys):
        rubric_file = SEEDS[0].parent / "changzhou-community.yaml"
        rubric = yaml.safe_load(rubric_file.read_text(encoding="utf-8"))
        items = {}
        for section in rubric["sections"]:
            for item in section["items"]:
                if item["kind"] == "veto":
                    items[item["key"]] = {"passed": True}
        # Only the five veto items are scored: 5 × 3 = 15 points, the rest missing.
        inputs = tmp_path / "inputs.json"
        inputs.write_text(json.dumps({"subject": "测试社区", "items": items}), encoding="utf-8")
        call_command("evaluate_rubric", str(rubric_file), str(inputs))
        out = json.loads(capsys.readouterr().out)
        assert Decimal(out["base_total"]) == Decimal("15")
        assert out["complete"] is False
        assert len(out["items"]) == 30

    def test_bad_input_names_the_item(self, tmp_path):
        rubric_file = SEEDS[0].parent / "changzhou-community.yaml"
        inputs = tmp_path / "inputs.json"
        inputs.write_text(json.dumps({"items": {"6": {"score": "9"}}}), encoding="utf-8")
        with pytest.raises(CommandError) as caught:
            call_command("evaluate_rubric", str(rubric_file), str(inputs))
        assert "第 6 项" in str(caught.value)
