from org.naming import NameMatcher, name_variants, normalize_name


class TestNormalizeName:
    def test_runs_of_spaces_inside_a_name_are_ignored(self):
        assert normalize_name("东      陈       镇 ") == "东陈镇"

    def test_full_width_spaces_and_line_breaks_are_ignored(self):
        assert normalize_name("东\u3000陈\u3000镇") == "东陈镇"
        assert normalize_name("灵活就业\n人员管理") == "灵活就业人员管理"

    def test_both_widths_of_parentheses_compare_equal(self):
        assert normalize_name("长江镇（如皋港区）") == normalize_name("长江镇(如皋港区)")

    def test_full_width_digits_become_ascii(self):
        assert normalize_name("大学新村１社区") == "大学新村1社区"


class TestNameVariants:
    def test_name_with_parenthesised_second_name_is_known_by_each_part(self):
        assert name_variants("如皋工业园区（如城街道） ") == [
            "如皋工业园区(如城街道)",
            "如皋工业园区",
            "如城街道",
        ]

    def test_empty_name_has_no_variants(self):
        assert name_variants("   ") == []


class TestNameMatcher:
    def matcher(self):
        return NameMatcher(
            [
                ("rugao-zone", "如皋工业园区", ["如城街道"]),
                ("dongchen", "东陈镇", []),
                ("changjiang", "长江镇", ["如皋港区"]),
                ("zhoujiaxiang", "周家巷社区", []),
            ]
        )

    def test_spaced_name_from_the_rugao_table_matches(self):
        assert self.matcher().match("东      陈       镇 ").key == "dongchen"

    def test_alias_matches(self):
        assert self.matcher().match("如城街道").key == "rugao-zone"

    def test_full_printed_name_with_alias_in_parentheses_matches(self):
        assert self.matcher().match("如皋工业园区（如城街道） ").key == "rugao-zone"
        assert self.matcher().match("长江  镇（如皋港 区）").key == "changjiang"

    def test_half_width_parentheses_match_too(self):
        assert self.matcher().match("如皋工业园区(如城街道)").key == "rugao-zone"

    def test_community_with_cooperative_in_parentheses_matches(self):
        assert self.matcher().match("周家巷社区（周家巷村股份合作社）").key == "zhoujiaxiang"

    def test_unknown_name_is_not_found_and_suggests_closest(self):
        result = self.matcher().match("东陈")
        assert not result.found
        assert result.suggestions[0] == "东陈镇"

    def test_name_shared_by_two_units_is_ambiguous_not_guessed(self):
        matcher = NameMatcher([(1, "新华社区", []), (2, "新华村", ["新华社区"])])
        result = matcher.match("新华社区")
        assert not result.found
        assert result.ambiguous == [1, 2]
