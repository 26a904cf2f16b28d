"""Moving a test database back and forth through the migrations, for the data-migration
tests: each returns the models as every applied migration (of all apps) left them."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(targets):
    """Migrate to ``targets`` ([(app, name or None)]); the historical models then."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    applied = list(executor.loader.applied_migrations)
    return executor.loader.project_state(applied, at_end=True).apps


def latest():
    """Every app's newest migration."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def migrate_to_latest():
    return migrate_to(latest())
