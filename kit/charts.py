"""Charts for pages: an ECharts option built here, drawn by ``static/js/charts.js``.

A ``Chart`` holds the option (plain JSON: no functions, no Decimals) and the same numbers
as a table, which the page shows beside the chart for screen readers and for copying into
reports (``templates/_chart.html``). Pages never write ECharts options by hand: they call
one of the builders below, so every chart has a title, a legend, readable axes and its
table. PDFs do not use these (WeasyPrint runs no JavaScript): they keep server-drawn bars.

Plain Python: no Django import.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from kit.formatting import plain

PALETTE = ["#1a4f8b", "#c0392b", "#2e8b57", "#d68910", "#7d3c98", "#17a589", "#566573"]


@dataclass
class Chart:
    id: str
    title: str
    option: dict
    headers: list
    rows: list  # the table view: one list of cells per row (strings or numbers)
    height: int = 320
    # Points of the series that open a page when clicked: the option's data items carry
    # ``url``; charts.js follows it.
    clickable: bool = False
    note: str = ""
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        # ECharts writes its HTML tooltip with style attributes, which the pages'
        # Content-Security-Policy refuses; drawn on the canvas, the tooltip needs none.
        self.option.setdefault("tooltip", {})["renderMode"] = "richText"

    @property
    def option_id(self) -> str:
        return f"{self.id}-option"

    @property
    def series_count(self) -> int:
        return len(self.option.get("series", []))


def number(value):
    """A JSON number for a chart (Decimal → float), None stays None (a gap)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value


def cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal | float | int):
        return plain(Decimal(str(value)))
    return str(value)


def _base(title: str, *, legend: bool = True) -> dict:
    option = {
        "color": PALETTE,
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "item"},
        "grid": {"left": 48, "right": 24, "top": 56, "bottom": 64, "containLabel": True},
        "animation": False,
    }
    if legend:
        option["legend"] = {"bottom": 0, "type": "scroll"}
    return option


def bar_chart(
    chart_id: str,
    title: str,
    categories: list[str],
    series: list[tuple[str, list]],
    *,
    value_name: str = "",
    horizontal: bool = False,
    mark_line: tuple[str, float] | None = None,
    value_max=None,
    percent: bool = False,
    note: str = "",
) -> Chart:
    """Bars per category, one series per (name, values). ``mark_line`` draws a labelled line
    at a value (a quota, a mean); ``percent`` shows values as shares (0–100 with a % sign)."""
    option = _base(title, legend=len(series) > 1)
    option["tooltip"] = {"trigger": "axis", "axisPointer": {"type": "shadow"}}
    category_axis = {
        "type": "category",
        "data": categories,
        "axisLabel": {"interval": 0, "hideOverlap": True, "overflow": "truncate", "width": 96},
    }
    value_axis = {"type": "value", "name": value_name}
    if value_max is not None:
        value_axis["max"] = number(value_max)
    if percent:
        value_axis["axisLabel"] = {"formatter": "{value}%"}
    option["xAxis"], option["yAxis"] = (
        (value_axis, category_axis) if horizontal else (category_axis, value_axis)
    )
    if not horizontal and len(categories) > 6:
        category_axis["axisLabel"]["rotate"] = 30
    option["series"] = []
    for i, (name, values) in enumerate(series):
        s = {
            "name": name,
            "type": "bar",
            "data": [number(v) for v in values],
            "label": {"show": len(categories) <= 12, "position": "right" if horizontal else "top"},
        }
        if mark_line and i == 0:
            label, at = mark_line
            s["markLine"] = {
                "symbol": "none",
                "label": {"formatter": label, "position": "insideEndTop"},
                "lineStyle": {"type": "dashed", "color": "#c0392b"},
                "data": [{"xAxis" if horizontal else "yAxis": number(at)}],
            }
        option["series"].append(s)
    headers = ["", *[name for name, _ in series]]
    rows = [[c, *[cell(values[j]) for _, values in series]] for j, c in enumerate(categories)]
    height = max(320, 28 * len(categories) + 100) if horizontal else 320
    return Chart(chart_id, title, option, headers, rows, height=height, note=note)


