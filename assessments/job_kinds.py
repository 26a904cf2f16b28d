"""The assessment work that runs in the background (read by the jobs app at start-up):
computing a cycle, exporting its results; the whole-cycle files are in ``file_jobs``."""

import tempfile
from pathlib import Path

from django.urls import reverse

from assessments import exports, file_jobs  # noqa: F401  file_jobs: cycle_summary, score_workbook
from assessments.compute import cycle_compute
from assessments.models import Cycle
from assessments.policy import may_administer
from assessments.services import WorkflowError
from jobs.registry import JobError, Outcome, register
from org.scope import scope_for
from rubrics import engine

COMPUTE = "cycle_compute"
ERRORS_SHOWN = 5


def may_compute(user, params) -> bool:
    """Asked again when a failed computation is resubmitted: administrators only."""
    return may_administer(scope_for(user))


@register(COMPUTE, label="计算考核结果", permitted=may_compute)
def compute_results(job, progress) -> Outcome:
    """Params: {"cycle": id}. Stages 正在读取考核表 / 正在计分 / 正在保存结果."""
    cycle = Cycle.objects.filter(pk=job.params.get("cycle")).first()
    if cycle is None:
        raise JobError("所选考核周期已删除，无法计算结果。")
    try:
        done = cycle_compute(cycle=cycle, user=job.requested_by, progress=progress)
    except WorkflowError as exc:
        raise JobError(f"未能计算「{cycle.title}」的结果：{exc}") from exc
    except engine.SheetInputError as exc:
        messages = [str(e) for e in exc.errors]
        shown = "；".join(messages[:ERRORS_SHOWN])
        more = f"等 {len(messages)} 处" if len(messages) > ERRORS_SHOWN else ""
        raise JobError(
            f"未能计算「{cycle.title}」的结果：考核表中有输入不正确，请先改正：{shown}{more}。"
        ) from exc
    return Outcome(
        summary=f"已计算「{cycle.title}」的 {done.count} 个结果（第 {done.version} 版）",
        link=reverse("assessments:results", args=[cycle.pk]),
    )


# ---------------------------------------------------------------------- results exports
#
# A whole cycle's results as the summary table (xlsx) or the JSON document, streamed to a
# temporary file that the jobs app moves into storage. Params: {"cycle": id}.

EXPORT_FORMATS = {"results_xlsx": "xlsx", "results_json": "json"}


def may_export_results(user, params) -> bool:
    """Asked again when a failed export is resubmitted: administrators only, as the page."""
    return may_administer(scope_for(user))


def _export(job, progress, fmt: str) -> Outcome:
    cycle = Cycle.objects.select_related("rubric").filter(pk=job.params.get("cycle")).first()
    if cycle is None:
        raise JobError("该考核周期已不存在，未能导出结果。")
    if not cycle.computed_at:
        raise JobError(f"考核周期「{cycle.title}」还没有计算结果，未能导出。")
    progress.stage("正在导出考核结果")
    handle = tempfile.NamedTemporaryFile(prefix="results-", suffix=f".{fmt}", delete=False)
    path = Path(handle.name)
    try:
        if fmt == "json":
            with open(handle.fileno(), "w", encoding="utf-8", closefd=False) as text:
                count = exports.write_results_json(cycle, text, progress=progress)
        else:
            count = exports.write_results_xlsx(cycle, handle, progress=progress)
        handle.close()
    except BaseException:
        handle.close()
        path.unlink(missing_ok=True)
        raise
    return Outcome(
        summary=f"已导出「{cycle.title}」的 {count} 条结果（{fmt}）",
        file=path,
        filename=exports.export_filename(cycle, fmt),
    )


@register(
    "results_xlsx",
    label="导出考核结果汇总表",
    permitted=may_export_results,
    content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
def run_results_xlsx(job, progress) -> Outcome:
    return _export(job, progress, "xlsx")


@register(
    "results_json",
    label="导出考核结果（JSON）",
    permitted=may_export_results,
    content_type="application/json; charset=utf-8",
)
def run_results_json(job, progress) -> Outcome:
    return _export(job, progress, "json")
