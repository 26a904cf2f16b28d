"""Settings for the test suite: production settings with a throwaway key and fast hashing."""

import os
import tempfile

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-used-anywhere-else-0123456789")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A worker process started by a test shares the test's media directory (TEST_MEDIA_ROOT).
MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="kaohe-test-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="kaohe-test-static-")
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
DEMO_LOGINS_FILE = os.path.join(tempfile.mkdtemp(prefix="kaohe-test-demo-"), "demo-logins")
# Jobs run in the test process when the enqueueing transaction commits; tests that need a
# real worker start `manage.py db_worker` themselves.
if not os.environ.get("TASK_BACKEND"):
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Tests with real workers: a chunk task waits this long before rendering, so that a second
# worker takes a chunk too; and modules the workers import for the tests' own print kinds.
PRINT_CHUNK_TEST_DELAY = float(os.environ.get("PRINT_CHUNK_TEST_DELAY") or 0)
PRINT_EXTRA_KIND_MODULES = [
    m for m in os.environ.get("PRINT_EXTRA_KIND_MODULES", "").split(",") if m
]