def scatter_chart(
    chart_id: str,
    title: str,
    points: list[dict],
    *,
    x_name: str,
    y_name: str,
    diagonal: bool = False,
    groups: list[str] | None = None,
    note: str = "",
) -> Chart:
    """Points ``{"name", "x", "y", "url"?, "group"?}``; ``diagonal`` draws y = x (where the
    two measures agree); ``groups`` makes one series per group (e.g. per town)."""
    option = _base(title, legend=bool(groups) and len(groups) > 1)
    values = [number(p[k]) for p in points for k in ("x", "y") if p[k] is not None]
    low = min(values, default=0)
    high = max(values, default=100)
    pad = max((high - low) * 0.05, 1)
    lo, hi = round(low - pad), round(high + pad)
    option["xAxis"] = {
        "type": "value",
        "name": x_name,
        "min": lo,
        "max": hi,
        "nameLocation": "middle",
        "nameGap": 28,
    }
    option["yAxis"] = {"type": "value", "name": y_name, "min": lo, "max": hi}
    option["tooltip"] = {"trigger": "item"}
    by_group = {}
    for p in points:
        by_group.setdefault(p.get("group") or "", []).append(p)
    names = groups or [""]
    option["series"] = []
    for name in names:
        option["series"].append(
            {
                "name": name or title,
                "type": "scatter",
                "symbolSize": 9,
                "data": [
                    {
                        "name": p["name"],
                        "value": [number(p["x"]), number(p["y"])],
                        **({"url": p["url"]} if p.get("url") else {}),
                    }
                    for p in by_group.get(name, [])
                ],
            }
        )
    if diagonal:
        option["series"].append(
            {
                "name": "自评 = 审核",
                "type": "line",
                "data": [[lo, lo], [hi, hi]],
                "symbol": "none",
                "silent": True,
                "lineStyle": {"type": "dashed", "color": "#999"},
            }
        )
    headers = ["", x_name, y_name]
    rows = [[p["name"], cell(p["x"]), cell(p["y"])] for p in points]
    if groups:
        headers.insert(1, "分组")
        rows = [[p["name"], p.get("group", ""), cell(p["x"]), cell(p["y"])] for p in points]
    return Chart(
        chart_id,
        title,
        option,
        headers,
        rows,
        height=360,
        clickable=any(p.get("url") for p in points),
        note=note,
    )


def line_chart(
    chart_id: str,
    title: str,
    categories: list[str],
    series: list[tuple[str, list]],
    *,
    value_name: str = "",
    inverse: bool = False,
    note: str = "",
) -> Chart:
    """Lines over categories (years, months); ``inverse`` puts small values on top (rank)."""
    option = _base(title, legend=len(series) > 1)
    option["tooltip"] = {"trigger": "axis"}
    option["xAxis"] = {"type": "category", "data": categories}
    option["yAxis"] = {
        "type": "value",
        "name": value_name,
        "inverse": inverse,
        "minInterval": 1 if inverse else 0,
    }
    option["series"] = [
        {
            "name": name,
            "type": "line",
            "data": [number(v) for v in values],
            "connectNulls": False,
            "label": {"show": True},
        }
        for name, values in series
    ]
    headers = ["", *[name for name, _ in series]]
    rows = [[c, *[cell(values[j]) for _, values in series]] for j, c in enumerate(categories)]
    return Chart(chart_id, title, option, headers, rows, note=note)


