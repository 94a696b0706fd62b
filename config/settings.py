"""Settings, all read from the environment (12-factor).

Without ``DATABASE_URL`` the service runs on a SQLite file inside the project and
without ``REDIS_URL`` Celery tasks queue in files under ``var/celery/``: the embedded
default that ``make run`` starts on a fresh machine.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {value!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret_key() -> str:
    """A per-checkout key kept in var/, so the embedded default needs no configuration."""
    path = VAR_DIR / "secret-key"
    if not path.exists():
        VAR_DIR.mkdir(exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or local_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# HTTPS only, by default: production serves behind TLS. A plain-HTTP run on loopback
# (`make run`, the tests' gunicorn) switches these off by environment.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Health probes come over plain HTTP from inside (orchestrators, load balancers).
SECURE_REDIRECT_EXEMPT = [r"^api/v1/health/$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading is a promise to the browsers' list that only the domain's owner can make.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
# Proxies in front of the service whose X-Forwarded-For and X-Forwarded-Proto are
# believed; 0 (no proxy) ignores both headers, which any client can send.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_COUNT else None
# security.W021 asks for SECURE_HSTS_PRELOAD, which stays the owner's choice (above).
SILENCED_SYSTEM_CHECKS = ["security.W021"]

INSTALLED_APPS = [
    "config.apps.AdminConfig",  # django.contrib.admin with aidledger's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rest_framework_api_key",
    "simple_history",
    "django_celery_beat",
    "ledger",
    "api",
    "ingest",
    "news",
    "pages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

EMBEDDED_DATABASE_URL = f"sqlite:///{VAR_DIR / 'aidledger.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or EMBEDDED_DATABASE_URL,
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The web's queries are short; compiling them (JIT) can cost more than running them.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    # WAL lets the web process read while a worker writes; the timeout waits out short locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or VAR_DIR / "static")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# Celery: Redis when REDIS_URL is set. Otherwise the embedded default queues tasks in
# files under var/celery/ (kombu's filesystem transport, no server), where the worker
# that `make run` starts, with beat inside it, picks them up.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
CELERY_RESULT_BACKEND = REDIS_URL or None
# Run tasks in the calling process instead (the SQLite test suite does).
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
    # Longer than the longest task, so a slow task is not delivered twice.
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", str(6 * 3600))),
}
if not REDIS_URL:
    CELERY_QUEUE_DIR = Path(os.environ.get("CELERY_QUEUE_DIR") or VAR_DIR / "celery")
    for folder in ("queue", "processed", "control"):
        (CELERY_QUEUE_DIR / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "store_processed": False,
    }
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"
# JSON only, for tasks, results and events, sent and accepted: a worker that accepted
# pickle would run code from anyone who can write to the broker (and, as root, Celery
# refuses to start with it). The only SecurityWarning left is Celery's about running as
# root, which only running as another user ends (docker-compose.yml does).
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_EVENT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_ACCEPT_CONTENT = ["json"]

# Ingest: limits on what a source may fetch, the batch that commits together, and the
# lease that keeps one run per source (renewed after every batch).
INGEST_MAX_BYTES = int(os.environ.get("INGEST_MAX_BYTES", str(2 * 1024**3)))
INGEST_FETCH_TIMEOUT = float(os.environ.get("INGEST_FETCH_TIMEOUT", "30"))
INGEST_BATCH_SIZE = int(os.environ.get("INGEST_BATCH_SIZE", "2000"))
INGEST_LEASE_SECONDS = int(os.environ.get("INGEST_LEASE_SECONDS", "300"))
# How often a run waits for a busy source's lease before giving up.
INGEST_BUSY_RETRIES = int(os.environ.get("INGEST_BUSY_RETRIES", "3"))
# Fetch from private, loopback and link-local addresses too (an intranet's data server).
INGEST_ALLOW_PRIVATE_ADDRESSES = env_bool("INGEST_ALLOW_PRIVATE_ADDRESSES", False)
# News: what finds candidate updates in an article's text (a dotted path to a callable
# returning a news.extraction.base.Extractor), so another extractor can replace the rules.
NEWS_EXTRACTOR = os.environ.get("NEWS_EXTRACTOR", "news.extraction.default_extractor")
# Articles per batch: each is fetched before its batch commits and renews the lease, so
# a batch's fetches (each up to INGEST_FETCH_TIMEOUT) stay well within the lease.
NEWS_BATCH_SIZE = int(os.environ.get("NEWS_BATCH_SIZE", "5"))
# A feed or page is read whole into memory (to parse it), so it has a limit of its own,
# below INGEST_MAX_BYTES: news documents are kilobytes.
NEWS_MAX_BYTES = int(os.environ.get("NEWS_MAX_BYTES", str(20 * 1024**2)))

# News review: how many days apart a candidate and a ledger fact may be dated and still
# probably be the same fact (widened by each date's precision).
NEWS_DUPLICATE_WINDOW_DAYS = int(os.environ.get("NEWS_DUPLICATE_WINDOW_DAYS", "14"))

API_PAGE_SIZE = int(os.environ.get("API_PAGE_SIZE", "50"))
API_MAX_PAGE_SIZE = int(os.environ.get("API_MAX_PAGE_SIZE", "500"))
# Reading is public unless this is set; writing always needs the editor role.
API_READ_REQUIRES_AUTHENTICATION = env_bool("API_READ_REQUIRES_AUTHENTICATION", False)
# Anonymous requests and refused credentials count per client address, API keys per key.
# Without Redis the counts are per process: each gunicorn worker allows the full rate.
API_ANON_THROTTLE_RATE = os.environ.get("API_ANON_THROTTLE_RATE", "600/minute")
API_KEY_THROTTLE_RATE = os.environ.get("API_KEY_THROTTLE_RATE", "6000/minute")
# Request bodies larger than this are refused (413).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("API_MAX_BODY_BYTES", str(256 * 1024)))

REST_FRAMEWORK = {
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "api.ordering.StrictOrderingFilter",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ReadOrEditor"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StandardPagination",
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.LedgerJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonymousThrottle",
        "api.throttling.ApiKeyThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": API_ANON_THROTTLE_RATE, "api_key": API_KEY_THROTTLE_RATE},
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "EXCEPTION_HANDLER": "api.errors.handle_exception",
    "ORDERING_PARAM": "ordering",
    "COERCE_DECIMAL_TO_STRING": True,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "api.csv.CSVRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "api.schema.LedgerAutoSchema",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.FormatFirstNegotiation",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "aidledger API",
    "DESCRIPTION": (
        "An auditable ledger of aid commitments: pledges, commitments, allocations, "
        "deliveries, pauses and coordination mandates, each with its source."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "DatePrecisionEnum": "ledger.models.dates.DatePrecision",
        "OrganizationKindEnum": "ledger.models.organizations.OrganizationKind",
        "EventKindEnum": "ledger.models.events.EventKind",
        "RateProviderEnum": "ledger.models.fx.RateProvider",
        "TimelineKindEnum": "ledger.selectors.timeline.KINDS",
        "CandidateKindEnum": "news.models.CandidateKind",
        "FactKindEnum": "api.serializers.news.FACT_KINDS",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
}

CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that does not answer fails a request's throttle fast (which then
            # lets it through) instead of holding the request.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
