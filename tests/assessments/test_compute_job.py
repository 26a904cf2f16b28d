"""Computing results is a background job: the cycle page's 计算 button queues it (refusals
said at once, nothing queued), the job reports its stages and ends with the summary and a
link to the results."""

import pytest
from django.urls import reverse

from assessments import compute
from assessments.models import Cycle, Result
from jobs.models import Job

pytestmark = pytest.mark.django_db


def press_compute(client, cycle, capture):
    with capture(execute=True):
        return client.post(
            reverse("assessments:cycle_action", args=[cycle.pk]), {"action": "compute"}
        )


class TestTheComputeButton:
    def test_queues_the_job_and_shows_its_page_with_the_outcome(
        self, world, client_for, django_capture_on_commit_callbacks
    ):
        cycle = world.cycle
        client = client_for("admin")
        response = press_compute(client, cycle, django_capture_on_commit_callbacks)
        job = Job.objects.get(kind="cycle_compute")
        assert response.status_code == 302
        assert response.url == reverse("jobs:status", args=[job.pk])
        assert job.state == Job.State.DONE, job.error
        assert job.params == {"cycle": cycle.pk}
        assert job.summary == f"已计算「{cycle.title}」的 2 个结果（第 2 版）"
        assert job.link == reverse("assessments:results", args=[cycle.pk])
        assert (job.progress_done, job.progress_total) == (2, 2)
        page = client.get(response.url).content.decode()
        assert job.summary in page and job.link in page

    def test_a_locked_cycle_is_refused_at_once_and_nothing_is_queued(
        self, world, client_for, django_capture_on_commit_callbacks
    ):
        cycle = world.cycle
        Cycle.objects.filter(pk=cycle.pk).update(state=Cycle.State.FINALISED)
        client = client_for("admin")
        response = press_compute(client, cycle, django_capture_on_commit_callbacks)
        assert response.url == reverse("assessments:cycle_detail", args=[cycle.pk])
        assert not Job.objects.exists()
        page = client.get(response.url).content.decode()
        assert "考核周期已定稿，结果已锁定。" in page

    def test_a_cycle_without_sheets_is_refused_at_once(
        self, world, client_for, django_capture_on_commit_callbacks
    ):
        cycle = world.cycle
        cycle.assessments.all().delete()
        client = client_for("admin")
        response = press_compute(client, cycle, django_capture_on_commit_callbacks)
        assert not Job.objects.exists()
        assert "本考核周期没有考核表。" in client.get(response.url).content.decode()

    def test_a_second_computation_while_one_is_queued_is_refused(self, world, client_for):
        cycle = world.cycle
        client = client_for("admin")
        action = reverse("assessments:cycle_action", args=[cycle.pk])
        client.post(action, {"action": "compute"})  # queued: its task runs on commit
        first = Job.objects.get()
        assert first.state == Job.State.QUEUED
        response = client.post(action, {"action": "compute"}, follow=True)
        assert Job.objects.count() == 1
        text = response.content.decode()
        assert f"「{cycle.title}」的结果正在计算中（后台任务 #{first.pk}，排队中）" in text

    def test_a_reviewer_cannot_compute(self, world, client_for, django_capture_on_commit_callbacks):
        response = press_compute(
            client_for("reviewer_a"), world.cycle, django_capture_on_commit_callbacks
        )
        assert response.status_code in (403, 404)
        assert not Job.objects.exists()


class TestTheRunner:
    def test_reports_its_stages_and_subjects(self, world):
        seen = []

        class Recorder:
            def __call__(self, done, total):
                seen.append((done, total))

            def stage(self, text):
                seen.append(text)

        compute.cycle_compute(cycle=world.cycle, user=world.users["admin"], progress=Recorder())
        stages = [s for s in seen if isinstance(s, str)]
        assert stages == ["正在读取考核表", "正在计分", "正在保存结果"]
        assert (2, 2) in seen

    def test_a_deleted_cycle_fails_the_job_with_a_message(
        self, world, django_capture_on_commit_callbacks
    ):
        from jobs.services import job_enqueue

        with django_capture_on_commit_callbacks(execute=True):
            job = job_enqueue(
                kind="cycle_compute", params={"cycle": 999999}, user=world.users["admin"]
            )
        job.refresh_from_db()
        assert job.state == Job.State.FAILED
        assert job.error == "所选考核周期已删除，无法计算结果。"

    def test_a_cycle_locked_after_queueing_fails_the_job_and_stores_nothing(
        self, world, client_for
    ):
        from jobs.runner import execute

        cycle = world.cycle
        before = Result.all_versions.filter(cycle=cycle).count()
        client_for("admin").post(
            reverse("assessments:cycle_action", args=[cycle.pk]), {"action": "compute"}
        )
        Cycle.objects.filter(pk=cycle.pk).update(state=Cycle.State.FINALISED)
        job = execute(Job.objects.get().pk)
        assert job.state == Job.State.FAILED
        assert job.error == f"未能计算「{cycle.title}」的结果：考核周期已定稿，结果已锁定。"
        assert Result.all_versions.filter(cycle=cycle).count() == before
