"""Django settings, read from the environment.

Development defaults need no configuration: an SQLite file under ``var/``.
Production: set ``CICTE_ENV=production``, ``SECRET_KEY``, ``ALLOWED_HOSTS`` and usually
``DATABASE_URL`` (``postgres://user:pass@host:5432/db``). See docs/operator-guide.md.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def _default_var_dir() -> Path:
    """Where the database, media and static files live when CICTE_VAR_DIR is not set: a
    source checkout keeps them in its own var/; an installed package (wheel) uses the
    platform's user data directory, never a folder inside the virtual environment."""
    if (PROJECT_DIR / "pyproject.toml").is_file() and (PROJECT_DIR / "src" / "cicte") == BASE_DIR:
        return PROJECT_DIR / "var"
    import platformdirs

    return platformdirs.user_data_path("cicte", appauthor=False)


VAR_DIR = Path(os.environ.get("CICTE_VAR_DIR") or _default_var_dir())


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEVELOPMENT_SECRET_KEY = "django-insecure-cicte-development-key-do-not-use-in-production"  # noqa: S105
PRODUCTION = os.environ.get("CICTE_ENV", "development") == "production"
DEBUG = _env_bool("DEBUG", not PRODUCTION)
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
if PRODUCTION and (SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "CICTE_ENV=production needs SECRET_KEY set to a random value of 50+ characters."
    )
ALLOWED_HOSTS = _env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver", "[::1]"]
)
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rules.apps.AutodiscoverRulesConfig",
    "cicte.core",
    # The site shell (base.html, navigation) keeps core's old place: its templates and
    # translations take precedence exactly as they did when they lived in core.
    "cicte.site",
    "cicte.access",
    "cicte.search",  # shared full-text search (the layer above core)
    "cicte.directory",
    "cicte.plan",
    "cicte.delivery",
    "cicte.progress",
    "cicte.reports",
    "cicte.assistance",
    "cicte.evaluations",
    "cicte.funding",
    "cicte.sharing",
    "cicte.forum",
    "cicte.iati",
    "cicte.strategies",
    # The experts roster and missions on request (3.A.9).
    "cicte.roster",
    # issue 14: crisis-management and tabletop exercises
    "cicte.exercises",
    # issue 15: the knowledge base for the security of major events (3.B.2)
    "cicte.knowledge",
    "cicte.accounts",
    "cicte.api",
    "cicte.sampledata",
    "cicte.ops",
    # Issue 20: period approval (locks) and scholarships.
    "cicte.approvals",
    "cicte.scholarships",
    # Background tasks: the Django tasks API and its database backend (no Redis).
    "django_tasks",
    "django_tasks_db",
    # django-ninja's bundled Swagger UI assets (served from our origin: no CDN, CSP-clean).
    "ninja",
]

MIDDLEWARE = [
    # Request id (X-Request-ID) for every log line of the request; one JSON line per request.
    "cicte.ops.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files with compressed, hashed names under gunicorn (`cicte serve`).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Administrators must verify a TOTP device before any workspace/admin page.
    "cicte.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cicte.urls"
WSGI_APPLICATION = "cicte.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cicte.site.context_processors.site",
            ],
        },
    },
]

_default_db = f"sqlite:///{VAR_DIR / 'cicte.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or _default_db, conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"  # each role lands on its home (accounts/home.py)
LOGOUT_REDIRECT_URL = "public:home"

# django-axes: lock out after repeated failures (per username + IP).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"  # rendered with status 429

LANGUAGE_CODE = "en"
# The four OAS official languages; the language menu shows each in its own name (Français).
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("pt", _("Portuguese")),
]
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"  # never served directly: attachments go through a permission-checked view
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if PRODUCTION:
    # whitenoise: gzip/brotli-compressed copies and content-hashed names (cached forever).
    STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"
WHITENOISE_KEEP_ONLY_HASHED_FILES = False
# Outside production STATIC_ROOT is usually not collected (runserver serves from the apps).
warnings.filterwarnings("ignore", message="No directory at: ", category=UserWarning)

