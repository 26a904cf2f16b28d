from accounts.policy import sees_domain_pages
from notices.selectors import unread_count


def inbox(request):
    """The header's unread count (not for the audit administrator, who has no inbox)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not sees_domain_pages(user):
        return {}
    return {"inbox_unread": unread_count(user)}
