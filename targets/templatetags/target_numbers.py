from django import template

from targets.tables import plain

register = template.Library()


@register.filter
def num(value):
    """A target or actual as people write it (1206, 0.5); — when there is none."""
    if value is None or value == "":
        return "—"
    return plain(value)


@register.filter
def rate(value):
    return "—" if value is None else f"{plain(value)}%"


@register.filter
def field_of(form, name):
    return form[name]
