"""Filters of the print templates: points without trailing zeros, dates as on paper."""

from django import template

from printing import layout

register = template.Library()


@register.filter
def points(value):
    return layout.points(value)


@register.filter
def day(value):
    """2025年1月10日, or the blank 「　　年　　月　　日」 of the form."""
    return layout.day(value)


@register.filter
def month(value):
    return layout.month(value)


@register.filter
def day_short(value):
    """As ``day``, with a blank narrow enough for a small cell: 「　年　月　日」."""
    return layout.day(value, blank="　　年　月　日")
