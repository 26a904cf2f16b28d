import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from assessments import compute, services
from assessments.printouts import build_cycle_sheets
from jobs.models import Job
from staff.models import Coordinator

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def flat(text: str) -> str:
    return "".join(text.split())


class TestSheetPrintouts:
    def test_filled_sheet_prints_the_unit_the_items_and_the_scores(self, world, client_for):
        sheet = world.sheet_a
        client = client_for("coordinator_a")
        client.post(
            reverse("assessments:sheet_self", args=[sheet.pk]),
            {"version": sheet.version, "s-1-passed": "yes", "s-6-score": "2.5"},
        )
        response = client.get(reverse("assessments:sheet_pdf", args=[sheet.pk]))
        assert response["Content-Type"] == "application/pdf"
        text = flat(pdf_text(response.content))
        assert "淹城社区" in text
        assert "设立社区人社工作平台" in text
        assert "2.5" in text
        assert "自评得分" in text and "评估得分" in text

    def test_print_sheets_writes_one_pdf_for_a_town(self, world, tmp_path, capsys):
        out = tmp_path / "hutang.pdf"
        call_command(
            "print_sheets",
            "--cycle",
            str(world.cycle.pk),
            "--town",
            "湖 塘 镇",
            "--blank",
            "--out",
            str(out),
        )
        assert "1 张评分表" in capsys.readouterr().out
        text = flat(pdf_text(out.read_bytes()))
        assert "淹城社区" in text and "东陈村" not in text

    def test_unknown_town_is_named_with_the_closest(self, world, tmp_path):
        from django.core.management import CommandError

        with pytest.raises(CommandError, match="湖塘镇"):
            call_command(
                "print_sheets",
                "--cycle",
                str(world.cycle.pk),
                "--town",
                "湖塘",
                "--out",
                str(tmp_path / "x.pdf"),
            )

    def test_batch_builder_gives_every_sheet_of_the_cycle(self, world):
        docs = build_cycle_sheets(
            {"cycle": world.cycle.pk, "town": None, "blank": False}, lambda *a: None
        )
        assert sorted(d.unit_name for d in docs) == ["东陈村", "淹城社区"]

    def test_summary_lists_every_unit_with_its_grade(
        self, world, client_for, django_capture_on_commit_callbacks
    ):
        # the whole cycle's summary is printed by a background job; its page offers the PDF
        client = client_for("admin")
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("assessments:summary_pdf", args=[world.cycle.pk]))
        job = Job.objects.get(kind="cycle_summary")
        assert response["Location"] == reverse("jobs:status", args=[job.pk])
        assert job.state == Job.State.DONE, job.error
        response = client.get(reverse("jobs:download", args=[job.pk]))
        text = flat(pdf_text(b"".join(response.streaming_content)))
        assert "淹城社区" in text and "东陈村" in text and "汇总表" in text


class TestCoordinatorForms:
    def test_registration_form_and_town_summary(self, world, client_for):
        from tests.conftest import import_seed_rubric

        coordinator = Coordinator.objects.create(
            name="王芳",
            gender="女",
            unit=world.unit_a,
            birth_month=date(1988, 5, 1),
            education="大专",
        )
        cycle = services.cycle_create(
            title="新沂协理员年度考核",
            year=2026,
            rubric=import_seed_rubric("xinyi-coordinator"),
            units=[],
            coordinators=[coordinator],
            user=world.users["admin"],
        )
        services.cycle_step(cycle=cycle, action="open_self", user=world.users["admin"])
        compute.cycle_compute(cycle=cycle, user=world.users["admin"])
        result = cycle.results.get()
        client = client_for("reviewer_a")
        form = flat(
            pdf_text(
                client.get(
                    reverse("assessments:registration_pdf", args=[cycle.pk, result.pk])
                ).content
            )
        )
        assert "协理员年度考核登记表" in form and "王芳" in form and "淹城社区" in form
        summary = client.get(
            reverse("assessments:town_summary_pdf", args=[cycle.pk, world.town_a.pk])
        )
        text = flat(pdf_text(summary.content))
        assert "协理员年度考核汇总表" in text and "湖塘镇" in text and "王芳" in text
