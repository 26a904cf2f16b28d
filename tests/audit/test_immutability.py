"""The security log is append-only: Python refuses, the admin refuses, the database's
trigger refuses raw SQL (SQLite and PostgreSQL); pruning keeps the last 180 days."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from audit.events import Event
from audit.guard import PRUNE, deletion_permitted
from audit.log import record
from audit.models import AppendOnlyError, SecurityEvent

pytestmark = pytest.mark.django_db

TABLE = SecurityEvent._meta.db_table


def _aged(days: int) -> SecurityEvent:
    """A row written ``days`` ago. The log cannot be back-dated through the ORM once
    written, so the row is inserted with its time already set."""
    row = SecurityEvent(event=Event.LOGIN, username=f"old-{days}")
    row.at = timezone.now() - timedelta(days=days)
    row.save(force_insert=True)
    return row


def _raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


class TestPythonRefuses:
    def test_saving_a_stored_row_raises(self):
        row = record(Event.LOGIN, username="x")
        row.detail = "改写"
        with pytest.raises(AppendOnlyError):
            row.save()
        assert SecurityEvent.objects.get(pk=row.pk).detail == ""

    def test_deleting_a_row_raises(self):
        row = record(Event.LOGIN, username="x")
        with pytest.raises(AppendOnlyError):
            row.delete()
        assert SecurityEvent.objects.filter(pk=row.pk).exists()

    def test_queryset_update_and_delete_raise(self):
        record(Event.LOGIN, username="x")
        with pytest.raises(AppendOnlyError):
            SecurityEvent.objects.all().update(username="y")
        with pytest.raises(AppendOnlyError):
            SecurityEvent.objects.filter(username="x").delete()
        assert SecurityEvent.objects.filter(username="x").count() == 1


class TestDatabaseTriggerRefusesRawSql:
    """On SQLite and PostgreSQL alike (the suite runs on both)."""

    def test_raw_update_is_refused(self):
        row = record(Event.LOGIN, username="x")
        with pytest.raises(DatabaseError):
            _raw(f"UPDATE {TABLE} SET username = %s WHERE id = %s", ["forged", row.pk])
        assert SecurityEvent.objects.get(pk=row.pk).username == "x"

    def test_raw_delete_is_refused(self):
        row = record(Event.LOGIN, username="x")
        with pytest.raises(DatabaseError):
            _raw(f"DELETE FROM {TABLE} WHERE id = %s", [row.pk])
        assert SecurityEvent.objects.filter(pk=row.pk).exists()

    def test_raw_update_of_an_old_row_is_refused_even_when_pruning(self):
        row = _aged(400)
        with pytest.raises(DatabaseError), transaction.atomic(), deletion_permitted(PRUNE):
            with connection.cursor() as cursor:
                cursor.execute(f"UPDATE {TABLE} SET detail = 'x' WHERE id = %s", [row.pk])
        assert SecurityEvent.objects.get(pk=row.pk).detail == ""

    def test_deleting_a_recent_row_is_refused_even_when_pruning(self):
        """The permit the pruning command takes still keeps the last 180 days."""
        row = _aged(100)
        with pytest.raises(DatabaseError), transaction.atomic(), deletion_permitted(PRUNE):
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [row.pk])
        assert SecurityEvent.objects.filter(pk=row.pk).exists()

    def test_an_old_row_cannot_be_deleted_without_the_permit(self):
        row = _aged(400)
        with pytest.raises(DatabaseError):
            _raw(f"DELETE FROM {TABLE} WHERE id = %s", [row.pk])
        assert SecurityEvent.objects.filter(pk=row.pk).exists()

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
    def test_truncate_is_refused_on_postgresql(self):
        record(Event.LOGIN, username="x")
        with pytest.raises(DatabaseError):
            _raw(f"TRUNCATE {TABLE}")
        assert SecurityEvent.objects.filter(username="x").exists()


class TestPruneCommand:
    def test_prunes_rows_older_than_the_retention_and_keeps_younger_ones(self):
        old, older = _aged(181), _aged(500)
        young, edge = _aged(10), _aged(179)
        out = StringIO()
        call_command("prune_audit_log", stdout=out)
        remaining = set(SecurityEvent.objects.values_list("pk", flat=True))
        assert old.pk not in remaining and older.pk not in remaining
        assert {young.pk, edge.pk} <= remaining
        assert "2 条" in out.getvalue()
        pruned = SecurityEvent.objects.get(event=Event.AUDIT_PRUNE)
        assert "2 条" in pruned.detail and "180 天" in pruned.detail

    def test_a_longer_period_keeps_more(self):
        kept, gone = _aged(200), _aged(400)
        call_command("prune_audit_log", "--older-than-days", "365", stdout=StringIO())
        assert SecurityEvent.objects.filter(pk=kept.pk).exists()
        assert not SecurityEvent.objects.filter(pk=gone.pk).exists()

    def test_refuses_fewer_than_180_days_and_deletes_nothing(self):
        rows = [_aged(100), _aged(400)]
        with pytest.raises(CommandError, match="至少保存 180 天"):
            call_command("prune_audit_log", "--older-than-days", "179", stdout=StringIO())
        assert SecurityEvent.objects.filter(pk__in=[r.pk for r in rows]).count() == 2
        assert not SecurityEvent.objects.filter(event=Event.AUDIT_PRUNE).exists()

    def test_default_comes_from_the_setting(self, settings):
        settings.AUDIT_RETENTION_DAYS = 300
        kept, gone = _aged(250), _aged(301)
        call_command("prune_audit_log", stdout=StringIO())
        assert SecurityEvent.objects.filter(pk=kept.pk).exists()
        assert not SecurityEvent.objects.filter(pk=gone.pk).exists()


class TestAdminIsReadOnly:
    def _row(self):
        return record(Event.LOGIN, username="someone", detail="原始")

    @pytest.mark.parametrize("persona", ["admin", "auditor"])
    def test_no_add_change_or_delete_page_for_anyone(self, persona, world, client_for):
        row = self._row()
        client = client_for(persona)
        add = client.get(reverse("admin:audit_securityevent_add"))
        delete = client.post(
            reverse("admin:audit_securityevent_delete", args=[row.pk]), {"post": "yes"}
        )
        change = client.post(
            reverse("admin:audit_securityevent_change", args=[row.pk]), {"detail": "改写"}
        )
        assert add.status_code == 403
        assert delete.status_code == 403
        assert change.status_code == 403
        row = SecurityEvent.objects.get(pk=row.pk)
        assert row.detail == "原始"

    def test_the_superuser_does_not_even_see_the_log(self, world, client_for):
        row = self._row()
        client = client_for("admin")
        assert client.get(reverse("admin:audit_securityevent_changelist")).status_code == 403
        assert (
            client.get(reverse("admin:audit_securityevent_change", args=[row.pk])).status_code
            == 403
        )

    def test_the_auditor_views_the_rows_without_a_save_button(self, world, client_for):
        row = record(
            Event.ROLE_CHANGE, username="x", changes={"角色": ["只读查看", "人社局管理员"]}
        )
        client = client_for("auditor")
        listing = client.get(reverse("admin:audit_securityevent_changelist"))
        page = client.get(reverse("admin:audit_securityevent_change", args=[row.pk]))
        assert listing.status_code == 200 and page.status_code == 200
        html = page.content.decode()
        assert "人社局管理员" in html and "只读查看" in html
        assert 'name="_save"' not in html
        assert "delete_selected" not in listing.content.decode()
