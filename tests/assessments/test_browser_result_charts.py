"""The demo's results pages draw their charts in a real browser under the
Content-Security-Policy: the grade distribution with the quota line, the section averages
as a share of their points, self against review with the diagonal (a point opens its
unit's sheet); each chart's table holds the numbers it draws; and the pages fit a phone."""

import math
import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command

from accounts.models import User
from assessments.models import Cycle, ItemScore
from tests.browser import chromium_page, log_in
from tests.foundation.test_browser_csp import Watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GRADES = ["优秀", "合格", "基本合格", "不合格"]  # 湖塘 and 常州: the bands, then the fallback


def one_place(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.1"), ROUND_HALF_UP))


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    admin = User.objects.get(username="admin")
    admin.set_password("pw-admin")
    admin.save()
    return {c.title[:4]: c for c in Cycle.objects.all()}


def expected_sections(cycle) -> list[float]:
    """Each section's mean subtotal over its points, in percent, worked out from the stored
    results; the bonus section (湖塘 加分项, 26: 省级 7 / 市级 5 / 区级 3) as the mean
    bonus over its 7 points."""
    results = list(cycle.results.all())
    shares = []
    first = results[0].detail["phases"]["annual"]["sections"]
    for i, section in enumerate(first):
        top = Decimal(section["items_max"])
        if not top:
            continue
        total = sum(
            Decimal(r.detail["phases"]["annual"]["sections"][i]["subtotal"]) for r in results
        )
        shares.append(one_place(total / len(results) * 100 / top))
    if cycle.rubric.code.startswith("hutang"):
        bonus = sum(r.bonus for r in results)
        shares.append(one_place(bonus / len(results) * 100 / Decimal(7)))
    return shares


def with_self_scores(cycle) -> int:
    """Units whose sheet carries self scores: the points of the scatter."""
    return (
        ItemScore.objects.filter(assessment__cycle=cycle, side="self", score__isnull=False)
        .values("assessment__unit")
        .distinct()
        .count()
    )


def chart_series(page, chart_id):
    return page.evaluate(
        """(id) => {
            const el = document.getElementById(id);
            const chart = window.appCharts.find((c) => c.getDom() === el);
            return chart.getOption().series.map((s) => ({
                name: s.name, type: s.type, markLine: s.markLine ? s.markLine.data : null,
                data: s.data.map((d) => (d && d.value !== undefined ? d.value : d)),
            }));
        }""",
        chart_id,
    )


def table_rows(page, chart_id):
    return page.evaluate(
        """(id) => Array.from(document.querySelectorAll(
              `figure[data-chart="${id}"] .chart-table tbody tr`)).map(
              (tr) => Array.from(tr.children).map((c) => c.textContent.trim()))""",
        chart_id,
    )


def open_results(page, base, cycle, watch):
    watch.visit(f"{base}/cycles/{cycle.pk}/results/")
    page.wait_for_function(
        "document.querySelectorAll('figure.chart').length > 0 && "
        "Array.from(document.querySelectorAll('figure.chart')).every((f) => f.dataset.drawn)"
    )


def test_the_demo_results_pages_draw_their_charts_with_the_numbers_of_their_tables(
    live_server, demo
):
    base = live_server.url
    hutang, changzhou = demo["湖塘镇2"], demo["常州市2"]
    with chromium_page() as page:
        watch = Watch(page)
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        log_in(page, base, "admin")

        # 湖塘 2014: 44 communities, no quota; 40 优秀 and 4 合格 in the demo
        open_results(page, base, hutang, watch)
        grades = Counter(hutang.results.values_list("grade", flat=True))
        series = chart_series(page, "chart-grades")
        assert len(series) == 1 and series[0]["markLine"] is None
        assert series[0]["data"] == [grades.get(g, 0) for g in GRADES]
        assert table_rows(page, "chart-grades") == [[g, str(grades.get(g, 0))] for g in GRADES]

        series = chart_series(page, "chart-sections")
        shares = expected_sections(hutang)
        assert len(series) == 1 and len(series[0]["data"]) == 7 == len(shares)
        assert series[0]["data"] == shares
        rows = table_rows(page, "chart-sections")
        assert [float(r[3]) for r in rows] == shares
        # 3 × 7 + 6 × 5 + 3 × 3 = 60 points of bonus over 44 communities: 1.36 of 7
        assert rows[-1] == ["加分项", "1.36", "7", "19.5"]

        series = chart_series(page, "chart-self-review")
        assert [s["type"] for s in series] == ["scatter", "line"]  # the units, the diagonal
        assert len(series[0]["data"]) == with_self_scores(hutang) == 44
        rows = table_rows(page, "chart-self-review")
        drawn = sorted(tuple(p) for p in series[0]["data"])
        assert sorted((float(r[2]), float(r[3])) for r in rows) == drawn

        # 常州 2015: 30% of 44 communities is 13 优秀, advisory; two sheets left unfilled
        open_results(page, base, changzhou, watch)
        grades = Counter(changzhou.results.values_list("grade", flat=True))
        series = chart_series(page, "chart-grades")
        assert series[0]["data"] == [grades.get(g, 0) for g in GRADES]
        assert [d["yAxis"] for d in series[0]["markLine"]] == [math.floor(0.3 * 44)]
        assert "44 个单位的 30%，向下取整为 13 个" in page.inner_text(
            "figure[data-chart=chart-grades]"
        )
        series = chart_series(page, "chart-sections")
        assert series[0]["data"] == expected_sections(changzhou)
        series = chart_series(page, "chart-self-review")
        assert len(series[0]["data"]) == with_self_scores(changzhou) == 42

        # the tooltips show without breaking the policy
        for chart_id in ("chart-grades", "chart-sections", "chart-self-review"):
            page.hover(f"#{chart_id}")
            page.mouse.move(0, 0)

        # a point opens its unit's sheet
        target = page.evaluate(
            """() => {
                const el = document.getElementById("chart-self-review");
                const chart = window.appCharts.find((c) => c.getDom() === el);
                const point = chart.getOption().series[0].data[0];
                const [x, y] = chart.convertToPixel({seriesIndex: 0}, point.value);
                const box = el.getBoundingClientRect();
                return {x: box.left + x, y: box.top + y, url: point.url};
            }"""
        )
        page.mouse.click(target["x"], target["y"])
        # (another unit with the same two totals may lie on top: it opens that one's sheet)
        page.wait_for_url(re.compile(r".*/cycles/sheets/\d+/$"))
        assert "/cycles/sheets/" in target["url"]
        assert not watch.problems, "\n".join(watch.problems)
        assert not errors, errors


def test_the_results_pages_fit_a_phone_and_a_desktop(live_server, demo, tmp_path):
    base = live_server.url
    for width, height in ((1280, 900), (390, 844)):
        with chromium_page(width=width, height=height) as page:
            watch = Watch(page)
            log_in(page, base, "admin")
            for name, cycle in demo.items():
                open_results(page, base, cycle, watch)
                page.screenshot(path=tmp_path / f"results-{cycle.pk}-{width}.png", full_page=True)
                fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
                assert fits, f"{name} at {width} px"
            assert not watch.problems, watch.problems
    # 新建 2021 weighs a process and an annual assessment: both columns are shown
    xinjian = demo["新建区2"]
    with chromium_page(width=390, height=844) as page:
        log_in(page, base, "admin")
        page.goto(f"{base}/cycles/{xinjian.pk}/results/")
        heads = page.locator("table.results thead th").all_inner_texts()
        assert "过程考核（30%）" in heads and "年度考核（70%）" in heads
