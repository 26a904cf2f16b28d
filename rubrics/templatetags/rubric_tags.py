from django import template

register = template.Library()


@register.filter
def posted(data, name):
    """The submitted value of a field, or "" (data may be a QueryDict or a dict)."""
    if not data:
        return ""
    return data.get(name, "")


@register.filter
def points(value):
    """A Decimal score without trailing zeros: 3.00 → 3, 2.50 → 2.5."""
    if value is None or value == "":
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
