"""The display filters of every page: ``{% load display %}``.

num (— when empty), points ("" when empty), rate (with %), day, day_short, month;
bar_width and bar_share name the class that fills a bar (static/css/bars.css).
"""

from django import template

from kit import formatting

register = template.Library()


@register.filter
def num(value):
    """A target or actual as people write it (1206, 0.5); — when there is none."""
    return formatting.number(value)


@register.filter
def rate(value):
    return formatting.percent(value)


@register.filter
def points(value):
    """A Decimal score without trailing zeros: 3.00 → 3, 2.50 → 2.5."""
    return formatting.points(value)


@register.filter
def day(value):
    """2025年1月10日, or the blank 「　　年　　月　　日」 of the form."""
    return formatting.day(value)


@register.filter
def day_short(value):
    """As ``day``, with a blank narrow enough for a small cell: 「　年　月　日」."""
    return formatting.day(value, blank="　　年　月　日")


@register.filter
def month(value):
    return formatting.month(value)


@register.filter
def bar_width(percent):
    """The class of a bar filled to ``percent`` (0–100): ``pct-57``."""
    return f"pct-{formatting.bar_percent(percent)}"


@register.filter
def bar_share(value, whole):
    """The class of a bar filled to ``value`` out of ``whole``."""
    return f"pct-{formatting.bar_percent(value, whole)}"