# Uploads: spreadsheets and attached documents.
CICTE_MAX_UPLOAD_BYTES = int(os.environ.get("CICTE_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# E-mail: console by default; SMTP when EMAIL_HOST is set.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", False)
# Seconds before an SMTP connection attempt or command gives up (the worker retries).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "15"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cicte-workplan@localhost")

# Security headers. CSP: everything from our own origin, no inline scripts or styles.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(12 * 3600)))  # one working day
CSRF_COOKIE_SAMESITE = "Lax"
CONTENT_SECURITY_POLICY: dict[str, dict[str, list[str]]] | None = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# CSP_REPORT_ONLY=1 sends the same policy as Content-Security-Policy-Report-Only (for audits
# with tools that inject scripts, e.g. axe-core); never in production.
if _env_bool("CSP_REPORT_ONLY", False) and not PRODUCTION:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = CONTENT_SECURITY_POLICY
    CONTENT_SECURITY_POLICY = None
if PRODUCTION:
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Health probes come over plain HTTP from the machine itself.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Logs: one line per record on stderr with time, level, logger, request id and user id.
# LOG_FORMAT=json (production default: one JSON object a line) or text (development default).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "cicte.ops.logs.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "cicte.ops.logs.JsonFormatter"},
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(user_id)s] %(message)s"
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("LOG_LEVEL", "INFO" if PRODUCTION else "WARNING"),
    },
}

# Background tasks (django-tasks). The database backend keeps the queue in the database;
# `cicte worker` runs it, `cicte scheduler` enqueues periodic work. CICTE_TASKS=immediate
# runs every task at once in the caller (the test suite's default: see tests/conftest.py).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if os.environ.get("CICTE_TASKS") == "immediate"
        else "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# A running job whose worker has sent no heartbeat for this long is an orphan (retried or
# marked failed by the next worker or scheduler pass).
CICTE_WORKER_HEARTBEAT_SECONDS = int(os.environ.get("CICTE_WORKER_HEARTBEAT_SECONDS", "10"))
CICTE_WORKER_STALE_SECONDS = int(os.environ.get("CICTE_WORKER_STALE_SECONDS", "120"))
# Cache (API lists, dashboard blocks; keys carry the data version and the reader's access,
# see cicte/core/caching.py and docs/operations.md "Caching"): a file cache under var/cache
# by default (no setup, shared by the web workers), Redis with CICTE_CACHE_URL=redis://...
# (needs the `redis` package), "locmem" for one process, "none" to turn caching off.
_cache_url = os.environ.get("CICTE_CACHE_URL", "")
if _cache_url.startswith(("redis://", "rediss://", "unix://")):
    _cache: dict[str, object] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": _cache_url,
    }
elif _cache_url == "locmem":
    _cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
elif _cache_url == "none":
    _cache = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
else:
    _cache = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(Path(_cache_url) if _cache_url else VAR_DIR / "cache"),
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
CACHES = {"default": _cache}
CICTE_CACHE_SECONDS = int(os.environ.get("CICTE_CACHE_SECONDS", "86400"))
# Event exports with more events than this are written by the worker (a job with a file).
CICTE_EXPORT_BACKGROUND_EVENTS = int(os.environ.get("CICTE_EXPORT_BACKGROUND_EVENTS", "5000"))
# Backups written by `cicte backup` (and the backup timer) go here unless -o is given.
CICTE_BACKUP_DIR = Path(os.environ.get("CICTE_BACKUP_DIR", VAR_DIR / "backups"))

SIMPLE_HISTORY_REVERT_DISABLED = False

# Two-factor authentication (django-otp TOTP): required for administrators, optional for staff.
CICTE_OTP_REQUIRED_FOR_ADMINISTRATORS = _env_bool("CICTE_OTP_REQUIRED_FOR_ADMINISTRATORS", True)
OTP_TOTP_ISSUER = "CICTE Work Plan"
# API: largest JSON body accepted (bigger bodies get 413).
CICTE_API_MAX_BODY_BYTES = int(os.environ.get("CICTE_API_MAX_BODY_BYTES", str(1024 * 1024)))
# Password-reset and invitation links stay valid for three days.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

# IATI 2.03 export (docs/iati.md): the reporting organisation's IATI identifier is required
# (the export refuses without it); its type defaults to 40 (multilateral).
IATI_REPORTING_ORG_REF = os.environ.get("CICTE_IATI_REPORTING_ORG_REF", "")
IATI_REPORTING_ORG_TYPE = os.environ.get("CICTE_IATI_REPORTING_ORG_TYPE", "40")
IATI_REPORTING_ORG_NAME = os.environ.get(
    "CICTE_IATI_REPORTING_ORG_NAME",
    "Organization of American States, Secretariat of the Inter-American Committee against "
    "Terrorism (CICTE)",
)

# Tests that roll a transactional test back by re-loading the serialized database (Django's
# serialized_rollback) must not re-load search entries row by row: the SQLite FTS5 index is
# kept by statements the raw load bypasses. The entries are rebuilt by the signals of the
# rows they index as those are re-loaded (cicte.search.tracking).
TEST_NON_SERIALIZED_APPS = ["cicte.search"]
