import json
from decimal import Decimal

from kit.charts import two_axis_line_chart


def test_a_total_and_a_rank_share_the_years_each_on_its_own_axis_rank_one_on_top():
    chart = two_axis_line_chart(
        "years",
        "历年总分与名次",
        ["2014", "2015"],
        ("总分", [Decimal("92.00"), Decimal("88.5")]),
        ("名次", [38, 22]),
        right_inverse=True,
    )
    option = json.loads(json.dumps(chart.option))
    assert [s["yAxisIndex"] for s in option["series"]] == [0, 1]
    assert option["series"][0]["data"] == [92.0, 88.5]
    assert option["series"][1]["data"] == [38, 22]
    assert option["yAxis"][1]["inverse"] is True and option["yAxis"][1]["min"] == 1
    assert chart.headers == ["", "总分", "名次"]
    assert chart.rows == [["2014", "92", "38"], ["2015", "88.5", "22"]]
