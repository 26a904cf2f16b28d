"""A batch print in chunk tasks (immediate task backend): documents in the builder's order,
one merge, failures that stop the other chunks, progress counted in chunks, chunk files
kept in the default storage only until the merge, a dead chunk worker failing the job."""

import io
import subprocess
import sys

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from assessments.print_documents import ScoreSheetDoc
from jobs import runner
from jobs.models import Job
from jobs.services import job_enqueue
from printing import batch_jobs
from printing.models import PrintChunk
from printing.registry import PrintError, register, unregister
from rubrics import engine
from tests.printing.conftest import load_rubric, page_texts
from tests.printing.sheets import YANCHENG_INPUTS

State = Job.State
UNITS = [f"第{n:02d}社区" for n in range(1, 8)]


def sheets(units):
    rubric = load_rubric("changzhou-community")
    result = engine.evaluate(rubric, YANCHENG_INPUTS)
    return [
        ScoreSheetDoc(rubric=rubric, unit_name=unit, town_name="湖塘镇", result=result)
        for unit in units
    ]


def plan_units(params, progress):
    return list(params["units"])


def build_units(params, units):
    if params.get("refuse") in units:
        raise PrintError(f"「{params['refuse']}」的考核表已删除，无法打印。")
    if params.get("crash") in units:
        raise ZeroDivisionError("a bug in a chunk")
    return sheets(units)


@pytest.fixture(autouse=True)
def kind(settings, tmp_path):
    settings.PRINT_CHUNK_SHEETS = 2
    settings.MEDIA_ROOT = str(tmp_path / "media")  # chunk files of this test only
    register("test_units", label="测试分组打印", plan=plan_units, build=build_units)
    yield
    unregister("test_units")


def enqueue(capture, user, **params):
    with capture(execute=True):
        job = job_enqueue(kind="test_units", params={"units": UNITS, **params}, user=user)
    job.refresh_from_db()
    return job


