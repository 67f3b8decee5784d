"""Settings for the test suite: production-like (DEBUG off) but fast and self-contained."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("DEMO_MODE", "1")

from config.settings import *  # noqa: F403

DEBUG = False
DEMO_MODE = True
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Built packs go to a temporary folder, never into the checkout.
import tempfile as _tempfile  # noqa: E402
from pathlib import Path as _Path  # noqa: E402

MEDIA_ROOT = _Path(_tempfile.gettempdir()) / f"sli-test-media-{os.getpid()}"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False}

# Most tests run inside a transaction that forked pack builders could not see: one process, unless a test
# (with a real, committed database) says otherwise.
PACK_WORKERS = 1

# Background tasks run in the request that enqueues them, unless a test picks a real backend
# (tests/scorecard/imports/test_tasks.py runs the database worker, and RQ when TASKS_TEST_BACKEND=rq).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": TASKS_QUEUES}  # noqa: F405
}

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not shared-cache memory: the live server's threads, a task worker thread and a worker process
    # then each have their own connection and SQLite's real locking, as under `make run` (pytest-xdist adds
    # _gw0, _gw1). The file is kept in memory where the machine has a RAM-backed folder (/dev/shm), so
    # migrating, flushing and committing never wait for a disk.
    import tempfile

    _folder = "/dev/shm" if os.access("/dev/shm", os.W_OK) else tempfile.gettempdir()  # noqa: S108
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(_folder, f"sli-test-{os.getpid()}.sqlite3")}  # noqa: F405

# Each test process its own cache, never a Redis shared with other runs (tests/conftest.py clears it per test).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sli-tests"}}
