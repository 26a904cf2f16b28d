"""Hole 6 of the security issue: numbers typed into score inputs.

``1\n2`` in a rate field was read as 12, and ``1e9`` % was accepted. A number input is one
plain decimal (full-width digits allowed, spaces around it trimmed), nothing embedded, no
exponent, finite; a rate lies within what its rule allows (0–100 % by default); and what is
stored is the canonical decimal.
"""

from decimal import Decimal as D

import pytest

from rubrics.engine import SheetInputError, canonical_input, evaluate


@pytest.fixture(scope="module")
def rubric(build):
    return build.make(
        build.item("1", "rate_below", "4", {"points_per_point": "1"}, title="社区管理率"),
        build.item(
            "2",
            "brackets",
            "6",
            {"brackets": [{"min": "40", "points": "1"}, {"min": "50", "points": "2"}]},
            title="调撤率",
        ),
        build.item(
            "3",
            "brackets",
            "6",
            {
                "brackets": [{"min": "10", "points": "1"}, {"min": "200", "points": "2"}],
                "unit": "人",
            },
            title="培训人数",
        ),
        build.item("6", "discretionary", "6", title="企业信息"),
    )


def errors_of(rubric, items):
    with pytest.raises(SheetInputError) as caught:
        evaluate(rubric, {"subject": "东陈镇", "items": items})
    return caught.value.messages


class TestRefusedNumbers:
    @pytest.mark.parametrize("typed", ["1\n2", "1 2", "9\t9", "1\u30002"])
    def test_embedded_whitespace_is_refused_naming_item_and_value(self, rubric, typed):
        [message] = errors_of(rubric, {"1": {"rate": typed}})
        assert message.startswith("第 1 项「社区管理率」：比率「")
        assert "空格或换行" in message

    @pytest.mark.parametrize("typed", ["1e9", "1E2", "５e1", "1e-2"])
    def test_an_exponent_is_refused(self, rubric, typed):
        [message] = errors_of(rubric, {"1": {"rate": typed}})
        assert (
            message == f"第 1 项「社区管理率」：比率「{typed}」不能写成科学计数法，请直接写出数字"
        )

    @pytest.mark.parametrize("typed", ["NaN", "nan", "Infinity", "-inf", "sNaN", float("nan")])
    def test_not_a_number_is_refused(self, rubric, typed):
        [message] = errors_of(rubric, {"6": {"score": typed}})
        assert message == f"第 6 项「企业信息」：得分「{typed}」不是数字"

    @pytest.mark.parametrize("typed", ["100.5", "1000000000", "150%"])
    def test_a_rate_above_100_percent_is_refused(self, rubric, typed):
        [message] = errors_of(rubric, {"1": {"rate": typed}})
        assert message == f"第 1 项「社区管理率」：比率「{typed}」超过 100%"

    def test_a_bracket_value_in_percent_is_bounded_but_another_unit_is_not(self, rubric):
        [message] = errors_of(rubric, {"2": {"value": "101"}})
        assert message == "第 2 项「调撤率」：数值「101」超过 100%"
        result = evaluate(rubric, {"subject": "甲", "items": {"3": {"value": "250"}}})
        assert result.item("3").score == D(2)


class TestAcceptedNumbers:
    @pytest.mark.parametrize(
        "typed, rate",
        [
            (" 97.50\n", D("97.5")),
            ("９７．５", D("97.5")),
            ("\u3000９８\u3000", D(98)),
            ("95%", D(95)),
            ("９５％", D(95)),
            ("100", D(100)),
            ("0", D(0)),
            (96, D(96)),
            (96.5, D("96.5")),
        ],
    )
    def test_what_people_type_is_read(self, rubric, typed, rate):
        result = evaluate(rubric, {"subject": "甲", "items": {"1": {"rate": typed}}})
        assert result.item("1").explanation.startswith(f"实际 {rate.normalize():f}%")


class TestCanonicalInput:
    @pytest.mark.parametrize(
        "typed, stored",
        [
            (" 12.50\n", "12.5"),
            ("１２．５", "12.5"),
            ("95%", "95"),
            ("007", "7"),
            ("3.000", "3"),
            ("-0", "0"),
            (2.5, "2.5"),
            (4, 4),
        ],
    )
    def test_numbers_are_stored_as_canonical_decimals(self, typed, stored):
        assert canonical_input({"rate": typed}) == {"rate": stored}

    def test_other_values_are_kept(self):
        raw = {"passed": True, "na": False, "ratings": "90, 85", "levels": {"a": " 2 "}}
        assert canonical_input(raw) == {
            "passed": True,
            "na": False,
            "ratings": "90, 85",
            "levels": {"a": "2"},
        }

    def test_what_is_not_a_number_is_left_for_the_reader_to_refuse(self):
        assert canonical_input({"rate": "1\n2"}) == {"rate": "1\n2"}
        assert canonical_input({"rate": "1e9"}) == {"rate": "1e9"}