def bookmarks(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [entry.title for entry in PdfReader(io.BytesIO(data)).outline]


def chunk_files(job) -> list[str]:
    try:
        return default_storage.listdir(f"printing/chunks/{job.pk}")[1]
    except FileNotFoundError:
        return []


class TestChunksMergedInOrder:
    def test_every_sheet_in_order_with_its_own_page_count_and_bookmark(
        self, world, django_capture_on_commit_callbacks
    ):
        job = enqueue(django_capture_on_commit_callbacks, world.users["admin"])
        assert job.state == State.DONE, job.error
        chunks = list(PrintChunk.objects.filter(job=job).order_by("index"))
        assert [c.items for c in chunks] == [UNITS[0:2], UNITS[2:4], UNITS[4:6], UNITS[6:7]]
        assert all(c.state == PrintChunk.State.DONE and c.pages for c in chunks)
        data = job.result.read()
        texts = page_texts(data)
        assert len(texts) == 2 * len(UNITS) == job.pages
        for n, unit in enumerate(UNITS):
            assert unit in texts[2 * n]
            assert "第 1 页 共 2 页" in texts[2 * n] and "第 2 页 共 2 页" in texts[2 * n + 1]
        assert [next(u for u in UNITS if u in title) for title in bookmarks(data)] == UNITS
        assert job.summary == f"已生成「测试分组打印」：7 份，共 {2 * len(UNITS)} 页。"
        assert (job.progress_done, job.progress_total) == (7, 7)

    def test_chunk_files_live_in_the_default_storage_until_the_merge(
        self, world, django_capture_on_commit_callbacks, monkeypatch
    ):
        stored = []
        save = default_storage.save

        def spy(name, content, max_length=None):
            stored.append(save(name, content, max_length=max_length))
            return stored[-1]

        monkeypatch.setattr(default_storage, "save", spy)
        job = enqueue(django_capture_on_commit_callbacks, world.users["admin"])
        assert job.state == State.DONE, job.error
        assert stored[:4] == [f"printing/chunks/{job.pk}/{n}.pdf" for n in range(4)]
        assert chunk_files(job) == []  # deleted by the merge
        assert not PrintChunk.objects.filter(job=job).exclude(file="").exists()
        assert default_storage.exists(job.result.name)

    def test_a_cycle_prints_its_sheets_in_chunks_in_print_order(
        self, world, django_capture_on_commit_callbacks, settings
    ):
        settings.PRINT_CHUNK_SHEETS = 1
        cycle = world.cycle
        with django_capture_on_commit_callbacks(execute=True):
            job = job_enqueue(
                kind="cycle_sheets", params={"cycle": cycle.pk}, user=world.users["admin"]
            )
        job.refresh_from_db()
        assert job.state == State.DONE, job.error
        assert PrintChunk.objects.filter(job=job).count() == 2
        texts = page_texts(job.result.read())
        first = next(i for i, t in enumerate(texts) if "东陈村" in t)
        assert "淹城社区" in texts[0] and first > 0  # 湖塘镇 sorts before 东陈镇 here


class TestOneMerge:
    def test_only_the_first_to_find_every_chunk_done_merges(
        self, world, django_capture_on_commit_callbacks, monkeypatch
    ):
        queued = []
        monkeypatch.setattr("printing.tasks.enqueue_chunk", queued.append)
        job = enqueue(django_capture_on_commit_callbacks, world.users["admin"])
        assert job.state == State.RUNNING and len(queued) == 4
        assert job.worker == ""  # the runner is done; the chunks are watched instead
        merges = []
        monkeypatch.setattr("printing.tasks.enqueue_merge", merges.append)
        for chunk_id in queued:
            assert batch_jobs.run_chunk(chunk_id) == "done"
        assert merges == [job.pk]
        assert not batch_jobs._claim_merge(job)  # a second claim loses
        assert batch_jobs.run_chunk(queued[0]) == "skipped"  # a chunk delivered twice
        assert batch_jobs.merge(job.pk) == State.DONE
        assert batch_jobs.merge(job.pk) == "skipped"  # a merge delivered twice
        job.refresh_from_db()
        assert job.state == State.DONE and job.pages == 14

    def test_progress_counts_chunks_and_documents(
        self, world, client_for, django_capture_on_commit_callbacks, monkeypatch
    ):
        queued = []
        monkeypatch.setattr("printing.tasks.enqueue_chunk", queued.append)
        job = enqueue(django_capture_on_commit_callbacks, world.users["admin"])
        assert (job.stage, job.progress_done, job.progress_total) == ("正在排版：0 / 4 组", 0, 7)
        batch_jobs.run_chunk(queued[3])
        batch_jobs.run_chunk(queued[0])
        job.refresh_from_db()
        assert (job.stage, job.progress_done, job.progress_total) == ("正在排版：2 / 4 组", 3, 7)
        status = client_for("admin").get(reverse("jobs:status_json", args=[job.pk])).json()
        assert (status["state"], status["stage"]) == ("running", "正在排版：2 / 4 组")
        assert (status["done"], status["total"]) == (3, 7)
        page = client_for("admin").get(reverse("jobs:status", args=[job.pk])).content.decode()
        assert "正在排版：2 / 4 组" in page


class TestAFailingChunk:
    def test_a_refusal_is_shown_as_written_and_the_other_chunks_do_nothing(
        self, world, django_capture_on_commit_callbacks
    ):
        job = enqueue(django_capture_on_commit_callbacks, world.users["admin"], refuse=UNITS[3])
        assert job.state == State.FAILED
        assert job.error == f"「{UNITS[3]}」的考核表已删除，无法打印。"
        states = list(PrintChunk.objects.filter(job=job).values_list("state", flat=True))
        assert states == ["done", "failed", "queued", "queued"]
        assert chunk_files(job) == []  # the first chunk's PDF is deleted too
        assert not job.result

    def test_a_bug_fails_the_job_with_the_generic_message(
        self, world, django_capture_on_commit_callbacks, caplog
    ):
        job = enqueue(django_capture_on_commit_callbacks, world.users["admin"], crash=UNITS[0])
        assert job.state == State.FAILED
        assert job.error == runner.INTERNAL_ERROR.format(name="ZeroDivisionError")
        assert "a bug in a chunk" in caplog.text and "Traceback" not in job.error

    def test_a_chunk_whose_worker_died_fails_the_job_as_interrupted(
        self, world, django_capture_on_commit_callbacks, monkeypatch
    ):
        queued = []
        monkeypatch.setattr("printing.tasks.enqueue_chunk", queued.append)
        job = enqueue(django_capture_on_commit_callbacks, world.users["reviewer_a"])
        dead = subprocess.run(
            [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
        ).stdout.strip()
        PrintChunk.objects.filter(pk=queued[1]).update(
            state=PrintChunk.State.RUNNING,
            worker=f"{runner.HOST}:{dead}",
            started_at=job.updated_at,
        )
        assert runner.fail_abandoned() == 1
        job.refresh_from_db()
        assert (job.state, job.error) == (State.FAILED, runner.INTERRUPTED)
        assert batch_jobs.run_chunk(queued[0]) == "skipped"

    def test_a_job_waiting_for_its_chunks_is_not_abandoned(
        self, world, django_capture_on_commit_callbacks, monkeypatch
    ):
        monkeypatch.setattr("printing.tasks.enqueue_chunk", lambda chunk_id: None)
        job = enqueue(django_capture_on_commit_callbacks, world.users["admin"])
        assert runner.fail_abandoned() == 0
        job.refresh_from_db()
        assert job.state == State.RUNNING
