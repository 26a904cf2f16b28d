"""The quota's tie rule: holders tied on total at the boundary are ordered by the rubric's
``quota.tie_break`` (a section's score, then the base total), and a tie that rule leaves is
the administrator's decision — never the order of names. Worked by hand below."""

from dataclasses import dataclass, replace
from decimal import Decimal as D

from rubrics.engine import absence_outcome, apply_quota, rank, rubric_from_dict, tie_rule_text

GRADES = [
    {"label": "优秀", "min": "90", "subsidy_percent": "120"},
    {"label": "合格", "min": "75", "subsidy_percent": "100"},
    {"label": "基本合格", "min": "60", "subsidy_percent": "0"},
]


def rubric(*, enforced=False, tie_break=("section:s3", "base_total")):
    item = {"number": "1", "title": "项", "max_points": "50", "kind": "discretionary"}
    return rubric_from_dict(
        {
            "code": "ties",
            "title": "同分测试",
            "grades": GRADES,
            "quota": {
                "grade": "优秀",
                "percent": "30",
                "enforced": enforced,
                "tie_break": list(tie_break),
            },
            "sections": [
                {"key": "s2", "title": "二、基础信息", "items": [{**item, "key": "a"}]},
                {"key": "s3", "title": "三、促进就业创业", "items": [{**item, "key": "b"}]},
            ],
        }
    )


@dataclass(frozen=True)
class Sub:
    key: str
    subtotal: D


@dataclass(frozen=True)
class Standing:
    """What ranking and the quota read of a sheet (as the cycle computation keeps it)."""

    subject: str
    total: D
    s3: D
    base_total: D
    town: str | None = None
    veto: object = None

    @property
    def grade(self):
        return "优秀" if self.total >= 90 else "合格" if self.total >= 75 else "基本合格"

    @property
    def subsidy_percent(self):
        return {"优秀": D(120), "合格": D(100)}.get(self.grade, D(0))

    @property
    def sections(self):
        return (Sub("s2", self.total - self.s3), Sub("s3", self.s3))


def ten(*top):
    """The given sheets, then filler sheets below 90 up to ten: ⌊30% × 10⌋ = 3 places."""
    filler = [Standing(f"Z{n}", D(80), D(20), D(80)) for n in range(10 - len(top))]
    return rank([*top, *filler])


def by_subject(decisions):
    return {d.subject: d for d in decisions}


