"""Display formatting: one module for decimals and Chinese dates, one template library."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template

from kit import formatting


class TestPlain:
    @pytest.mark.parametrize(
        ("value", "text"),
        [
            (Decimal("0"), "0"),
            (Decimal("0.000"), "0"),
            (Decimal("-0.00"), "0"),
            (Decimal("1.50"), "1.5"),
            (Decimal("100"), "100"),
            (Decimal("100.0000"), "100"),
            (Decimal("1E+3"), "1000"),
            (Decimal("-2.50"), "-2.5"),
            (Decimal("-100"), "-100"),
            (Decimal("123456789012.3400"), "123456789012.34"),
            (Decimal("0.0005"), "0.0005"),
            (3, "3"),
            (2.5, "2.5"),
        ],
    )
    def test_writes_a_number_without_trailing_zeros_or_exponent(self, value, text):
        assert formatting.plain(value) == text

    def test_points_are_empty_for_nothing(self):
        assert formatting.points(None) == "" and formatting.points("") == ""
        assert formatting.points(Decimal("3.00")) == "3"

    def test_numbers_show_a_dash_for_nothing(self):
        assert formatting.number(None) == "—" and formatting.number("") == "—"
        assert formatting.number(Decimal("1206.0000")) == "1206"
        assert formatting.percent(None) == "—"
        assert formatting.percent(Decimal("97.50")) == "97.5%"

    def test_exact_keeps_the_value_and_drops_the_zeros(self):
        assert formatting.exact(None) is None
        assert str(formatting.exact(Decimal("1260.0000"))) == "1260"
        assert str(formatting.exact(Decimal("1E+3"))) == "1000"
        assert formatting.exact(Decimal("-0.50")) == Decimal("-0.5")


class TestDates:
    def test_a_day_and_a_month_as_on_paper(self):
        assert formatting.day(date(2025, 1, 10)) == "2025年1月10日"
        assert formatting.month(date(1985, 6, 1)) == "1985年6月"
        assert formatting.month_day(date(2025, 3, 1)) == "3月1日"
        assert formatting.spaced_day(date(2024, 3, 1)) == " 2024 年 3 月 1 日"

    def test_nothing_prints_the_blank_of_the_form_and_text_is_kept(self):
        assert formatting.day(None) == formatting.BLANK_DAY
        assert formatting.day("") == formatting.BLANK_DAY
        assert formatting.day(None, blank="") == ""
        assert formatting.day("2025年春") == "2025年春"
        assert formatting.month(None) == formatting.BLANK_MONTH
        assert formatting.spaced_day(None) == formatting.BLANK_DAY


class TestDisplayFilters:
    def render(self, text, **context):
        return Template("{% load display %}" + text).render(Context(context))

    def test_every_filter_of_the_one_library(self):
        out = self.render(
            "{{ a|num }}|{{ n|num }}|{{ r|rate }}|{{ p|points }}|{{ n|points }}|"
            "{{ d|day }}|{{ d|month }}|{{ n|day_short }}",
            a=Decimal("1206.00"),
            n=None,
            r=Decimal("50.0"),
            p=Decimal("2.50"),
            d=date(2025, 1, 10),
        )
        assert out == "1206|—|50%|2.5||2025年1月10日|2025年1月|　　年　月　日"

    def test_the_print_templates_load_the_same_one(self):
        import importlib.util
        import re

        from django.conf import settings

        templates = Path(settings.BASE_DIR) / "templates"
        printed = [templates / "print_base.html", *templates.glob("*/print/*.html")]
        printed += list((templates / "printing").glob("*.html"))
        loaded = {
            name
            for path in printed
            for names in re.findall(r"{%\s*load\s+([^%]+)%}", path.read_text(encoding="utf-8"))
            for name in names.split()
        }
        assert {"display"} <= loaded <= {"display", "i18n", "static"}
        assert importlib.util.find_spec("printing.templatetags") is None

    def test_an_unreadable_value_shows_the_marker(self):
        out = self.render("{{ u|points }}|{{ u|num }}|{{ u|rate }}", u=formatting.UNREADABLE)
        assert out == "（无法读取）|（无法读取）|（无法读取）"
