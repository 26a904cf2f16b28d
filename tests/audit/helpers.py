"""Reading the security log in tests."""

from audit.models import SecurityEvent


def events(event=None, **filters):
    qs = SecurityEvent.objects.order_by("pk")
    if event is not None:
        qs = qs.filter(event=event)
    return list(qs.filter(**filters))


def last(event, **filters):
    rows = events(event, **filters)
    assert rows, f"no {event} event recorded"
    return rows[-1]


def mark():
    """The newest row's id, to look only at what comes after."""
    newest = SecurityEvent.objects.order_by("-pk").first()
    return newest.pk if newest else 0
