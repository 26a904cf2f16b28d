import hashlib
import json
from decimal import Decimal
from pathlib import Path

from django.template.loader import render_to_string

from kit.charts import bar_chart, boxplot_chart, scatter_chart

VENDOR = Path(__file__).resolve().parents[2] / "static" / "vendor" / "echarts"


def test_the_vendored_echarts_is_the_file_its_checksum_names():
    for line in (VENDOR / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split()
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
    assert (VENDOR / "LICENSE").read_text().startswith("\n") or "Apache License" in (
        VENDOR / "LICENSE"
    ).read_text()
    assert "Apache ECharts" in (VENDOR / "NOTICE").read_text()


def test_a_chart_carries_plain_numbers_and_the_same_numbers_as_its_table():
    chart = bar_chart(
        "grades",
        "等次分布",
        ["优秀", "良好"],
        [("单位数", [Decimal("3"), 5])],
        mark_line=("名额", 2),
    )
    option = json.loads(json.dumps(chart.option))  # nothing that JSON cannot carry
    assert option["series"][0]["data"] == [3.0, 5]
    assert option["series"][0]["markLine"]["data"] == [{"yAxis": 2}]
    assert chart.rows == [["优秀", "3"], ["良好", "5"]]


def test_a_boxplot_states_the_five_numbers_of_each_group():
    chart = boxplot_chart("b", "各镇", [("甲", [80, 85, 90, 95])])
    assert chart.option["series"][0]["data"] == [[80, 82.5, 87.5, 92.5, 95]]
    assert chart.rows[0] == ["甲", "80", "82.5", "87.5", "92.5", "95", 4]


def test_a_scatter_point_with_a_page_makes_the_chart_clickable_and_the_include_renders_it():
    chart = scatter_chart(
        "s",
        "自评与审核",
        [{"name": "甲", "x": 90, "y": 80, "url": "/cycles/1/"}],
        x_name="自评",
        y_name="审核",
        diagonal=True,
    )
    html = render_to_string("_chart.html", {"chart": chart})
    assert 'id="s-option"' in html and 'data-clickable="1"' in html
    assert '<th scope="row">甲</th>' in html
    assert "style=" not in html and "onclick" not in html
