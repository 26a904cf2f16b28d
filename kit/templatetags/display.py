"""The display filters of every page: ``{% load display %}``.

num (— when empty), points ("" when empty), rate (with %), day, day_short, month.
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
