"""Batch PDFs in the background: queue, claim, progress, download, failure."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.print_documents import ScoreSheetDoc
from printing import jobs
from printing.models import PrintJob
from printing.registry import PrintError, register, unregister
from printing.services import print_job_enqueue
from rubrics import engine
from tests.printing.conftest import load_rubric, page_texts
from tests.printing.sheets import YANCHENG_INPUTS

State = PrintJob.State


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


@pytest.fixture
def inline(settings):
    settings.PRINT_JOB_RUNNER = "inline"


def enqueue(capture, user, kind="test_sheets", params=None):
    with capture(execute=True):
        job = print_job_enqueue(
            kind=kind, params=params or {"units": ["淹城社区", "何留社区"]}, user=user
        )
    job.refresh_from_db()
    return job


@pytest.mark.usefixtures("inline")
class TestAJobRunsToDone:
    def test_progress_file_and_page_count(self, world, django_capture_on_commit_callbacks):
        job = enqueue(django_capture_on_commit_callbacks, world.users["reviewer_a"])
        assert job.state == State.DONE
        assert (job.progress_done, job.progress_total) == (2, 2)
        assert job.percent == 100
        assert job.title == "测试评分表"
        assert job.pages == 4
        assert job.result.name.startswith("print/")
        assert job.finished_at is not None and job.error == ""
        texts = page_texts(job.result.read())
        assert "淹城社区" in texts[0] and "何留社区" in texts[2]
        assert "第 1 页 共 2 页" in texts[2]

    def test_nothing_runs_before_the_transaction_commits(
        self, world, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            job = print_job_enqueue(
                kind="test_sheets", params={"units": ["淹城社区"]}, user=world.users["admin"]
            )
        assert len(callbacks) == 1
        job.refresh_from_db()
        assert job.state == State.QUEUED

    def test_the_requester_downloads_it(
        self, world, client_for, django_capture_on_commit_callbacks
    ):
        job = enqueue(django_capture_on_commit_callbacks, world.users["reviewer_a"])
        response = client_for("reviewer_a").get(reverse("printing:job_download", args=[job.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
        assert b"".join(response.streaming_content).startswith(b"%PDF")

    @pytest.mark.parametrize("persona", ["reviewer_b", "coordinator_a", "viewer"])
    def test_another_user_gets_404(
        self, persona, world, client_for, django_capture_on_commit_callbacks
    ):
        job = enqueue(django_capture_on_commit_callbacks, world.users["reviewer_a"])
        client = client_for(persona)
        for name in ("printing:job_download", "printing:job_status", "printing:job_status_json"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404, name

    def test_an_administrator_may_download_any_job(
        self, world, client_for, django_capture_on_commit_callbacks
    ):
        job = enqueue(django_capture_on_commit_callbacks, world.users["coordinator_a"])
        response = client_for("admin").get(reverse("printing:job_download", args=[job.pk]))
        assert response.status_code == 200

    def test_status_page_and_json(self, world, client_for, django_capture_on_commit_callbacks):
        job = enqueue(django_capture_on_commit_callbacks, world.users["reviewer_a"])
        client = client_for("reviewer_a")
        page = client.get(reverse("printing:job_status", args=[job.pk])).content.decode()
        assert "已完成" in page and "下载 PDF" in page and 'role="progressbar"' in page
        assert reverse("printing:job_status_json", args=[job.pk]) in page
        status = client.get(reverse("printing:job_status_json", args=[job.pk])).json()
        assert status["state"] == "done" and status["percent"] == 100 and status["finished"]
        assert status["download_url"] == reverse("printing:job_download", args=[job.pk])
        listing = client.get(reverse("printing:job_list")).content.decode()
        assert "测试评分表" in listing


@pytest.mark.usefixtures("inline")
class TestAFailingJob:
    def test_a_builder_bug_fails_with_a_chinese_message_not_a_500(
        self, world, client_for, django_capture_on_commit_callbacks, caplog
    ):
        job = enqueue(django_capture_on_commit_callbacks, world.users["reviewer_a"], "test_broken")
        assert job.state == State.FAILED
        assert (
            job.error
            == "生成 PDF 时出现内部错误（ZeroDivisionError），请稍后重试；如仍失败请联系管理员。"
        )
        assert "a bug in a builder" in caplog.text  # the details go to the log
        client = client_for("reviewer_a")
        page = client.get(reverse("printing:job_status", args=[job.pk]))
        assert page.status_code == 200
        assert "生成 PDF 时出现内部错误" in page.content.decode()
        status = client.get(reverse("printing:job_status_json", args=[job.pk])).json()
        assert status["state"] == "failed" and status["finished"]
        assert status["download_url"] is None
        assert client.get(reverse("printing:job_download", args=[job.pk])).status_code == 404

    def test_a_builder_refusal_is_shown_as_written(self, world, django_capture_on_commit_callbacks):
        job = enqueue(django_capture_on_commit_callbacks, world.users["admin"], "test_refusing")
        assert job.state == State.FAILED
        assert job.error == "所选考核周期已删除，无法打印。"

    def test_nothing_to_print(self, world, django_capture_on_commit_callbacks):
        job = enqueue(django_capture_on_commit_callbacks, world.users["admin"], "test_empty")
        assert job.state == State.FAILED
        assert job.error.startswith("没有可打印的内容")

    def test_an_unknown_kind_is_refused_at_once(self, world):
        with pytest.raises(PrintError, match="未知的打印类型"):
            print_job_enqueue(kind="no_such_kind", params={}, user=world.users["admin"])
        assert not PrintJob.objects.exists()


class TestTheQueue:
    def test_a_job_is_claimed_once(self, world, settings, django_capture_on_commit_callbacks):
        settings.PRINT_JOB_RUNNER = "worker"
        job = enqueue(django_capture_on_commit_callbacks, world.users["admin"])
        assert job.state == State.QUEUED  # a worker process will take it
        first = jobs.claim(worker="host-a:1")
        assert first.pk == job.pk and first.state == State.RUNNING and first.worker == "host-a:1"
        assert jobs.claim(worker="host-b:2") is None
        assert jobs.claim(job.pk, worker="host-b:2") is None

    def test_the_worker_command_runs_queued_jobs_oldest_first(
        self, world, settings, django_capture_on_commit_callbacks
    ):
        settings.PRINT_JOB_RUNNER = "worker"
        older = enqueue(
            django_capture_on_commit_callbacks, world.users["admin"], params={"units": ["甲社区"]}
        )
        newer = enqueue(django_capture_on_commit_callbacks, world.users["admin"], "test_refusing")
        call_command("run_print_jobs", "--once")
        older.refresh_from_db()
        newer.refresh_from_db()
        assert older.state == State.DONE and newer.state == State.FAILED
        assert older.finished_at <= newer.finished_at

    def test_a_job_whose_process_died_is_failed(self, world):
        job = PrintJob.objects.create(
            kind="test_sheets",
            requested_by=world.users["admin"],
            state=State.RUNNING,
            worker=f"{jobs.HOST}:999999999",
        )
        assert jobs.fail_abandoned() == 1
        job.refresh_from_db()
        assert job.state == State.FAILED
        assert job.error == "打印任务在生成过程中中断（生成进程已停止），请重新提交。"

    def test_a_running_job_of_a_live_process_is_left_alone(self, world):
        job = PrintJob.objects.create(
            kind="test_sheets",
            requested_by=world.users["admin"],
            state=State.RUNNING,
            worker="another-host:1",
        )
        assert jobs.fail_abandoned() == 0
        job.refresh_from_db()
        assert job.state == State.RUNNING

    def test_the_default_runner_follows_the_database(self, settings):
        from django.db import connection

        settings.PRINT_JOB_RUNNER = None
        expected = "thread" if connection.vendor == "sqlite" else "worker"
        assert jobs.runner_mode() == expected


@pytest.mark.django_db(transaction=True)
def test_the_thread_runner_finishes_a_job_after_commit(world, settings):
    import time

    settings.PRINT_JOB_RUNNER = "thread"
    job = print_job_enqueue(
        kind="test_sheets", params={"units": ["淹城社区"]}, user=world.users["admin"]
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.finished:
            break
        time.sleep(0.2)
    assert job.state == State.DONE, job.error
    assert job.pages == 2
