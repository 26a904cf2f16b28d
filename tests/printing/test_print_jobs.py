"""Batch PDFs as background jobs: built, rendered, stored, downloaded; failures explained."""

import pytest
from django.urls import reverse

from assessments.print_documents import ScoreSheetDoc
from jobs.models import Job
from jobs.registry import JobError
from jobs.services import job_enqueue
from printing.registry import PrintError, register, unregister
from rubrics import engine
from tests.printing.conftest import load_rubric, page_texts
from tests.printing.sheets import YANCHENG_INPUTS

State = Job.State


def build_two_sheets(params, progress):
    rubric = load_rubric("changzhou-community")
    docs = []
    for done, unit in enumerate(params["units"], start=1):
        inputs = {**YANCHENG_INPUTS, "subject": unit}
        docs.append(
            ScoreSheetDoc(
                rubric=rubric,
                unit_name=unit,
                town_name="湖塘镇",
                result=engine.evaluate(rubric, inputs),
            )
        )
        progress(done, len(params["units"]))
    return docs


def build_broken(params, progress):
    raise ZeroDivisionError("a bug in a builder")


def build_refusing(params, progress):
    raise PrintError("所选考核周期已删除，无法打印。")


@pytest.fixture(autouse=True)
def kinds():
    register("test_sheets", label="测试评分表", builder=build_two_sheets)
    register("test_broken", label="出错的打印", builder=build_broken)
    register("test_refusing", label="拒绝的打印", builder=build_refusing)
    register("test_empty", label="空的打印", builder=lambda params, progress: [])
    yield
    for key in ("test_sheets", "test_broken", "test_refusing", "test_empty"):
        unregister(key)


def enqueue(capture, user, kind="test_sheets", params=None):
    with capture(execute=True):
        job = job_enqueue(
            kind=kind, params=params or {"units": ["淹城社区", "何留社区"]}, user=user
        )
    job.refresh_from_db()
    return job


class TestABatchPrintRunsToDone:
    def test_progress_file_and_page_count(self, world, django_capture_on_commit_callbacks):
        job = enqueue(django_capture_on_commit_callbacks, world.users["reviewer_a"])
        assert job.state == State.DONE, job.error
        assert (job.progress_done, job.progress_total) == (2, 2)
        assert job.percent == 100
        assert job.title == "测试评分表"
        assert job.pages == 4
        assert job.result.name.startswith(f"jobs/{job.pk}/")
        assert job.filename == f"测试评分表-{job.pk}.pdf"
        assert job.summary == "已生成「测试评分表」：2 份，共 4 页。"
        assert job.finished_at is not None and job.error == ""
        texts = page_texts(job.result.read())
        assert "淹城社区" in texts[0] and "何留社区" in texts[2]
        assert "第 1 页 共 2 页" in texts[2]

    def test_the_requester_downloads_the_pdf(
        self, world, client_for, django_capture_on_commit_callbacks
    ):
        job = enqueue(django_capture_on_commit_callbacks, world.users["reviewer_a"])
        response = client_for("reviewer_a").get(reverse("jobs:download", args=[job.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
        assert b"".join(response.streaming_content).startswith(b"%PDF")

    def test_status_page_offers_the_download_and_the_page_count(
        self, world, client_for, django_capture_on_commit_callbacks
    ):
        job = enqueue(django_capture_on_commit_callbacks, world.users["reviewer_a"])
        page = client_for("reviewer_a").get(reverse("jobs:status", args=[job.pk])).content.decode()
        assert "下载文件" in page and "共 4 页" in page and "已生成「测试评分表」" in page


class TestAFailingBatchPrint:
    def test_a_builder_bug_fails_with_a_chinese_message_not_a_500(
        self, world, client_for, django_capture_on_commit_callbacks, caplog
    ):
        job = enqueue(django_capture_on_commit_callbacks, world.users["reviewer_a"], "test_broken")
        assert job.state == State.FAILED
        assert job.error == (
            "后台任务出现内部错误（ZeroDivisionError），请稍后重新提交；如仍失败请联系管理员。"
        )
        assert "a bug in a builder" in caplog.text  # the details go to the log
        client = client_for("reviewer_a")
        page = client.get(reverse("jobs:status", args=[job.pk]))
        assert page.status_code == 200
        assert "后台任务出现内部错误" in page.content.decode()
        assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404

    def test_a_builder_refusal_is_shown_as_written(self, world, django_capture_on_commit_callbacks):
        job = enqueue(django_capture_on_commit_callbacks, world.users["admin"], "test_refusing")
        assert job.state == State.FAILED
        assert job.error == "所选考核周期已删除，无法打印。"

    def test_nothing_to_print(self, world, django_capture_on_commit_callbacks):
        job = enqueue(django_capture_on_commit_callbacks, world.users["admin"], "test_empty")
        assert job.state == State.FAILED
        assert job.error.startswith("没有可打印的内容")

    def test_an_unknown_kind_is_refused_at_once(self, world):
        with pytest.raises(JobError, match="未知的后台任务类型"):
            job_enqueue(kind="no_such_kind", params={}, user=world.users["admin"])
        assert not Job.objects.exists()

    def test_an_unregistered_print_kind_is_no_job_kind_either(self, world):
        unregister("test_empty")
        with pytest.raises(JobError):
            job_enqueue(kind="test_empty", params={}, user=world.users["admin"])
