"""Exports write user-typed text that looks like a formula as text (hole 3 of the security
issue): every xlsx and csv export, read back, shows string cells and no formula."""

import csv
import io
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import openpyxl
import pytest
from django.urls import reverse

from jobs.models import Job
from kit.spreadsheets import csv_value, put, stream_cell

PAYLOADS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def read_back(content: bytes, sheet=None):
    book = openpyxl.load_workbook(io.BytesIO(content))
    return book[sheet] if sheet else book.active


def shown(text: str) -> str:
    """``text`` as read back. With lxml (python-docx needs it) openpyxl writes a carriage
    return as ``&#13;`` and it comes back as typed; without it, XML turns it into a line feed."""
    from openpyxl.xml import LXML

    return text if LXML else text.replace("\r", "\n")


def cells_with(ws, texts):
    """The cells of ``ws`` whose value is one of ``texts`` (or starts with one), by text."""
    found = {}
    for row in ws.iter_rows():
        for cell in row:
            for text in texts:
                if isinstance(cell.value, str) and cell.value.startswith(shown(text)):
                    found.setdefault(text, cell)
    return found


def assert_text_cells(ws, texts):
    found = cells_with(ws, texts)
    assert set(found) == set(texts), f"missing in export: {set(texts) - set(found)}"
    for text, cell in found.items():
        assert cell.data_type == "s", f"{text!r} was written as {cell.data_type!r}"
        assert cell.value.startswith(shown(text))


class TestHelper:
    @pytest.mark.parametrize("text", PAYLOADS)
    def test_formula_like_text_is_a_string_cell(self, text):
        book = openpyxl.Workbook()
        put(book.active, 1, 1, text)
        out = io.BytesIO()
        book.save(out)
        cell = read_back(out.getvalue())["A1"]
        assert (cell.data_type, cell.value, cell.quotePrefix) == ("s", shown(text), True)

    @pytest.mark.parametrize("text", PAYLOADS)
    def test_formula_like_text_is_a_string_cell_in_a_write_only_sheet(self, text):
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("x")
        sheet.append([stream_cell(sheet, text), stream_cell(sheet, -2)])
        out = io.BytesIO()
        book.save(out)
        ws = read_back(out.getvalue())
        cell, number = ws["A1"], ws["B1"]
        assert (cell.data_type, cell.value, cell.quotePrefix) == ("s", shown(text), True)
        assert (number.data_type, number.value) == ("n", -2)

    @pytest.mark.parametrize("text", PAYLOADS)
    def test_formula_like_text_gets_a_quote_in_csv(self, text):
        assert csv_value(text) == "'" + text

    @pytest.mark.parametrize("value", [-2, Decimal("-2.5"), -0.5, 3, date(2026, 1, 2), None])
    def test_numbers_dates_and_blanks_pass_through(self, value):
        assert csv_value(value) == value
        book = openpyxl.Workbook()
        cell = put(book.active, 1, 1, value)
        assert cell.data_type in ("n", "d")

    def test_ordinary_text_is_unchanged(self):
        assert csv_value("淹城社区") == "淹城社区"
        assert csv_value("a=b") == "a=b"


def payload_table():
    from targets.exporting import YearTable

    units = [SimpleNamespace(pk=i, name=text) for i, text in enumerate(PAYLOADS, start=1)]
    indicator = SimpleNamespace(pk=1, label="新增就业", measure="人", sub_label="")
    values = {(u.pk, 1): (Decimal(-2) if u.pk == 1 else Decimal(5), None) for u in units}
    return YearTable(2026, units, [indicator], values)


class TestTargetExports:
    def test_xlsx_writes_typed_unit_names_as_text_and_numbers_as_numbers(self):
        from targets.exporting import export_xlsx

        ws = read_back(export_xlsx(payload_table()))
        assert_text_cells(ws, PAYLOADS)
        negative = ws.cell(3, 3)
        assert (negative.value, negative.data_type) == (-2, "n")

    def test_csv_quotes_typed_unit_names_and_keeps_numbers(self):
        from targets.exporting import export_csv

        rows = list(csv.reader(io.StringIO(export_csv(payload_table()).decode("utf-8-sig"))))
        names = [r[1] for r in rows[1 : 1 + len(PAYLOADS)]]
        assert names == ["'" + p for p in PAYLOADS]
        assert rows[1][2] == "-2"


@pytest.mark.django_db
class TestRosterExport:
    def test_typed_fields_come_out_as_text(self, world, client_for):
        from tests.staff.world import coordinator_of

        coord = coordinator_of(world, "a")
        fields = ["name", "political_status", "education", "position", "phone", "certificate_no"]
        for field, text in zip(fields, PAYLOADS, strict=True):
            setattr(coord, field, text)
        coord.save()
        response = client_for("admin").get(reverse("staff:roster_export"))
        assert_text_cells(read_back(response.content), PAYLOADS)


@pytest.mark.django_db
class TestResultsExport:
    def test_typed_names_and_flags_come_out_as_text(
        self, world, client_for, django_capture_on_commit_callbacks
    ):
        from tests.assessments.exporting import exported

        cycle = world.cycle
        world.unit_a.name = PAYLOADS[0]
        world.unit_a.save()
        cycle.results.update(
            town_name=PAYLOADS[1], veto_item=PAYLOADS[2], grade=PAYLOADS[3], flags=[PAYLOADS[4]]
        )
        result = cycle.results.first()
        result.flags = [PAYLOADS[5]]
        result.penalties = Decimal("-2")
        result.save()
        _job, content = exported(
            client_for("admin"), cycle, capture=django_capture_on_commit_callbacks
        )
        ws = read_back(content)
        assert_text_cells(ws, PAYLOADS)
        penalties = [ws.cell(r, 8) for r in range(4, 6)]
        assert any(c.value == -2 and c.data_type == "n" for c in penalties)


@pytest.mark.django_db
class TestOfflineWorkbook:
    def test_typed_unit_names_come_out_as_text(
        self, world, client_for, django_capture_on_commit_callbacks
    ):
        from assessments.models import Assessment, Cycle

        cycle = world.cycle
        world.unit_a.name = PAYLOADS[0]
        world.unit_a.save()
        Cycle.objects.filter(pk=cycle.pk).update(state=Cycle.State.REVIEW)
        cycle.assessments.update(state=Assessment.State.SUBMITTED)
        # the whole cycle's workbook (two towns) is made by a background job
        client = client_for("admin")
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("assessments:score_workbook", args=[cycle.pk]))
        job = Job.objects.get(kind="score_workbook")
        response = client.get(reverse("jobs:download", args=[job.pk]))
        ws = read_back(b"".join(response.streaming_content), "评分表")
        assert_text_cells(ws, PAYLOADS[:1])


@pytest.mark.django_db
class TestAdminExport:
    def test_typed_unit_names_are_quoted_in_the_admin_export(self, world):
        from targets.models import Indicator, TargetAllocation
        from targets.resources import TargetAllocationResource

        world.unit_a.name = PAYLOADS[0]
        world.unit_a.save()
        indicator = Indicator.objects.create(name="+1+1", measure="人")
        TargetAllocation.objects.create(
            year=2026, unit=world.unit_a, indicator=indicator, target=Decimal(3)
        )
        row = TargetAllocationResource().export().dict[0]
        assert row["单位"] == "'" + PAYLOADS[0]
        assert row["指标"].startswith("'+1+1")
