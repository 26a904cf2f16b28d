from decimal import Decimal as D

import pytest

from rubrics.engine import NumberError, round_points, round_yuan, to_decimal
from rubrics.engine.rounding import fmt


class TestRoundPoints:
    def test_half_rounds_up_not_to_even(self):
        # banker's rounding would give 0.12 and 2; 四舍五入 gives 0.13 and 3
        assert round_points(D("0.125"), 2) == D("0.13")
        assert round_points(D("2.5"), 0) == D(3)

    def test_below_half_rounds_down(self):
        assert round_points(D("3.1372549"), 2) == D("3.14")
        assert round_points(D("3.1349"), 2) == D("3.13")

    def test_result_has_exactly_the_places(self):
        assert str(round_points(D(5), 2)) == "5.00"
        assert str(round_points(D("5.5"), 1)) == "5.5"

    def test_round_yuan_half_up(self):
        assert round_yuan(D("81000.5")) == D(81001)
        assert round_yuan(D("1111.05")) == D(1111)
        assert str(round_yuan(D("3000.00"))) == "3000"


class TestToDecimal:
    @pytest.mark.parametrize(
        "raw, expected",
        [
            (3, D(3)),
            ("2.5", D("2.5")),
            (" 2.5 ", D("2.5")),
            ("1 000", D(1000)),
            (D("0.5"), D("0.5")),
            (0.2, D("0.2")),  # through str(), not the binary float 0.2000000000000000111…
            ("７", D(7)),
            ("１２．５", D("12.5")),
            ("\u3000８\u3000", D(8)),  # full-width spaces around
            ("－３", D(-3)),
            ("-0", D(0)),
        ],
    )
    def test_accepts_what_people_type(self, raw, expected):
        assert to_decimal(raw, what="得分") == expected

    def test_percent_sign_only_when_allowed(self):
        assert to_decimal("95%", what="完成率", allow_percent=True) == D(95)
        assert to_decimal("９５％", what="完成率", allow_percent=True) == D(95)
        with pytest.raises(NumberError):
            to_decimal("95%", what="得分")

    @pytest.mark.parametrize("raw", ["abc", "12O0", "", "NaN", "inf", "1_000", True, None, [1]])
    def test_rejects_with_a_chinese_message_naming_the_value(self, raw):
        with pytest.raises(NumberError) as caught:
            to_decimal(raw, what="目标值")
        assert str(caught.value).startswith("目标值「")
        assert str(caught.value).endswith("」不是数字")

    def test_message_quotes_the_raw_text(self):
        with pytest.raises(NumberError, match="目标值「12O0」不是数字"):
            to_decimal("12O0", what="目标值")


class TestFmt:
    def test_drops_trailing_zeros_and_exponents(self):
        assert fmt(D("5.00")) == "5"
        assert fmt(D("0.50")) == "0.5"
        assert fmt(D("3.14")) == "3.14"
        assert fmt(D("1E+2")) == "100"
        assert fmt(D("10")) == "10"
        assert fmt(D("-0.00")) == "0"
