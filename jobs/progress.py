"""How a runner reports how far it got: written to the job's row, at most twice a second."""

from __future__ import annotations

import time

from django.utils import timezone

from jobs.models import Job

INTERVAL = 0.5  # seconds between two progress writes


class Progress:
    def __init__(self, job: Job):
        self.job = job
        self.last = 0.0
        self.done = 0
        self.total = 0
        self.text = job.stage

    def __call__(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        self._write(force=done >= total)

    def stage(self, text: str, *, done: int = 0, total: int | None = None) -> None:
        """A new stage (「正在排版」); its counter starts at ``done`` of ``total``."""
        self.text = text
        self.done = done
        if total is not None:
            self.total = total
        self._write(force=True)

    def _write(self, *, force: bool) -> None:
        now = time.monotonic()
        if not force and now - self.last < INTERVAL:
            return
        self.last = now
        Job.objects.filter(pk=self.job.pk).update(
            stage=self.text[:100],
            progress_done=self.done,
            progress_total=self.total,
            updated_at=timezone.now(),
        )
