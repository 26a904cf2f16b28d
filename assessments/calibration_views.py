"""The calibration page of a cycle (各镇校准): the towns' results side by side, with the
towns whose scoring stands out flagged by the rule in ``assessments.calibration``."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments import calibration as calib
from assessments.policy import get_calibration_cycle_for_user
from kit.charts import bar_chart, boxplot_chart
from kit.formatting import plain


def _line(label: str, value):
    return None if value is None else (f"{label} {plain(calib.shown(value))}", calib.shown(value))


def calibration_charts(data: calib.Calibration) -> list:
    """The page's charts: totals per town (boxplot), mean review total, self-vs-review gap
    and top-grade share per town, each with the cycle's figure (or the quota) as a line."""
    names = [t.town for t in data.towns]
    charts = [
        boxplot_chart(
            "calibration-totals",
            "各镇总分分布",
            [(t.town, data.totals.get(t.town, [])) for t in data.towns],
            value_name="总分",
            mark_line=_line("全周期平均", data.mean.centre),
        ),
        bar_chart(
            "calibration-means",
            "各镇平均审核总分",
            names,
            [("平均审核总分", [t.mean_shown for t in data.towns])],
            value_name="分",
            mark_line=_line("全周期平均", data.mean.centre),
        ),
        bar_chart(
            "calibration-gaps",
            "各镇自评与审核之差（平均自评 − 平均审核）",
            names,
            [("自评 − 审核", [t.gap_shown for t in data.towns])],
            value_name="分",
            mark_line=_line("全周期", data.gap.centre),
        ),
        bar_chart(
            "calibration-shares",
            f"各镇{data.grade}占比",
            names,
            [(f"{data.grade}占比", [t.share_shown for t in data.towns])],
            value_name="%",
            percent=True,
            mark_line=_line("名额", data.quota) or _line("全周期", data.share.centre),
        ),
    ]
    return charts


@login_required
@require_GET
def calibration(request, pk):
    cycle, _can = get_calibration_cycle_for_user(request.user, pk)
    data = calib.calibration(cycle)
    context = {
        "cycle": cycle,
        "data": data,
        "charts": [] if data.empty else calibration_charts(data),
        "k": calib.K,
    }
    return render(request, "assessments/calibration.html", context)
