"""Background work of the assessments app (imported by the jobs app at start-up).

- ``scores_import``: committing a big confirmed offline score workbook.
"""

from django.http import Http404
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, Cycle
from assessments.policy import import_side_refused, may_score_offline
from jobs.registry import JobError, Outcome, register
from kit.imports import STALE_MESSAGE, StalePlan
from kit.imports.uploads import GONE_MESSAGE, drop_pending, load_confirmed
from org.scope import scope_for

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
    try:
        content, meta = load_confirmed(params, job.requested_by)
    except Http404:
        raise JobError(GONE_MESSAGE) from None
    except StalePlan as exc:
        raise JobError(exc.message) from None
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
        errors = report.errors or ["评分表有错误"]
        shown = "；".join(errors[:5]) + (
            f"（另有 {len(errors) - 5} 处）" if len(errors) > 5 else ""
        )
        raise JobError(f"评分表有错误，未导入任何评分：{shown}。请核对后重新上传。")
    drop_pending(params["token"])
    return Outcome(
        summary=f"已导入「{cycle.title}」的 {len(report.changes):,} 项评分。",
        link=reverse("assessments:cycle_detail", args=[cycle.pk]),
    )
