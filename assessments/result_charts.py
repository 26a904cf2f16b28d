"""The results page's charts, built from its panels (``summary.panels``): the grade
distribution with the quota line, the section averages as a share of their points, and
self against review per unit. Each is a ``kit.charts.Chart`` with its table view; the
printed summary keeps its server-drawn bars."""

from __future__ import annotations

import math
from urllib.parse import urlencode

from django.urls import reverse

from kit.charts import PALETTE, Chart, bar_chart, cell, scatter_chart

GROUPED_TOWNS = len(PALETTE)
SLOT = 987654321  # points are coloured by town when there are 2 to this many


def _noun(shown: dict) -> str:
    return "人数" if shown.get("subject") == "coordinator" else "单位数"


def grade_chart(shown: dict) -> Chart:
    """Results per grade in the rubric's order (grades nobody has included), and the grades
    by points before the quota moved them when it moved any; the quota as a dashed line."""
    order = shown["grade_order"]
    after = dict(shown["distribution"])
    series = [("最终等次", [after.get(g, 0) for g in order])]
    if shown["before"]:
        before = dict(shown["before"])
        series.append(("按得分（名额调整前）", [before.get(g, 0) for g in order]))
    quota = shown["quota"]
    chart = bar_chart(
        "chart-grades",
        "等次分布",
        order,
        series,
        value_name=_noun(shown),
        mark_line=(quota["label"], quota["at"]) if quota and quota["at"] is not None else None,
        note=quota["note"] if quota else "",
    )
    if len(series) == 1:
        chart.option["grid"]["bottom"] = 24  # no legend to make room for
    y_axis = chart.option["yAxis"]
    y_axis["minInterval"] = 1
    highest = max((v for _n, values in series for v in values), default=0)
    if quota and quota["at"] is not None and quota["at"] >= highest:  # keep the line in view
        y_axis["max"] = math.ceil(float(quota["at"]) * 1.15) + 1
    chart.headers = ["等次", *[name for name, _v in series]]
    return chart


def section_chart(shown: dict) -> Chart | None:
    rows = shown["section_averages"]
    if not rows:
        return None
    notes = []
    bonus = next((r for r in rows if r.kind == "bonus"), None)
    penalties = next((r for r in rows if r.kind == "penalties"), None)
    full = sum((r.top for r in rows if r.kind == "section"), 0)
    notes.append("得分率 = 平均得分 ÷ 该部分分值")
    if bonus is not None:
        notes.append(f"「{bonus.title}」按加分上限 {cell(bonus.top)} 分计")
    if penalties is not None:
        notes.append(
            f"「{penalties.title}」画在零线左侧：平均扣分占基础分满分（{cell(full)} 分）的比例"
        )
    chart = bar_chart(
        "chart-sections",
        "各部分平均得分率",
        [r.title for r in rows],
        [("得分率", [r.share for r in rows])],
        value_name="%",
        horizontal=True,
        percent=True,
        value_max=100,
        note="；".join(notes) + "。",
    )
    series = chart.option["series"][0]
    series["label"] = {"show": True, "position": "insideRight", "formatter": "{c}%"}
    # a penalty's bar runs left of zero: its label goes beyond its end, not over the axis
    series["data"] = [
        {"value": v, "label": {"position": "left"}} if v is not None and v < 0 else v
        for v in series["data"]
    ]
    series["barMaxWidth"] = 22
    # long section titles: the axis shows the start, the tooltip and the table the whole
    chart.option["yAxis"]["axisLabel"].update({"width": 110, "overflow": "truncate"})
    chart.option["yAxis"]["inverse"] = True  # the rubric's order, top down
    chart.option["grid"].update({"left": 8, "right": 16, "bottom": 24})
    chart.headers = ["部分", "平均得分", "分值", "得分率（%）"]
    chart.rows = [
        [
            r.title,
            cell(-r.mean) if r.kind == "penalties" else cell(r.mean),
            "—" if r.top is None else cell(r.top),
            cell(r.share),
        ]
        for r in rows
    ]
    return chart


def _results_url(cycle, town: str) -> str:
    return reverse("assessments:results", args=[cycle.pk]) + "?" + urlencode({"town": town})


def scatter(cycle, shown: dict) -> Chart | None:
    """Each subject's self total against its review total, the diagonal where they agree;
    a point opens the subject's sheet (one town's mean opens that town's results)."""
    found = shown["points"]
    if not found:
        return None
    by = shown["points_by"]
    towns = sorted({p["town"] for p in found if p["town"]})
    grouped = 2 <= len(towns) <= GROUPED_TOWNS and all(p["town"] for p in found)
    # one reverse for up to 2,000 links: the sheet's id put into the path it gives
    sheet_url = reverse("assessments:sheet_detail", args=[SLOT]).replace(str(SLOT), "{}")
    points = []
    for p in found:
        url = None
        if p["sheet"]:
            url = sheet_url.format(int(p["sheet"]))
        elif by == "town" and p["town"]:
            url = _results_url(cycle, p["town"])
        point = {"name": p["name"], "x": p["self"], "y": p["review"], "url": url}
        if grouped:
            point["group"] = p["town"]
        points.append(point)
    notes = {
        "unit": "每点一个单位；在虚线（自评 = 考核）上两者一致，离虚线越远差距越大。"
        "点击一点打开该单位的考核表。",
        "town": "单位超过 2,000 个：每点为一个镇（街道）的平均自评总分与平均考核总分，"
        "点击打开该镇（街道）的结果。",
        "gap": "这一版结果计算时只保存了差距最大的 10 个单位，重新计算后显示每个单位。",
    }
    chart = scatter_chart(
        "chart-self-review",
        "自评与考核得分",
        points,
        x_name="自评总分",
        y_name="考核总分",
        diagonal=True,
        groups=towns if grouped else None,
        note=notes[by],
    )
    series = chart.option["series"]
    if not grouped:
        series[0]["name"] = "镇（街道）" if by == "town" else "单位"
    series[-1]["name"] = "自评 = 考核"
    series[-1]["itemStyle"] = {"color": "#999"}  # the legend's mark as grey as the line
    chart.option["legend"] = {"bottom": 0, "type": "scroll"}
    name = "镇（街道）" if by == "town" else "单位"
    chart.headers = [name, "镇（街道）", "自评总分", "考核总分", "差距（自评 − 考核）"]
    ordered = sorted(found, key=lambda p: -abs(p["self"] - p["review"]))
    chart.rows = [
        [
            p["name"],
            p["town"] or "—",
            cell(p["self"]),
            cell(p["review"]),
            cell(p["self"] - p["review"]),
        ]
        for p in ordered
    ]
    return chart


def results_charts(cycle, shown: dict) -> dict:
    """{"grades", "sections", "scatter"} (a chart or None each); nothing without results."""
    if not shown["count"]:
        return {}
    charts = {
        "grades": grade_chart(shown),
        "sections": section_chart(shown),
        "scatter": scatter(cycle, shown),
    }
    return charts
