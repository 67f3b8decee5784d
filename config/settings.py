"""Settings for SLI Scorecard, read from the environment.

Everything that differs between a laptop and production comes from environment variables:

- ``DEBUG`` (default off). Development (``make run``) turns it on.
- ``SECRET_KEY``: required when ``DEBUG`` is off; there is no production default.
- ``DATABASE_URL``: default an SQLite file beside the project (``db.sqlite3``).
- ``ALLOWED_HOSTS``: comma-separated; default ``localhost,127.0.0.1`` in development only.
- ``DEMO_MODE``: synthetic demo data and demo users may exist (default: on when ``DEBUG`` is on).
- ``SECURE_SSL_REDIRECT``, ``SECURE_PROXY_SSL_HEADER``, ``SECURE_HSTS_SECONDS``, ``CSRF_TRUSTED_ORIGINS``:
  production hardening, on by default when ``DEBUG`` is off.
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# GENERAL ----------------------------------------------------------------------------------------------
DEBUG = env_bool("DEBUG", False)
DEMO_MODE = env_bool("DEMO_MODE", DEBUG)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (there is no production default)."
        )
    # Development only: a fixed, obviously insecure key so sessions survive restarts of `make run`.
    SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SERVICE_NAME = "SLI Scorecard"
# The region pages open on for users without a regional or council role (admins), and the demo region.
DEFAULT_REGION = os.environ.get("DEFAULT_REGION", "E12000005")

# APPS -------------------------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "core",
    "councils",
    "scorecard",
    "selfassessment",
    "peerchallenge",
    "axes",  # sign-in throttling: keep last, see PRODUCTION HARDENING below
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "core.middleware.HostileInputMiddleware",
    "core.middleware.ApiJsonErrorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.middleware.LoginRequiredEverywhereMiddleware",
    "core.middleware.IdleTimeoutMiddleware",
    "core.middleware.PrivateCacheMiddleware",
    "core.middleware.DemoDataGuardMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.service",
            ],
        },
    },
]

# DATABASE ---------------------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The task worker and the web server share the file: wait for a lock instead of failing at once,
    # and take the write lock when a transaction starts (no "database is locked" on lock upgrade).
    # WAL: readers (the progress page) are never blocked by the import writing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 30, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )

# AUTH -------------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "councils.User"
AUTHENTICATION_BACKENDS = [
    "councils.backends.SignInThrottleBackend",  # django-axes: must come first
    "rules.permissions.ObjectPermissionBackend",
    "councils.backends.DemoAwareModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# INTERNATIONALISATION ---------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# STATIC FILES -----------------------------------------------------------------------------------------
# static/src is the source; `make assets` compiles govuk-frontend (with Arial) and copies vendored
# JavaScript into static/build, which is git-ignored and served by whitenoise.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Built files (challenge packs) go to the default storage; they are downloaded through views that
# check permissions, never served from MEDIA_URL.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# UPLOADS ----------------------------------------------------------------------------------------------
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))
# Uploaded data files wait here between preview and confirm; never served, never under static/.
IMPORT_UPLOAD_DIR = Path(os.environ.get("IMPORT_UPLOAD_DIR", str(BASE_DIR / "var" / "uploads")))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Uploads are kept only while their import record needs them: deleted when the import is applied or
# fails, and after this many hours for previews nobody confirmed.
IMPORT_UPLOAD_TTL_HOURS = float(os.environ.get("IMPORT_UPLOAD_TTL_HOURS", "24"))
# Bounds on what a file may make the service do (a decompression bomb, a sheet with millions of rows).
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "200000"))
IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES", str(200 * 1024 * 1024))
)
IMPORT_XLSX_MAX_SECONDS = float(os.environ.get("IMPORT_XLSX_MAX_SECONDS", "60"))

# BACKGROUND TASKS -------------------------------------------------------------------------------------
# Django Tasks (the django-tasks backport; django.tasks from Django 6.0). Default: the database backend,
# whose worker `make run` starts beside the web server (`manage.py db_worker`). TASKS_BACKEND=rq puts
# the tasks on Redis (REDIS_URL) for deployments with several app servers (`manage.py rqworker <queue>`).
TASKS_QUEUE = os.environ.get("TASKS_QUEUE", "default")
# A task renews a lease in the cache while it runs (core/leases.py): a task on another machine that has not
# renewed it for this long lost its worker (on this machine the worker's process is checked directly).
TASK_LEASE_SECONDS = float(os.environ.get("TASK_LEASE_SECONDS", "30"))
# The release cached pages and cached reads are keyed by (core/release.py): a deploy serves nothing the
# previous code rendered or shaped. Set RELEASE (e.g. the commit) to name it; empty: a hash of the source, computed
# on first use (core.release.current_release).
RELEASE = os.environ.get("RELEASE", "").strip()
# A summit's packs are built by this many processes side by side (WeasyPrint is CPU-bound Python): by
# default the machine's CPUs, up to 4. Used by the background build and as `build_packs --workers`' default.
PACK_WORKERS = int(os.environ.get("PACK_WORKERS", "0")) or min(os.cpu_count() or 1, 4)
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database").strip().lower()
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
TASKS_QUEUES = sorted({"default", TASKS_QUEUE})  # tasks are declared on "default" and sent to TASKS_QUEUE
RQ_QUEUES = {name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600} for name in TASKS_QUEUES}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": TASKS_QUEUES}}
elif TASKS_BACKEND in ("database", "db", ""):
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASKS_QUEUES}}
else:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be 'database' or 'rq', not {TASKS_BACKEND!r}")

# CACHE ------------------------------------------------------------------------------------------------
# Reads that depend only on a period's data are cached per data version (core/cache.py). With CACHE_URL
# (or REDIS_URL) set: Django's built-in Redis cache, shared by every app server and worker, so one import
# invalidates them all. Embedded default: files under var/cache (CACHE_DIR), shared by the processes of one
# machine. The tests use memory (config/test_settings.py).
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or ""
CACHES: dict[str, dict[str, Any]]
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "sli"),
        }
    }
else:
    # Files, not this process's memory: `make run` and `make serve` run a task worker (imports) and `make
    # serve` several gunicorn workers beside each other, and a write in any of them must reach the others'
    # data version (core/cache.py). Each process still keeps its own copy of the latest reads.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR") or str(BASE_DIR / "var" / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
# Signed-in pages seen before are kept whole per viewer (core/pagecache.py); PAGE_CACHE=0 renders every view
# (the load test's comparison in docs/PERFORMANCE.md).
PAGE_CACHE = env_bool("PAGE_CACHE", True)
# Sessions are read from the cache, written through to the database (a cache flush signs nobody out).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# TABLES -----------------------------------------------------------------------------------------------
DJANGO_TABLES2_TEMPLATE = "includes/table.html"

# SECURITY ---------------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    # Only behind a proxy that sets this header itself (see README, "Production").
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# PRODUCTION HARDENING --------------------------------------------------------------------------------
# See docs/SECURITY.md. Middleware order and the axes backend are set in MIDDLEWARE and
# AUTHENTICATION_BACKENDS above; everything else is here.

# collectstatic's target may be moved (CI and the tests collect into a scratch folder).
if os.environ.get("STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["STATIC_ROOT"])

# Sessions: staff handle council data, so a session ends after SESSION_IDLE_TIMEOUT seconds without a
# request (core.middleware.IdleTimeoutMiddleware) and when the browser closes.
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(30 * 60)))
# The stored session outlives the idle timeout (twice it), so the middleware, not the session's expiry, ends
# an idle session and the sign-in page says why; a session cookie whose session has expired since is taken
# for an idle one too (core.middleware). The cookie itself ends with the browser.
SESSION_COOKIE_AGE = 2 * SESSION_IDLE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Sign-in throttling (django-axes), for the site sign-in and the admin: after AXES_FAILURE_LIMIT wrong
# passwords from one address (whatever the accounts), or for one account from one address, that address (or
# that account from that address) is locked out for AXES_COOLOFF_TIME. An account is never locked for
# everyone: anyone who knows a username could otherwise keep its owner out. Attempts during a lockout are
# refused without being counted, so they cannot extend it: it ends AXES_COOLOFF_TIME after the failure that
# set it. Every failure, lockout and sign-in is recorded (AccessAttempt, AccessFailureLog,
# AccessLog; visible in the admin) and logged by the "axes" logger.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["ip_address", ["username", "ip_address"]]  # per address; per account and address
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_CLIENT_IP_CALLABLE = "councils.backends.client_ip_address"
# No "AXES: BEGIN …" banner at every start of every command (commands print their own output only); failures,
# lockouts and sign-ins are still logged.
AXES_VERBOSE = False
# Behind N reverse proxies that each append to X-Forwarded-For, set TRUSTED_PROXY_COUNT=N so the
# client's address (not the proxy's) is throttled; leave 0 when gunicorn faces the clients.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Content-Security-Policy: no inline script anywhere (scripts are static files; chart figures are JSON
# data blocks drawn by static/src/charts.js). Inline styles are allowed because plotly.js sets style
# attributes and inserts a <style> element as it draws; plotly needs no eval for the chart types used.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in ("camera", "geolocation", "microphone", "payment", "usb", "accelerometer", "gyroscope")
}

# LOGGING ----------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
