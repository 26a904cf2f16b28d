from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "安全审计"

    def ready(self):
        from django.db.backends.signals import connection_created

        from audit import admin_actions, guard

        connection_created.connect(guard.register_sqlite_function, dispatch_uid="audit-sqlite")
        admin_actions.connect()