def boxplot_chart(
    chart_id: str,
    title: str,
    groups: list[tuple[str, list]],
    *,
    value_name: str = "",
    mark_line: tuple[str, float] | None = None,
    note: str = "",
) -> Chart:
    """The distribution of values per group (min, quartiles, median, max), e.g. totals per town."""
    from statistics import median

    def five(values):
        v = sorted(number(x) for x in values if x is not None)
        if not v:
            return [None] * 5
        half = len(v) // 2
        lower = v[:half] if len(v) > 1 else v
        upper = v[half + (len(v) % 2) :] if len(v) > 1 else v
        return [v[0], median(lower), median(v), median(upper), v[-1]]

    option = _base(title, legend=False)
    option["xAxis"] = {
        "type": "category",
        "data": [name for name, _ in groups],
        "axisLabel": {"interval": 0, "rotate": 30 if len(groups) > 6 else 0},
    }
    option["yAxis"] = {"type": "value", "name": value_name, "scale": True}
    stats = [five(values) for _, values in groups]
    series = {"name": title, "type": "boxplot", "data": stats}
    if mark_line:
        label, at = mark_line
        series["markLine"] = {
            "symbol": "none",
            "label": {"formatter": label, "position": "insideEndTop"},
            "lineStyle": {"type": "dashed", "color": "#c0392b"},
            "data": [{"yAxis": number(at)}],
        }
    option["series"] = [series]
    option["tooltip"] = {"trigger": "item"}
    headers = ["", "最低", "下四分位", "中位数", "上四分位", "最高", "单位数"]
    rows = [
        [name, *[cell(x) for x in s], len([v for v in values if v is not None])]
        for (name, values), s in zip(groups, stats, strict=True)
    ]
    return Chart(chart_id, title, option, headers, rows, height=360, note=note)


def stacked_bar_chart(
    chart_id: str,
    title: str,
    categories: list[str],
    series: list[tuple[str, list]],
    *,
    value_name: str = "",
    total_label: str = "",
    note: str = "",
) -> Chart:
    """Horizontal bars per category made of one segment per series (e.g. sheets per state
    in each town), stacked; ``total_label`` adds a column of the category's sum to the table."""
    option = _base(title, legend=True)
    option["tooltip"] = {"trigger": "axis", "axisPointer": {"type": "shadow"}}
    option["xAxis"] = {"type": "value", "name": value_name, "minInterval": 1}
    option["yAxis"] = {
        "type": "category",
        "data": categories,
        "inverse": True,  # the first category on top, as in the table
        "axisLabel": {"interval": 0, "overflow": "truncate", "width": 96},
    }
    option["series"] = [
        {
            "name": name,
            "type": "bar",
            "stack": "total",
            # an empty segment is a gap, not a "0" label on a bar of no width
            "data": [number(v) if v else None for v in values],
            "label": {"show": len(categories) <= 12, "formatter": "{c}"},
            "emphasis": {"focus": "series"},
        }
        for name, values in series
    ]
    headers = ["", *[name for name, _ in series]]
    rows = [[c, *[cell(values[j]) for _, values in series]] for j, c in enumerate(categories)]
    if total_label:
        headers.append(total_label)
        for j, row in enumerate(rows):
            row.append(cell(sum((values[j] or 0) for _, values in series)))
    height = max(240, 32 * len(categories) + 120)
    return Chart(chart_id, title, option, headers, rows, height=height, note=note)


def two_axis_line_chart(
    chart_id: str,
    title: str,
    categories: list[str],
    left: tuple[str, list],
    right: tuple[str, list],
    *,
    right_inverse: bool = False,
    right_max=None,
    note: str = "",
) -> Chart:
    """Two lines over the same categories, each on its own value axis (left and right), e.g.
    a total and a rank; ``right_inverse`` puts small values of the right axis on top (rank 1
    at the top), ``right_max`` ends that axis (the number ranked)."""
    option = _base(title)
    option["grid"]["top"] = 80  # room for the two axis names under the title
    option["tooltip"] = {"trigger": "axis"}
    option["xAxis"] = {"type": "category", "data": categories}
    right_axis = {"type": "value", "name": right[0], "splitLine": {"show": False}}
    if right_inverse:
        right_axis.update(inverse=True, min=1, minInterval=1)
    if right_max is not None:
        right_axis["max"] = number(right_max)
    option["yAxis"] = [{"type": "value", "name": left[0], "scale": True}, right_axis]
    option["series"] = [
        {
            "name": name,
            "type": "line",
            "yAxisIndex": axis,
            "data": [number(v) for v in values],
            "connectNulls": False,
            "label": {"show": True},
        }
        for axis, (name, values) in enumerate((left, right))
    ]
    headers = ["", left[0], right[0]]
    rows = [[c, cell(left[1][j]), cell(right[1][j])] for j, c in enumerate(categories)]
    return Chart(chart_id, title, option, headers, rows, note=note)
