import pytest
from django.core import mail
from django.urls import reverse

from notices.models import Notice
from notices.services import notify

pytestmark = pytest.mark.django_db


def test_a_notice_reaches_each_recipient_once_however_often_it_is_sent(
    django_user_model, django_capture_on_commit_callbacks
):
    a = django_user_model.objects.create_user("a", password="x", email="a@example.org")
    b = django_user_model.objects.create_user("b", password="x")
    with django_capture_on_commit_callbacks(execute=True):
        first = notify([a, b, a, None], event="overdue", title="逾期", body="请尽快提交", key="k1")
    with django_capture_on_commit_callbacks(execute=True):
        again = notify([a, b], event="overdue", title="逾期", key="k1")
    assert len(first) == 2 and again == []
    assert Notice.objects.filter(key="k1").count() == 2
    # Only the recipient with an address gets an e-mail, with the event's name in the subject.
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    assert mail.outbox[0].subject == "【逾期提醒】逾期"
    assert Notice.objects.get(recipient=a).emailed_at is not None


def test_an_unknown_event_is_refused(django_user_model):
    a = django_user_model.objects.create_user("a", password="x")
    with pytest.raises(ValueError):
        notify([a], event="nope", title="x", key="k")


def test_the_header_counts_unread_notices_and_opening_one_marks_it_read(client, django_user_model):
    a = django_user_model.objects.create_user("a", password="Aa1!aaaaaaaa")
    client.force_login(a)
    n = Notice.objects.create(recipient=a, event="sheet_returned", title="退回", link="/", key="x")
    page = client.get(reverse("notices:inbox"))
    assert page.context["inbox_unread"] == 1
    assert "退回" in page.content.decode()
    assert client.get(reverse("notices:open", args=[n.pk])).url == "/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_a_notice_never_redirects_off_site(client, django_user_model):
    a = django_user_model.objects.create_user("a", password="Aa1!aaaaaaaa")
    client.force_login(a)
    n = Notice.objects.create(
        recipient=a, event="overdue", title="x", link="https://evil.example/", key="y"
    )
    assert client.get(reverse("notices:open", args=[n.pk])).url == reverse("notices:inbox")
