"""Triggers that make the security log append-only in the database itself.

PostgreSQL: UPDATE refused; DELETE only inside a transaction that set
``audit.prune = 'on'`` and only for rows older than 180 days; TRUNCATE only with
``audit.flush = 'on'`` (``manage.py flush``). SQLite: UPDATE refused; DELETE only where
``audit_delete_permitted(at)`` (registered on Django's connections by ``audit.guard``)
says so. See docs/security.md, 安全审计与三员分立.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION audit_securityevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('audit.prune', true) = 'on'
       AND OLD.at < now() - interval '180 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '安全审计记录只能追加，不能修改或删除（%）', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION audit_securityevent_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('audit.flush', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '安全审计记录只能追加，不能清空'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_securityevent_append_only
    BEFORE UPDATE OR DELETE ON audit_securityevent
    FOR EACH ROW EXECUTE FUNCTION audit_securityevent_append_only();

CREATE TRIGGER audit_securityevent_no_truncate
    BEFORE TRUNCATE ON audit_securityevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_securityevent_no_truncate();
"""

PG_REVERSE = """
DROP TRIGGER IF EXISTS audit_securityevent_no_truncate ON audit_securityevent;
DROP TRIGGER IF EXISTS audit_securityevent_append_only ON audit_securityevent;
DROP FUNCTION IF EXISTS audit_securityevent_no_truncate();
DROP FUNCTION IF EXISTS audit_securityevent_append_only();
"""

SQLITE_FORWARD = [
    """
    CREATE TRIGGER audit_securityevent_no_update
    BEFORE UPDATE ON audit_securityevent
    BEGIN
        SELECT RAISE(ABORT, '安全审计记录只能追加，不能修改');
    END
    """,
    """
    CREATE TRIGGER audit_securityevent_no_delete
    BEFORE DELETE ON audit_securityevent
    WHEN NOT coalesce(audit_delete_permitted(OLD.at), 0)
    BEGIN
        SELECT RAISE(ABORT, '安全审计记录只能追加，不能删除');
    END
    """,
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_securityevent_no_delete",
    "DROP TRIGGER IF EXISTS audit_securityevent_no_update",
]


def _statements(vendor, *, forward):
    if vendor == "postgresql":
        return [PG_FORWARD if forward else PG_REVERSE]
    if vendor == "sqlite":
        return SQLITE_FORWARD if forward else SQLITE_REVERSE
    return []


def install(apps, schema_editor):
    for sql in _statements(schema_editor.connection.vendor, forward=True):
        schema_editor.execute(sql, params=None)


def remove(apps, schema_editor):
    for sql in _statements(schema_editor.connection.vendor, forward=False):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
