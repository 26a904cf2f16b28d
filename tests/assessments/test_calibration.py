"""Calibration across towns: the outlier rule worked by hand, the figures of a cycle with one
lenient town, who may open the page and what it says."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import calibration as calib
from assessments.calibration import HIGH, LOW, spread_flags
from tests.assessments.calibration_data import lenient_cycle

D = Decimal


class TestSpreadFlags:
    def test_a_town_more_than_one_and_a_half_deviations_above_is_flagged_high(self):
        # means 80, 80, 80, 92 around the cycle's 83: mean of towns 83, deviations −3 ×3
        # and 9, σ² = (27 + 81) / 4 = 27, 2.25 σ² = 60.75; 9² = 81 > 60.75, 3² = 9 is not.
        spread = spread_flags({"甲": D(80), "乙": D(80), "丙": D(80), "丁": D(92)}, D(83))
        assert spread.flags == {"甲": "", "乙": "", "丙": "", "丁": HIGH}
        assert spread.sd**2 == D(27)
        assert spread.sd_shown == D("5.20")  # √27 = 5.196…
        assert spread.threshold == D("7.79")  # 1.5 × 5.196… = 7.794…

    def test_a_town_far_below_is_flagged_low(self):
        spread = spread_flags({"甲": D(90), "乙": D(90), "丙": D(90), "丁": D(78)}, D(87))
        assert spread.flags["丁"] == LOW and not spread.flags["甲"]

    def test_the_distance_is_counted_from_the_cycle_figure_not_the_mean_of_towns(self):
        # town means 80, 84, 84, 84 (σ² = 3, 2.25 σ² = 6.75); the cycle's mean is 83 (the
        # low town has more units): 80 is 3 below it (9 > 6.75, flagged), 84 is 1 above.
        spread = spread_flags({"甲": D(80), "乙": D(84), "丙": D(84), "丁": D(84)}, D(83))
        assert spread.flags == {"甲": LOW, "乙": "", "丙": "", "丁": ""}

    def test_exactly_one_and_a_half_deviations_is_not_flagged(self):
        # values 0, 0, 0, 0, 10, 10, 10, 10: σ = 5, 1.5 σ = 7.5. Around 7.5 the zeros are
        # exactly 7.5 away (not more); around 7.6 they are beyond it.
        values = dict(zip("abcdefgh", [D(0)] * 4 + [D(10)] * 4, strict=True))
        assert spread_flags(values, D("7.5")).sd == D(5)
        assert not any(spread_flags(values, D("7.5")).flags.values())
        assert spread_flags(values, D("7.6")).flags["a"] == LOW
        assert spread_flags(values, D("7.6")).flags["e"] == ""

    def test_towns_all_alike_or_a_single_town_are_never_flagged(self):
        assert not any(spread_flags({"甲": D(85), "乙": D(85)}, D(85)).flags.values())
        alone = spread_flags({"甲": D(85)}, D(85))
        assert alone.flags == {"甲": ""} and alone.sd is None

    def test_a_town_without_the_figure_is_left_out_of_the_spread(self):
        spread = spread_flags({"甲": D(1), "乙": D(3), "丙": None}, D(2))
        assert spread.sd == D(1) and spread.flags["丙"] == ""


@pytest.mark.django_db
class TestLenientTown:
    def test_the_lenient_town_is_flagged_on_mean_gap_and_share(self, world):
        data = calib.calibration(lenient_cycle(world))
        rows = {t.town: t for t in data.towns}
        assert [t.town for t in data.towns] == ["湖塘镇", "东陈镇", "礼嘉镇", "雪堰镇", "前黄镇"]
        assert {t: r.mean for t, r in rows.items()} == {
            "湖塘镇": D("96.5"),
            "东陈镇": D("82.5"),
            "礼嘉镇": D(84),
            "雪堰镇": D("78.5"),
            "前黄镇": D("82.5"),
        }
        assert data.count == 10 and data.mean.centre == D("84.8")
        assert data.mean.sd**2 == D("37.56")
        assert data.gap.centre == D("13.2") and rows["湖塘镇"].gap == D("1.5")
        assert rows["雪堰镇"].gap == D("19.5") and rows["雪堰镇"].gap_count == 2
        assert data.share.centre == D(30) and data.share.sd == D(40)
        assert rows["湖塘镇"].flags == {"mean": HIGH, "gap": LOW, "share": HIGH}
        assert [t.town for t in data.flagged_towns] == ["湖塘镇"]
        assert [t.town for t in data.towns if t.over_quota] == ["湖塘镇", "礼嘉镇"]
        assert data.totals["雪堰镇"] == [D(69), D(88)]
        assert all(t.spot_check is None for t in data.towns)

    def test_the_page_reads_a_fixed_number_of_queries(
        self, world, client_for, django_assert_max_num_queries
    ):
        cycle = lenient_cycle(world)
        client = client_for("admin")
        with django_assert_max_num_queries(20):
            response = client.get(reverse("assessments:calibration", args=[cycle.pk]))
        assert response.status_code == 200

    def test_the_page_states_the_rule_and_flags_the_town(self, world, client_for):
        cycle = lenient_cycle(world)
        html = client_for("admin").get(reverse("assessments:calibration", args=[cycle.pk]))
        text = html.content.decode()
        assert "超过 1.5 倍标准差" in text and "总体标准差" in text
        assert "全周期平均 84.8 分，各镇标准差 6.13，超过 ±9.19 分标出" in text
        assert "标出的镇：<strong>湖塘镇</strong>" in text
        assert text.count("未开展抽查") == 5
        assert "超出名额" in text

    def test_a_town_reviewer_and_a_coordinator_are_not_shown_the_page(self, world, client_for):
        cycle = lenient_cycle(world)
        url = reverse("assessments:calibration", args=[cycle.pk])
        assert client_for("reviewer_a").get(url).status_code == 404
        assert client_for("coordinator_a").get(url).status_code == 404

    def test_a_bureau_viewer_sees_it_once_published_and_the_links_appear(self, world, client_for):
        cycle = lenient_cycle(world)
        url = reverse("assessments:calibration", args=[cycle.pk])
        viewer = client_for("viewer")
        assert viewer.get(url).status_code == 404
        cycle.state = cycle.State.PUBLISHED
        cycle.save(update_fields=["state"])
        assert viewer.get(url).status_code == 200
        for page in ("assessments:cycle_detail", "assessments:results"):
            assert url in viewer.get(reverse(page, args=[cycle.pk])).content.decode(), page
        reviewer = client_for("reviewer_a")
        assert (
            url
            not in reviewer.get(reverse("assessments:results", args=[cycle.pk])).content.decode()
        )

    def test_a_viewer_of_one_town_does_not_cover_the_cycle(self, world, client_for):
        cycle = lenient_cycle(world)
        cycle.state = cycle.State.PUBLISHED
        cycle.save(update_fields=["state"])
        world.users["viewer"].units.set([world.town_a])
        url = reverse("assessments:calibration", args=[cycle.pk])
        assert client_for("viewer").get(url).status_code == 404


@pytest.mark.django_db
def test_a_cycle_without_results_says_so(world, client_for):
    from assessments import services
    from tests.conftest import import_seed_rubric

    cycle = services.cycle_create(
        title="未计算",
        year=2026,
        rubric=import_seed_rubric("changzhou-community"),
        units=[world.unit_a],
        user=world.users["admin"],
    )
    response = client_for("admin").get(reverse("assessments:calibration", args=[cycle.pk]))
    assert "还没有计算结果" in response.content.decode()
