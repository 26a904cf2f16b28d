"""The one writer of notices: ``notify``.

Callers say who is told what, about which event (``key``); a recipient who already has a
notice with that key is skipped, so reminders and decisions reach each person once however
often the caller runs. E-mail goes after the transaction commits, through Django's mail
settings, to recipients who have an address; a mail server that is down never undoes the
step that caused the notice (the notice stays in the inbox, ``emailed_at`` empty).
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from notices.events import EVENTS, event_label
from notices.models import Notice

log = logging.getLogger(__name__)


def notify(recipients, *, event: str, title: str, body: str = "", link: str = "", key: str):
    """Tell each of ``recipients`` (users; duplicates and ``None`` ignored) about an event.
    Returns the notices created (those already told are left out)."""
    if event not in EVENTS:
        raise ValueError(f"unknown notice event {event!r}")
    seen, created = set(), []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        if Notice.objects.filter(recipient=user, key=key).exists():
            continue
        try:
            with transaction.atomic():
                notice = Notice.objects.create(
                    recipient=user,
                    event=event,
                    title=str(title)[:200],
                    body=str(body),
                    link=link[:300],
                    key=key[:200],
                )
        except IntegrityError:  # told by a concurrent run in the meantime
            continue
        created.append(notice)
    if created and getattr(settings, "NOTICE_EMAIL", True):
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: send_emails(ids))
    return created


def send_emails(notice_ids) -> int:
    """Send the e-mail of each notice not yet e-mailed whose recipient has an address."""
    sent = 0
    notices = Notice.objects.filter(pk__in=notice_ids, emailed_at__isnull=True).select_related(
        "recipient"
    )
    for notice in notices:
        address = notice.recipient.email
        if not address:
            continue
        text = notice.body
        if notice.link:
            text = f"{text}\n\n{settings.NOTICE_SITE_URL.rstrip('/')}{notice.link}"
        try:
            send_mail(
                f"【{event_label(notice.event)}】{notice.title}",
                text,
                None,
                [address],
            )
        except Exception:  # noqa: BLE001 - the inbox keeps it; the log says why
            log.exception("notice %s: e-mail to %s failed", notice.pk, address)
            continue
        Notice.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def mark_read(user, notice_ids=None) -> int:
    """Mark the user's notices read (all unread ones when ``notice_ids`` is None)."""
    qs = Notice.objects.filter(recipient=user, read_at__isnull=True)
    if notice_ids is not None:
        qs = qs.filter(pk__in=notice_ids)
    return qs.update(read_at=timezone.now())
