"""Background jobs: enqueued after commit, run once, progress, outcome, failure, resubmission,
the job of a dead worker, a lost enqueue."""

import signal
import subprocess
import sys
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs import runner
from jobs.models import Job
from jobs.registry import JobError, Outcome, register, unregister
from jobs.services import job_enqueue, job_resubmit

State = Job.State


def count_to_three(job, progress):
    progress.stage("正在数数", total=3)
    for done in range(1, 4):
        progress(done, 3)
    return Outcome(
        summary=f"已数到 {job.params['n']}。",
        link="/cycles/",
        file=b"1,2,3\n",
        filename="数数.csv",
    )


def broken(job, progress):
    raise ZeroDivisionError("a bug in a runner")


def refusing(job, progress):
    raise JobError("所选考核周期已删除。")


def no_file(job, progress):
    return Outcome(summary="已完成计算。", link="/cycles/")


ALLOWED = {"yes": True}


@pytest.fixture(autouse=True)
def kinds():
    register("test_count", label="数数", run=count_to_three, permitted=lambda u, p: ALLOWED["yes"])
    register("test_broken", label="出错的任务", run=broken)
    register("test_refusing", label="拒绝的任务", run=refusing)
    register("test_no_file", label="计算", run=no_file)
    ALLOWED["yes"] = True
    yield
    for name in ("test_count", "test_broken", "test_refusing", "test_no_file"):
        unregister(name)


def enqueue(capture, user, kind="test_count", params=None):
    with capture(execute=True):
        job = job_enqueue(kind=kind, params=params or {"n": 3}, user=user)
    job.refresh_from_db()
    return job


