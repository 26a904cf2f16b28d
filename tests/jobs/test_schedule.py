"""Periodic work: each piece at most once a period, whoever runs it."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from jobs import schedule
from jobs.models import ScheduledRun

RUNS = []


@pytest.fixture(autouse=True)
def counting():
    RUNS.clear()
    schedule.periodic("test_count", every=timedelta(hours=1))(
        lambda: RUNS.append(1) or f"第 {len(RUNS)} 次"
    )
    yield
    schedule._periodic.pop("test_count", None)


def names(ran):
    return [name for name, _ in ran]


@pytest.mark.django_db
class TestPeriodicWork:
    def test_runs_once_per_period(self):
        now = timezone.now()
        assert "test_count" in names(schedule.run_due(now))
        assert "test_count" not in names(schedule.run_due(now + timedelta(minutes=59)))
        assert "test_count" in names(schedule.run_due(now + timedelta(minutes=61)))
        assert len(RUNS) == 2
        row = ScheduledRun.objects.get(name="test_count")
        assert row.last_outcome == "第 2 次"

    def test_two_runners_at_the_same_moment_run_it_once(self):
        now = timezone.now()
        schedule.run_due(now)
        schedule.run_due(now)
        assert len(RUNS) == 1

    def test_a_failure_is_recorded_and_does_not_stop_the_others(self):
        schedule.periodic("test_broken", every=timedelta(hours=1))(lambda: 1 / 0)
        try:
            ran = dict(schedule.run_due())
        finally:
            schedule._periodic.pop("test_broken", None)
        assert ran["test_broken"] == "失败：ZeroDivisionError"
        assert "test_count" in ran

    def test_the_housekeeping_is_registered(self):
        registered = {p.name for p in schedule.registered()}
        assert {"jobs_fail_abandoned", "jobs_prune_finished", "prune_audit_log"} <= registered

    def test_the_cron_command_runs_what_is_due(self, capsys):
        call_command("run_scheduled")
        out = capsys.readouterr().out
        assert "test_count：第 1 次" in out
        call_command("run_scheduled")
        assert len(RUNS) == 1


@pytest.mark.django_db
def test_start_schedule_does_nothing_without_a_queue(capsys):
    # The test settings run tasks at once (no queue to wait in): nothing to start.
    call_command("start_schedule")
    assert "请用 cron 运行 run_scheduled" in capsys.readouterr().out
