from notices.models import Notice


def unread_count(user) -> int:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox(user, *, event: str = "", unread_only: bool = False):
    qs = Notice.objects.filter(recipient=user)
    if event:
        qs = qs.filter(event=event)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs
