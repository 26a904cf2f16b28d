"""The assessment work that runs in the background (read by the jobs app at start-up):
computing a cycle, exporting its results, committing a big offline score workbook; the
whole-cycle files are in ``file_jobs``."""

import tempfile
from pathlib import Path

from django.urls import reverse

from assessments import (  # noqa: F401  file_jobs: cycle_summary, score_workbook
    exports,
    file_jobs,
    publicity,  # noqa: F401  its periodic work: the end of a 公示
    services,
)
from assessments.compute import cycle_compute
from assessments.models import Assessment, Cycle
from assessments.policy import import_side_refused, may_administer, may_score_offline
from assessments.services import WorkflowError
from jobs.registry import JobError, Outcome, register
from jobs.uploads import confirmed_upload
from kit.imports import STALE_MESSAGE
from kit.imports.problems import first_problems
from kit.imports.uploads import drop_pending
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


# --- offline score workbook import --------------------------------------------------------

SCORES_IMPORT = "scores_import"


def _scores_permitted(user, params) -> bool:
    scope = scope_for(user)
    sheets = list(Assessment.objects.filter(pk__in=params.get("sheets", [])))
    return may_score_offline(scope) and not import_side_refused(scope, sheets, params["side"])


@register(SCORES_IMPORT, label="导入离线评分", permitted=_scores_permitted)
def scores_import(job, progress):
    """Commit a big confirmed offline score workbook: the stored file must be the one
    previewed (``load_confirmed``) and the plan the one shown (its fingerprint covers the
    sheets' versions), and every sheet is saved in one transaction, or none."""
    params = job.params
    progress.stage("正在读取评分表")
    content, meta = confirmed_upload(job)
    cycle = Cycle.objects.filter(pk=params["cycle"]).select_related("rubric").first()
    if cycle is None:
        raise JobError("该考核周期已删除，未导入任何评分。")
    by_id = Assessment.objects.select_related("cycle__rubric").in_bulk(params["sheets"])
    sheets = [by_id[pk] for pk in params["sheets"] if pk in by_id]
    progress.stage("正在保存评分")
    report = services.scores_import(
        cycle=cycle,
        content=content,
        side=params["side"],
        user=job.requested_by,
        sheets=sheets,
        commit=True,
        expected=params["fingerprint"] or "-",
        file_name=meta.get("file_name", ""),
    )
    if report.stale:
        raise JobError(STALE_MESSAGE)
    if not report.saved:
        shown = first_problems(report.errors or ["评分表有错误"])
        raise JobError(f"评分表有错误，未导入任何评分：{shown}。请核对后重新上传。")
    drop_pending(params["token"])
    return Outcome(
        summary=f"已导入「{cycle.title}」的 {len(report.changes):,} 项评分。"
        + (f"{len(report.left_out)} 个单位未提交或不能修改，未导入。" if report.left_out else ""),
        link=reverse("assessments:cycle_detail", args=[cycle.pk]),
    )
