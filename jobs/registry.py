"""What background work there is: each app registers its kinds from ``<app>/job_kinds.py``.

A kind is a runner, ``run(job, progress) -> Outcome``, with a Chinese label::

    # assessments/job_kinds.py
    from jobs.registry import Outcome, register

    @register("cycle_compute", label="计算考核结果")
    def compute(job, progress):
        ...  # read job.params, progress(done, total), progress.stage("正在计分")
        return Outcome(summary="已计算「…」的 44 个结果（第 2 版）。", link=url)

The runner runs in a worker, outside any request. Access was decided when the job was
enqueued; ``permitted(user, params)``, when given, is asked again before a failed job is
resubmitted. ``JobError("…")`` fails the job with that message shown as written; any
other exception fails it with a generic message and the traceback goes to the log.

A runner whose work goes on in other tasks (a batch print's chunks, which any worker may
take) returns ``Continues()`` instead of an ``Outcome``: the job stays running, and the
task that ends it calls ``jobs.runner.finish(job, outcome)`` (or ``jobs.runner.fail``).
Such a kind gives ``parts(job) -> [Part(worker, since, task_id)]``, the parts running
now, so that a part whose worker died fails the job (``jobs.runner.fail_abandoned``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple


class JobError(Exception):
    """A failure to show the person as it is: the message is Chinese and says why."""


@dataclass(frozen=True)
class Outcome:
    summary: str  # what was done to what, in Chinese
    link: str = ""  # the page to open when done (the results, the import batch…)
    file: Path | bytes | None = None  # the output; a Path is moved into storage
    filename: str = ""  # the download name
    pages: int | None = None


@dataclass(frozen=True)
class Continues:
    """Returned by a runner whose job goes on in other tasks; one of them finishes it."""


class Part(NamedTuple):
    """A part of a job running in some worker: who (``host:pid``), since when, its task."""

    worker: str
    since: datetime
    task_id: str = ""


Runner = Callable[[Any, Any], "Outcome | Continues"]


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str
    run: Runner
    permitted: Callable[[Any, dict], bool] | None = None
    content_type: str = "application/octet-stream"
    parts: Callable[[Any], Iterable[Part]] | None = None


_kinds: dict[str, JobKind] = {}


def register(
    name: str,
    *,
    label: str,
    permitted: Callable[[Any, dict], bool] | None = None,
    content_type: str = "application/octet-stream",
    run: Runner | None = None,
    parts: Callable[[Any], Iterable[Part]] | None = None,
):
    """Register ``run`` for ``name``; usable directly or as a decorator. Registering a
    name again replaces it (module reloads, tests)."""

    def add(function: Runner) -> Runner:
        _kinds[name] = JobKind(name, label, function, permitted, content_type, parts)
        return function

    if run is not None:
        return add(run)
    return add


def unregister(name: str) -> None:
    _kinds.pop(name, None)


def get_kind(name: str) -> JobKind:
    try:
        return _kinds[name]
    except KeyError:
        raise JobError(f"未知的后台任务类型「{name}」。") from None


def kinds() -> list[JobKind]:
    return sorted(_kinds.values(), key=lambda kind: kind.name)
