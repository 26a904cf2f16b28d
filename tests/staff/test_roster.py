"""The roster (花名册) import: every problem reported with its row and column, nothing
written unless everything is right; preview then confirm; export round-trips."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import Http404
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kit.imports import uploads
from staff import services
from staff.models import Coordinator
from staff.roster import HEADERS, DateProblem, parse_date

ROW_YANCHENG = ["陈静", "女", "1990.09", "中共党员", "本科", "协理员", "13912345678", "淹城社区",
                "2016年3月", "JS-2018-001", "2018-06-20", "2024-01-01", "2026-12-31"]  # fmt: skip
ROW_DONGCHEN = ["许东", "男", "1985-03", "群众", "大专", "协理员", "13800001111", "东 陈 村",
                "", "", "", "", ""]  # fmt: skip


def xlsx(*rows, headers=HEADERS, title="协理员") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(world, data, persona="admin", **kwargs):
    return services.roster_import(
        user=world.users[persona], data=data, filename="花名册.xlsx", **kwargs
    )


@pytest.mark.django_db
class TestImportWrites:
    def test_new_rows_are_created_with_every_column(self, world):
        plan = run(world, xlsx(ROW_YANCHENG, ROW_DONGCHEN))
        assert plan.ok and plan.summary() == "新增 2 人，更新 0 人，无变化 0 人"
        chen = Coordinator.objects.get(name="陈静")
        assert chen.unit == world.unit_a
        assert chen.birth_month == date(1990, 9, 1)
        assert chen.joined_on == date(2016, 3, 1)
        assert chen.certificate_date == date(2018, 6, 20)
        assert (chen.contract_start, chen.contract_end) == (date(2024, 1, 1), date(2026, 12, 31))
        assert Coordinator.objects.get(name="许东").unit == world.unit_b

    def test_the_same_person_is_updated_and_empty_cells_keep_values(self, world):
        run(world, xlsx(ROW_YANCHENG))
        changed = list(ROW_YANCHENG)
        changed[6] = "13700000000"
        changed[9] = ""  # an empty certificate cell leaves the number as it is
        plan = run(world, xlsx(changed), dry_run=True)
        (row,) = plan.rows
        assert row.action == "changed"
        assert row.changes == [("联系方式", "13912345678", "13700000000")]
        run(world, xlsx(changed))
        chen = Coordinator.objects.get(name="陈静")
        assert (chen.phone, chen.certificate_no) == ("13700000000", "JS-2018-001")
        assert Coordinator.objects.count() == 1

    def test_dry_run_writes_nothing(self, world):
        plan = run(world, xlsx(ROW_YANCHENG), dry_run=True)
        assert plan.count("new") == 1
        assert not Coordinator.objects.exists()

    def test_columns_are_found_by_header_in_any_order(self, world):
        data = xlsx(["淹城社区", "陈静", "女"], headers=["工作单位", "姓名", "性别"])
        assert run(world, data).count("new") == 1

    def test_a_coordinator_who_left_is_not_updated(self, world, coord_a):
        coord_a.state = Coordinator.State.LEFT
        coord_a.save()
        plan = run(world, xlsx(ROW_YANCHENG))
        assert plan.count("new") == 1
        assert Coordinator.objects.filter(name="陈静").count() == 2


@pytest.mark.django_db
class TestImportErrors:
    """One bad cell anywhere: every problem listed, nothing written."""

    def test_unknown_unit_names_the_place_and_the_closest_names(self, world):
        bad = list(ROW_DONGCHEN)
        bad[7] = "淹城社"
        plan = run(world, xlsx(ROW_YANCHENG, bad))
        assert plan.errors == [
            "第 3 行 H 列「淹城社」：没有找到这个社区（村），或它不属于您负责的镇（街道）；"
            "最接近的是：淹城社区"
        ]
        assert not Coordinator.objects.exists()

    def test_bad_date_names_row_column_and_example(self, world):
        bad = list(ROW_DONGCHEN)
        bad[2] = "1985.13"
        plan = run(world, xlsx(ROW_YANCHENG, bad))
        assert plan.errors == ["第 3 行 C 列「1985.13」：「出生年月」月份 13 不对（应为 1–12）"]
        assert not Coordinator.objects.exists()

    def test_duplicate_person_in_the_file(self, world):
        plan = run(world, xlsx(ROW_YANCHENG, ROW_DONGCHEN, ROW_YANCHENG))
        assert plan.errors == [
            "第 4 行 A 列「陈静」：与第 2 行重复（同一社区的同一人），请删去其中一行"
        ]
        assert not Coordinator.objects.exists()

    def test_every_problem_is_listed_at_once(self, world):
        bad = list(ROW_DONGCHEN)
        bad[1] = "M"
        bad[11], bad[12] = "2025-01-01", "2024-12-31"
        plan = run(world, xlsx(bad, ["", "", "", "", "", "", "", "淹城社区"]))
        assert plan.errors == [
            "第 2 行 B 列「M」：性别应填写「男」或「女」",
            "第 3 行 A 列：「姓名」不能为空",
        ]
        bad[1] = "男"
        plan = run(world, xlsx(bad))
        assert plan.errors == [
            "第 2 行 M 列「2024-12-31」：合同结束日期早于合同开始日期（2025-01-01）"
        ]
        assert not Coordinator.objects.exists()

    def test_an_existing_record_is_left_unchanged_when_any_row_fails(self, world, coord_a):
        changed = list(ROW_YANCHENG)
        changed[6] = "13700000000"
        bad = list(ROW_DONGCHEN)
        bad[7] = "不存在村"
        plan = run(world, xlsx(changed, bad))
        assert not plan.ok
        coord_a.refresh_from_db()
        assert coord_a.phone == "13912345678"
        assert Coordinator.objects.count() == 1

    def test_a_town_reviewer_imports_only_into_their_town(self, world):
        plan = run(world, xlsx(ROW_YANCHENG, ROW_DONGCHEN), persona="reviewer_a")
        assert plan.errors == [
            "第 3 行 H 列「东 陈 村」：没有找到这个社区（村），或它不属于您负责的镇（街道）"
        ]

    def test_a_file_without_the_header(self, world):
        plan = run(world, xlsx(["陈静"], headers=["名字"]))
        assert plan.errors[0].startswith("没有找到表头行")

    def test_a_text_file_posing_as_xlsx(self, world):
        plan = services.roster_import(user=world.users["admin"], data=b"hello", filename="a.xlsx")
        assert "不是 Excel 工作簿" in plan.errors[0]

    def test_a_sheet_name_is_given_when_the_book_has_several(self, world):
        book = Workbook()
        book.active.title = "说明"
        sheet = book.create_sheet("湖塘镇")
        sheet.append(list(HEADERS))
        sheet.append(["陈静", "女", "1990.1", "", "", "", "", "淹城社区"])
        out = io.BytesIO()
        book.save(out)
        plan = run(world, out.getvalue())
        assert plan.errors[0].startswith(
            "工作表「湖塘镇」第 2 行 C 列「1990.1」：「出生年月」「1990.1」可能是 1990 年 1 月"
        )


class TestDates:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("1985-03", date(1985, 3, 1)),
            ("1985.03", date(1985, 3, 1)),
            ("1985.3", date(1985, 3, 1)),
            ("1985年3月", date(1985, 3, 1)),
            ("198503", date(1985, 3, 1)),
            ("1985/3/15", date(1985, 3, 15)),
            ("1985年3月15日", date(1985, 3, 15)),
            ("19850315", date(1985, 3, 15)),
            ("1985-03-01T00:00:00", date(1985, 3, 1)),
            ("31107", date(1985, 3, 1)),  # an Excel serial number
            ("１９８５．０３", date(1985, 3, 1)),  # full width
            ("", None),
        ],
    )
    def test_month_formats(self, text, expected):
        assert parse_date(text, need_day=False) == expected

    def test_year_dot_one_is_ambiguous(self):
        with pytest.raises(DateProblem, match="1985 年 10 月"):
            parse_date("1985.1", need_day=False)

    def test_contract_dates_need_the_day(self):
        with pytest.raises(DateProblem, match="要写到日"):
            parse_date("2024.06", need_day=True)

    def test_impossible_dates(self):
        with pytest.raises(DateProblem, match="2024 年 2 月没有 30 日"):
            parse_date("2024-02-30", need_day=True)
        with pytest.raises(DateProblem, match="不是日期"):
            parse_date("去年", need_day=False)


def upload(client, data, name="花名册.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("staff:roster_import"), {"file": SimpleUploadedFile(name, data)})


@pytest.mark.django_db
class TestImportPages:
    def test_preview_then_confirm(self, world, client_for):
        client = client_for("reviewer_a")
        page = upload(client, xlsx(ROW_YANCHENG))
        assert page.status_code == 200
        html = page.content.decode()
        assert "新增 1 人" in html and "确认导入" in html
        assert not Coordinator.objects.exists()
        token = page.context["token"]
        # The file waits on the server, for its uploader only.
        assert uploads.load_pending(token, world.users["reviewer_a"])[0]
        with pytest.raises(Http404):
            uploads.load_pending(token, world.users["reviewer_b"])
        done = client.post(
            reverse("staff:roster_import_confirm"),
            {
                "token": token,
                "fingerprint": page.context["plan"].fingerprint(),
                "filename": "x.xlsx",
            },
        )
        assert done.status_code == 302
        assert Coordinator.objects.get().name == "陈静"
        with pytest.raises(Http404):
            uploads.load_pending(token, world.users["reviewer_a"])

    def test_errors_are_shown_and_nothing_is_kept(self, world, client_for):
        bad = list(ROW_YANCHENG)
        bad[7] = "淹城"
        page = upload(client_for("admin"), xlsx(bad, ROW_DONGCHEN))
        html = page.content.decode()
        assert page.status_code == 200
        assert "未导入任何数据" in html and "第 2 行 H 列「淹城」" in html
        assert not Coordinator.objects.exists()

    def test_a_token_of_another_user_is_not_found(self, world, client_for):
        page = upload(client_for("admin"), xlsx(ROW_YANCHENG))
        token = page.context["token"]
        done = client_for("reviewer_a").post(
            reverse("staff:roster_import_confirm"), {"token": token, "fingerprint": "x"}
        )
        assert done.status_code == 302 and done["Location"] == reverse("staff:roster_import")
        assert not Coordinator.objects.exists()

    def test_a_change_after_the_preview_asks_again(self, world, client_for):
        client = client_for("admin")
        page = upload(client, xlsx(ROW_YANCHENG))
        Coordinator.objects.create(name="陈静", unit=world.unit_a)  # someone was quicker
        again = client.post(
            reverse("staff:roster_import_confirm"),
            {"token": page.context["token"], "fingerprint": page.context["plan"].fingerprint()},
        )
        assert again.status_code == 200
        assert "预览之后系统中的协理员信息有变化" in again.content.decode()
        assert Coordinator.objects.count() == 1

    def test_the_confirm_checks_the_previewed_plan_kept_on_the_server(self, world, client_for):
        client = client_for("admin")
        page = upload(client, xlsx(ROW_YANCHENG))
        Coordinator.objects.create(name="陈静", unit=world.unit_a)
        current = run(world, xlsx(ROW_YANCHENG), dry_run=True).fingerprint()
        # A fingerprint sent by the browser is not what the confirm step compares with.
        again = client.post(
            reverse("staff:roster_import_confirm"),
            {"token": page.context["token"], "fingerprint": current},
        )
        assert "预览之后系统中的协理员信息有变化" in again.content.decode()
        assert Coordinator.objects.count() == 1
        # Confirming the new preview it showed imports it (the row is now unchanged).
        done = client.post(reverse("staff:roster_import_confirm"), {"token": page.context["token"]})
        assert done.status_code == 302 and Coordinator.objects.count() == 1


@pytest.mark.django_db
class TestExportAndCommand:
    def test_export_round_trips_through_the_import(self, world, client_for, coord_a, coord_b):
        response = client_for("admin").get(reverse("staff:roster_export"))
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert [c.value for c in sheet[1]][: len(HEADERS)] == list(HEADERS)
        plan = run(world, response.content, dry_run=True)
        assert plan.ok and plan.summary() == "新增 0 人，更新 0 人，无变化 2 人"

    def test_a_reviewer_exports_their_town_only(self, world, client_for, coord_a, coord_b):
        response = client_for("reviewer_b").get(reverse("staff:roster_export"))
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["许东"]

    def test_command_dry_run_then_import(self, world, tmp_path, capsys):
        path = tmp_path / "roster.xlsx"
        path.write_bytes(xlsx(ROW_YANCHENG, ROW_DONGCHEN))
        call_command("import_roster", str(path), "--dry-run")
        assert "检查通过（未写入，--dry-run）：新增 2 人" in capsys.readouterr().out
        assert not Coordinator.objects.exists()
        call_command("import_roster", str(path))
        assert Coordinator.objects.count() == 2

    def test_command_reports_errors_and_writes_nothing(self, world, tmp_path, capsys):
        bad = list(ROW_DONGCHEN)
        bad[7] = "东陈"
        path = tmp_path / "roster.xlsx"
        path.write_bytes(xlsx(ROW_YANCHENG, bad))
        with pytest.raises(CommandError, match="发现 1 处问题"):
            call_command("import_roster", str(path))
        assert "第 3 行 H 列「东陈」" in capsys.readouterr().err
        assert not Coordinator.objects.exists()