class TestAJobRunsToDone:
    def test_its_progress_summary_link_and_file_are_kept(
        self, world, django_capture_on_commit_callbacks
    ):
        job = enqueue(django_capture_on_commit_callbacks, world.users["reviewer_a"])
        assert job.state == State.DONE, job.error
        assert (job.progress_done, job.progress_total, job.percent) == (3, 3, 100)
        assert job.summary == "已数到 3。" and job.link == "/cycles/"
        assert job.filename == "数数.csv" and job.result.read() == b"1,2,3\n"
        assert job.task_id and job.worker.endswith(f":{__import__('os').getpid()}")
        assert job.started_at and job.finished_at and job.error == ""

    def test_nothing_runs_before_the_transaction_commits(
        self, world, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            job = job_enqueue(kind="test_count", params={"n": 1}, user=world.users["admin"])
        assert len(callbacks) == 1
        job.refresh_from_db()
        assert job.state == State.QUEUED and job.task_id == ""

    def test_a_job_is_claimed_once(self, world, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False):
            job = job_enqueue(kind="test_count", params={"n": 1}, user=world.users["admin"])
        first = runner.claim(job.pk)
        assert first.state == State.RUNNING and first.worker == runner.worker_id()
        assert runner.claim(job.pk) is None  # a second delivery of its task does nothing
        assert runner.execute(job.pk) is None

    def test_parameters_that_are_not_json_are_refused(self, world):
        with pytest.raises(JobError, match="任务参数无法保存"):
            job_enqueue(
                kind="test_count", params={"when": timezone.now()}, user=world.users["admin"]
            )
        assert not Job.objects.exists()


class TestItsPages:
    def test_the_status_page_shows_the_summary_link_and_download(
        self, world, client_for, django_capture_on_commit_callbacks
    ):
        job = enqueue(django_capture_on_commit_callbacks, world.users["reviewer_a"])
        client = client_for("reviewer_a")
        page = client.get(reverse("jobs:status", args=[job.pk])).content.decode()
        assert "已数到 3。" in page and "下载文件" in page and "查看结果" in page
        assert 'role="progressbar"' in page and reverse("jobs:status_json", args=[job.pk]) in page
        status = client.get(reverse("jobs:status_json", args=[job.pk])).json()
        assert status["state"] == "done" and status["finished"] and status["percent"] == 100
        assert status["summary"] == "已数到 3。" and status["link"] == "/cycles/"
        assert status["download_url"] == reverse("jobs:download", args=[job.pk])
        download = client.get(reverse("jobs:download", args=[job.pk]))
        assert download.status_code == 200
        assert "attachment" in download["Content-Disposition"]
        assert b"".join(download.streaming_content) == b"1,2,3\n"
        listing = client.get(reverse("jobs:list")).content.decode()
        assert "数数" in listing

    def test_a_job_without_a_file_offers_no_download(
        self, world, client_for, django_capture_on_commit_callbacks
    ):
        job = enqueue(django_capture_on_commit_callbacks, world.users["admin"], "test_no_file")
        client = client_for("admin")
        page = client.get(reverse("jobs:status", args=[job.pk])).content.decode()
        assert "下载文件" not in page.split("data-download")[0] or "hidden" in page
        assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404

    @pytest.mark.parametrize("persona", ["reviewer_b", "coordinator_a", "viewer"])
    def test_another_user_gets_404(
        self, persona, world, client_for, django_capture_on_commit_callbacks
    ):
        job = enqueue(django_capture_on_commit_callbacks, world.users["reviewer_a"])
        client = client_for(persona)
        for name in ("jobs:download", "jobs:status", "jobs:status_json"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404, name
        assert client.post(reverse("jobs:resubmit", args=[job.pk])).status_code == 404

    def test_an_administrator_sees_and_downloads_any_job(
        self, world, client_for, django_capture_on_commit_callbacks
    ):
        job = enqueue(django_capture_on_commit_callbacks, world.users["coordinator_a"])
        client = client_for("admin")
        assert client.get(reverse("jobs:status", args=[job.pk])).status_code == 200
        assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 200


class TestAFailingJob:
    def test_a_bug_fails_it_with_a_chinese_message_and_the_traceback_goes_to_the_log(
        self, world, client_for, django_capture_on_commit_callbacks, caplog
    ):
        job = enqueue(django_capture_on_commit_callbacks, world.users["reviewer_a"], "test_broken")
        assert job.state == State.FAILED
        assert job.error == (
            "后台任务出现内部错误（ZeroDivisionError），请稍后重新提交；如仍失败请联系管理员。"
        )
        assert "a bug in a runner" in caplog.text
        page = client_for("reviewer_a").get(reverse("jobs:status", args=[job.pk]))
        assert page.status_code == 200
        text = page.content.decode()
        assert "后台任务出现内部错误" in text and "重新提交" in text
        assert "Traceback" not in text and "ZeroDivisionError(" not in text

    def test_a_refusal_is_shown_as_written(self, world, django_capture_on_commit_callbacks):
        job = enqueue(django_capture_on_commit_callbacks, world.users["admin"], "test_refusing")
        assert job.state == State.FAILED and job.error == "所选考核周期已删除。"


class TestResubmitting:
    def failed(self, world, capture, user="reviewer_a"):
        with capture(execute=False):
            job = job_enqueue(kind="test_count", params={"n": 7}, user=world.users[user])
        runner.fail(job.pk, runner.INTERRUPTED)
        job.refresh_from_db()
        return job

    def test_the_requester_resubmits_a_failed_job_as_a_new_one(
        self, world, client_for, django_capture_on_commit_callbacks
    ):
        job = self.failed(world, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for("reviewer_a").post(reverse("jobs:resubmit", args=[job.pk]))
        again = Job.objects.exclude(pk=job.pk).get()
        assert response.status_code == 302
        assert response["Location"] == reverse("jobs:status", args=[again.pk])
        assert again.state == State.DONE and again.summary == "已数到 7。"
        assert again.resubmitted_from_id == job.pk and again.params == {"n": 7}
        job.refresh_from_db()
        assert job.state == State.FAILED  # the old one stays as it was

    def test_an_administrator_looking_at_it_is_not_offered_to_resubmit(
        self, world, client_for, django_capture_on_commit_callbacks
    ):
        job = self.failed(world, django_capture_on_commit_callbacks)
        client = client_for("admin")
        page = client.get(reverse("jobs:status", args=[job.pk])).content.decode()
        assert reverse("jobs:resubmit", args=[job.pk]) not in page
        assert client.post(reverse("jobs:resubmit", args=[job.pk])).status_code == 404

    def test_a_requester_who_lost_the_right_is_told_so(
        self, world, client_for, django_capture_on_commit_callbacks
    ):
        job = self.failed(world, django_capture_on_commit_callbacks)
        ALLOWED["yes"] = False
        client = client_for("reviewer_a")
        response = client.post(reverse("jobs:resubmit", args=[job.pk]), follow=True)
        assert "您已没有执行该任务的权限，不能重新提交。" in response.content.decode()
        assert Job.objects.count() == 1

    def test_only_a_failed_job_is_resubmitted(self, world, django_capture_on_commit_callbacks):
        job = enqueue(django_capture_on_commit_callbacks, world.users["admin"])
        with pytest.raises(JobError, match="只有失败的任务可以重新提交"):
            job_resubmit(job=job, user=world.users["admin"])


class TestAWorkerThatDied:
    def running_job(self, world, worker, user="admin"):
        return Job.objects.create(
            kind="test_count",
            requested_by=world.users[user],
            state=State.RUNNING,
            worker=worker,
        )

    def test_its_job_is_failed_for_resubmission(self, world):
        process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        job = self.running_job(world, f"{runner.HOST}:{process.pid}")
        assert runner.fail_abandoned() == 0  # alive: left alone
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert runner.fail_abandoned() == 1
        job.refresh_from_db()
        assert job.state == State.FAILED and job.finished_at is not None
        assert job.error == "后台任务在进行中中断（执行进程已停止），请重新提交。"

    def test_its_page_shows_it_failed_at_once(self, world, client_for):
        process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        job = self.running_job(world, f"{runner.HOST}:{process.pid}", user="reviewer_a")
        client = client_for("reviewer_a")
        url = reverse("jobs:status_json", args=[job.pk])
        assert client.get(url).json()["state"] == "running"
        process.send_signal(signal.SIGKILL)
        process.wait()
        status = client.get(url).json()
        assert status["state"] == "failed" and status["finished"]
        page = client.get(reverse("jobs:status", args=[job.pk])).content.decode()
        assert "请重新提交" in page and reverse("jobs:resubmit", args=[job.pk]) in page

    def test_a_job_on_another_host_is_failed_only_when_silent_too_long(self, world, settings):
        job = self.running_job(world, "another-host:1")
        assert runner.fail_abandoned() == 0
        Job.objects.filter(pk=job.pk).update(
            updated_at=timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS + 1)
        )
        assert runner.fail_abandoned() == 1


class TestALostEnqueue:
    def test_a_queued_job_without_a_task_gets_one_when_its_page_is_looked_at(
        self, world, client_for, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False):  # the enqueue never happens
            job = job_enqueue(kind="test_count", params={"n": 2}, user=world.users["reviewer_a"])
        Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=5))
        status = client_for("reviewer_a").get(reverse("jobs:status_json", args=[job.pk])).json()
        assert status["state"] == "done" and status["summary"] == "已数到 2。"

    def test_a_fresh_queued_job_is_left_to_its_task(
        self, world, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False):
            job_enqueue(kind="test_count", params={"n": 2}, user=world.users["reviewer_a"])
        assert runner.enqueue_lost() == 0