class TestTieRule:
    def test_a_sections_score_breaks_the_tie_not_the_name(self):
        # 甲 98, 乙 95, then 丙 and 丁 at 94 for the third place: 丁 has 24 in section 三,
        # 丙 20, so 丁 is inside although 丙 comes first by name; 戊 (91) is over.
        sheets = ten(
            Standing("甲", D(98), D(25), D(98)),
            Standing("乙", D(95), D(25), D(95)),
            Standing("丙", D(94), D(20), D(94)),
            Standing("丁", D(94), D(24), D(94)),
            Standing("戊", D(91), D(25), D(91)),
        )
        got = by_subject(apply_quota(rubric(), sheets))
        assert not got["丁"].beyond and "排在名额之内" in got["丁"].reason
        assert got["丙"].beyond and not got["丙"].flagged_tie
        assert "与名额内的单位同为 94 分，按同分规则" in got["丙"].reason
        assert got["戊"].beyond and "排名第 5 位超出名额" in got["戊"].reason
        # advisory: nothing moves, the two over are flagged for a decision
        assert [got[n].grade_after for n in "丙丁戊"] == ["优秀"] * 3
        assert got["丙"].flagged and got["戊"].flagged and not got["丁"].flagged

    def test_the_base_total_decides_when_the_section_is_equal(self):
        # 丙 and 丁 both 94 with 24 in section 三; 丙's base total is 92 (2 bonus points),
        # 丁's 93: 丁 is inside.
        sheets = ten(
            Standing("甲", D(98), D(25), D(98)),
            Standing("乙", D(95), D(25), D(95)),
            Standing("丙", D(94), D(24), D(92)),
            Standing("丁", D(94), D(24), D(93)),
        )
        got = by_subject(apply_quota(rubric(enforced=True), sheets))
        assert got["丁"].grade_after == "优秀" and not got["丁"].beyond
        assert got["丙"].grade_after == "合格"  # enforced: the one outside moves down
        assert "由优秀调整为合格" in got["丙"].reason

    def test_a_tie_the_rule_leaves_waits_for_the_administrator(self):
        # 丙 and 丁 equal on total, section 三 and base total: one place for two. Neither
        # moves, even under an enforced quota; both are flagged as a tie.
        sheets = ten(
            Standing("甲", D(98), D(25), D(98)),
            Standing("乙", D(95), D(25), D(95)),
            Standing("丙", D(94), D(24), D(94)),
            Standing("丁", D(94), D(24), D(94)),
            Standing("戊", D(91), D(25), D(91)),
        )
        for enforced in (False, True):
            got = by_subject(apply_quota(rubric(enforced=enforced), sheets))
            for name in "丙丁":
                assert got[name].grade_after == "优秀"
                assert got[name].flagged and got[name].flagged_tie and got[name].beyond
                assert "2 个单位争 1 个名额" in got[name].reason
            assert not got["戊"].flagged_tie
            assert got["戊"].grade_after == ("合格" if enforced else "优秀")

    def test_three_tied_for_two_places(self):
        # 甲 98, then 乙 丙 丁 all 94 and equal on the rule: 3 − 1 = 2 places for three.
        sheets = ten(
            Standing("甲", D(98), D(25), D(98)),
            *(Standing(n, D(94), D(24), D(94)) for n in "乙丙丁"),
        )
        got = by_subject(apply_quota(rubric(), sheets))
        assert all("3 个单位争 2 个名额" in got[n].reason for n in "乙丙丁")

    def test_a_tie_inside_the_places_is_no_tie_at_the_boundary(self):
        sheets = ten(
            Standing("甲", D(98), D(25), D(98)),
            Standing("乙", D(95), D(24), D(95)),
            Standing("丙", D(95), D(24), D(95)),
            Standing("丁", D(91), D(24), D(91)),
        )
        got = by_subject(apply_quota(rubric(), sheets))
        assert not any(d.flagged_tie for d in got.values())
        assert got["丁"].beyond and not got["乙"].beyond and not got["丙"].beyond

    def test_without_a_rule_every_tie_at_the_boundary_is_the_administrators(self):
        sheets = ten(
            Standing("甲", D(98), D(25), D(98)),
            Standing("乙", D(95), D(25), D(95)),
            Standing("丙", D(94), D(20), D(94)),
            Standing("丁", D(94), D(24), D(94)),
        )
        got = by_subject(apply_quota(rubric(tie_break=()), sheets))
        assert got["丙"].flagged_tie and got["丁"].flagged_tie


class TestTheRuleInWords:
    def test_names_the_section_then_the_base_total(self):
        assert (
            tie_rule_text(rubric()) == "先比「三、促进就业创业」得分，再比基础分（不含加分、扣分）"
        )

    def test_says_when_the_rubric_has_none(self):
        assert tie_rule_text(rubric(tie_break=())) == "评分标准未规定同分排序"

    def test_an_unknown_section_is_a_format_error(self):
        import pytest

        from rubrics.engine import RubricFormatError

        with pytest.raises(RubricFormatError) as caught:
            rubric(tie_break=("section:s9",))
        assert "同分排序「section:s9」不可识别" in str(caught.value)


class TestAbsence:
    def test_a_sheet_not_submitted_gets_the_lowest_grade_with_the_reason(self):
        outcome = absence_outcome(rubric())
        assert outcome.grade == "不合格" and outcome.subsidy_percent == 0
        assert "低于 60 分为不合格" in outcome.explanation
        assert outcome.explanation.startswith("未提交考核表：不计分")

    def test_the_fallback_grade_of_the_rubric_is_the_one_given(self):
        r = rubric()
        r = replace(r, fallback_grade=replace(r.fallback_grade, label="不达标"))
        assert absence_outcome(r).grade == "不达标"
