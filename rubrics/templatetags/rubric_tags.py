from django import template

register = template.Library()


@register.filter
def posted(data, name):
    """The submitted value of a field, or "" (data may be a QueryDict or a dict)."""
    if not data:
        return ""
    return data.get(name, "")
