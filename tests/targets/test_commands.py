"""import_targets and export_targets: previews, exit statuses, round trips."""

import json

import pytest
from django.core.management import CommandError, call_command

from targets.demo import load_demo_units
from targets.models import ImportBatch, TargetAllocation
from tests.targets.helpers import FIXTURES, allocations, database_snapshot


@pytest.fixture
def demo_units(db):
    load_demo_units()


def import_targets(*args):
    """(exit status, stdout, stderr) of the command."""
    import io

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_targets", *[str(a) for a in args], stdout=out, stderr=err)
        status = 0
    except CommandError as exc:
        status = exc.returncode
        err.write(str(exc))
    except SystemExit as exc:
        status = exc.code
    return status, out.getvalue(), err.getvalue()


class TestImportCommand:
    def test_import_prints_the_preview_and_exits_zero(self, demo_units):
        status, out, _err = import_targets(FIXTURES / "hutang-2014-fujian1.xlsx", "--year", 2014)
        assert status == 0
        assert "新增 88，修改 0，未变 0" in out and "已导入" in out
        assert TargetAllocation.objects.filter(year=2014).count() == 88

    def test_dry_run_writes_nothing_and_exits_three(self, demo_units):
        before = database_snapshot()
        status, out, _err = import_targets(
            FIXTURES / "hutang-2014-fujian1.xlsx", "--year", 2014, "--dry-run"
        )
        assert status == 3 and "试运行" in out
        assert database_snapshot() == before

    def test_errors_exit_one_and_write_nothing(self, demo_units):
        before = database_snapshot()
        status, _out, err = import_targets(FIXTURES / "xinjian-2021-fujian5.xlsx", "--year", 2021)
        assert status == 1
        assert "错误：工作表「附件5」第 8 行 B 列：单位「矶山（二轻公司）」不在系统中" in err
        assert database_snapshot() == before

    def test_create_units_option(self, demo_units):
        status, out, _err = import_targets(
            FIXTURES / "xinjian-2021-fujian5.xlsx", "--year", 2021, "--create-units"
        )
        assert status == 0 and "新单位：矶山（二轻公司）" in out

    def test_reimport_with_a_change_shows_old_and_new(self, demo_units, tmp_path):
        import_targets(FIXTURES / "hutang-2014-fujian1.xlsx", "--year", 2014)
        TargetAllocation.objects.filter(
            unit__name="淹城社区", indicator__name="社保扩面人数"
        ).update(target=35)
        status, out, _err = import_targets(FIXTURES / "hutang-2014-fujian1.xlsx", "--year", 2014)
        assert status == 0
        assert "新增 0，修改 1，未变 87" in out
        assert "修改 淹城社区 · 社保扩面人数：35 → 40" in out
        assert ImportBatch.objects.first().changes.get().old_value == 35

    def test_missing_file(self, db):
        status, _out, err = import_targets("/nonexistent/t.xlsx", "--year", 2014)
        assert status == 1 and "无法读取文件" in err

    def test_sheet_option_names_the_sheets_when_wrong(self, demo_units):
        status, _out, err = import_targets(
            FIXTURES / "rugao-2018-fujian1.xlsx", "--year", 2018, "--sheet", "Sheet9"
        )
        assert status == 1 and "没有名为「Sheet9」的工作表；现有：「附件1」" in err

    def test_actuals_option(self, demo_units):
        import_targets(FIXTURES / "hutang-2014-fujian1.xlsx", "--year", 2014)
        status, out, _err = import_targets(
            FIXTURES / "hutang-2014-fujian1.xlsx",
            "--year",
            2014,
            "--actuals",
            "--as-of",
            "2014-12-31",
        )
        assert status == 0 and "内容：完成数" in out


def export(*args) -> str:
    import io

    out = io.StringIO()
    call_command("export_targets", *[str(a) for a in args], stdout=out, stderr=io.StringIO())
    return out.getvalue()


class TestExportCommand:
    def test_json_is_an_array_of_numbers_with_null_sub_targets(self, demo_units):
        import_targets(FIXTURES / "rugao-2018-fujian2.xlsx", "--year", 2018)
        items = json.loads(export("--year", 2018, "--format", "json"))
        assert len(items) == 140
        assert set(items[0]) == {"unit", "indicator", "target", "sub_target"}
        first = {(i["unit"], i["indicator"]): i for i in items}
        assert first[("如皋工业园区", "技能提升培训")] == {
            "unit": "如皋工业园区", "indicator": "技能提升培训", "target": 2600, "sub_target": 1400,
        }  # fmt: skip
        assert first[("东陈镇", "新增就业")]["sub_target"] is None
        assert isinstance(first[("东陈镇", "新增就业")]["target"], int)

    def test_year_without_targets_exits_one(self, db):
        with pytest.raises(CommandError, match="没有 1999 年度的目标任务"):
            export("--year", 1999)

    def test_xlsx_needs_an_output_file(self, demo_units):
        import_targets(FIXTURES / "hutang-2014-fujian1.xlsx", "--year", 2014)
        with pytest.raises(CommandError, match="--out"):
            export("--year", 2014, "--format", "xlsx")


ROUND_TRIP = [
    ("hutang-2014-fujian1.xlsx", 2014, []),
    ("rugao-2018-fujian1.xlsx", 2018, []),
    ("rugao-2018-fujian2.xlsx", 2018, []),
    ("xinjian-2021-fujian3.xlsx", 2021, []),
    ("xinjian-2021-fujian5.xlsx", 2021, ["--create-units"]),
]


class TestRoundTrip:
    @pytest.mark.parametrize(
        ("fmt", "orientation"),
        [("xlsx", "rows"), ("xlsx", "columns"), ("csv", "rows"), ("csv", "columns")],
    )
    @pytest.mark.parametrize(("file_name", "year", "extra"), ROUND_TRIP)
    def test_import_export_import_gives_identical_data(
        self, demo_units, tmp_path, file_name, year, extra, fmt, orientation
    ):
        assert import_targets(FIXTURES / file_name, "--year", year, *extra)[0] == 0
        first = allocations(year)
        out = tmp_path / f"export.{fmt}"
        call_command(
            "export_targets", "--year", str(year), "--format", fmt, "--out", str(out),
            "--orientation", orientation, stderr=__import__("io").StringIO(),
        )  # fmt: skip
        TargetAllocation.objects.all().delete()
        status, _out, err = import_targets(out, "--year", year)
        assert status == 0, err
        assert allocations(year) == first
        status, out_text, _err = import_targets(out, "--year", year, "--dry-run")
        assert f"新增 0，修改 0，未变 {len(first)}" in out_text
