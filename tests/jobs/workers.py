"""Real task workers for tests: ``manage.py db_worker`` processes sharing only the database
and the media directory with the test.

On PostgreSQL the workers connect to the test database (the test must be
``django_db(transaction=True)`` so its rows are committed). SQLite's test database lives in
the test's memory, so it is copied into a file with SQLite's backup API, the workers use
that file, and what they wrote is read back from it (``SharedDatabase.rows``).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


class SharedDatabase:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="kaohe-worker-db-")
        self.sqlite_file = None
        if connection.vendor == "sqlite":
            self.sqlite_file = os.path.join(self.dir, "shared.sqlite3")
            connection.ensure_connection()
            target = sqlite3.connect(self.sqlite_file)
            connection.connection.backup(target)
            target.close()
            self.url = f"sqlite:///{self.sqlite_file}"
        else:
            s = connection.settings_dict
            auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
            self.url = (
                f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
            )

    def env(self, **extra) -> dict:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "DATABASE_URL": self.url,
            "TASK_BACKEND": "django_tasks_db.DatabaseBackend",
            "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            **extra,
        }
        return env

    def rows(self, sql: str, params=()) -> list[tuple]:
        """Run a query where the workers wrote."""
        if self.sqlite_file:
            with sqlite3.connect(self.sqlite_file) as db:
                return db.execute(sql, params).fetchall()
        with connection.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s"), params)
            return cursor.fetchall()


def worker(shared: SharedDatabase, *args: str, **env) -> subprocess.Popen:
    """Start ``manage.py db_worker`` with ``args`` (e.g. ``--batch``)."""
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.2",
            *args,
        ],
        cwd=ROOT,
        env=shared.env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@contextmanager
def shared_database():
    shared = SharedDatabase()
    try:
        yield shared
    finally:
        if shared.sqlite_file:
            for suffix in ("", "-wal", "-shm"):
                Path(shared.sqlite_file + suffix).unlink(missing_ok=True)
