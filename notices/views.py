from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from notices import selectors, services
from notices.events import EVENTS
from notices.models import Notice

PAGE_SIZE = 30


@login_required
@require_GET
def inbox(request):
    event = request.GET.get("event", "")
    if event not in EVENTS:
        event = ""
    unread_only = request.GET.get("unread") == "1"
    notices = selectors.inbox(request.user, event=event, unread_only=unread_only)
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    query = "&".join(
        p for p in (f"event={event}" if event else "", "unread=1" if unread_only else "") if p
    )
    return render(
        request,
        "notices/inbox.html",
        {
            "page": page,
            "query": query,
            "events": [(k, str(v)) for k, v in EVENTS.items()],
            "event": event,
            "unread_only": unread_only,
        },
    )


@login_required
@require_GET
def open_notice(request, pk):
    """Mark one of the user's own notices read and go where it points (the inbox if it
    points nowhere safe)."""
    notice = get_object_or_404(Notice, pk=pk, recipient=request.user)
    services.mark_read(request.user, [notice.pk])
    if notice.link and url_has_allowed_host_and_scheme(
        notice.link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notice.link)
    return redirect("notices:inbox")


@login_required
@require_POST
def mark_all_read(request):
    n = services.mark_read(request.user)
    if n:
        messages.success(request, _("已将 %(n)d 条通知标为已读。") % {"n": n})
    else:
        messages.info(request, _("没有未读通知。"))
    return redirect("notices:inbox")
