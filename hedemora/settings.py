"""Settings for Budgetuppföljning, read from the environment.

Without any environment the application runs in development mode on an
embedded SQLite file. ``DJANGO_ENV=production`` turns on production mode,
which refuses to start without SECRET_KEY, ALLOWED_HOSTS and SITE_URL.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from hedemora.security import parse_networks

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production mode")
    return value


PRODUCTION = os.environ.get("DJANGO_ENV", "development") == "production"

if PRODUCTION:
    SECRET_KEY = required("SECRET_KEY")
    ALLOWED_HOSTS = [h.strip() for h in required("ALLOWED_HOSTS").split(",") if h.strip()]
    DEBUG = False
else:
    SECRET_KEY = os.environ.get(
        "SECRET_KEY", "development-only-key-never-used-in-production-4f9c2d7e1a"
    )
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
    DEBUG = envbool("DEBUG", True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "csp",
    "rules",
    "axes",
    "budget",
    "followup",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Cache-Control: no-store on every answer to a signed-in user, exports included.
    "hedemora.security.NoStoreForSignedIn",
    "django.contrib.messages.middleware.MessageMiddleware",
    # ?export=xlsx&tabell=<id>: one of the page's tables as a workbook, as shown.
    "budget.middleware.ShownTableExport",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: it answers a locked-out login attempt.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Counts failed logins and refuses a locked-out user before any password check.
    "axes.backends.AxesStandaloneBackend",
    # Object-level permissions: budget/permissions.py.
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Throttling of failed logins (django-axes): after AXES_FAILURE_LIMIT failures for the
# same user name from the same address, that pair is locked out for AXES_COOLOFF_TIME hours.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client's address for that pair: REMOTE_ADDR, or behind a trusted reverse proxy the
# rightmost untrusted address of X-Forwarded-For (hedemora/security.py). TRUSTED_PROXIES:
# the proxies' addresses or networks, comma-separated; empty trusts no header.
try:
    TRUSTED_PROXIES = parse_networks(os.environ.get("TRUSTED_PROXIES", ""))
except ValueError as exc:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES must list addresses or networks: {exc}") from exc
AXES_CLIENT_IP_CALLABLE = "hedemora.security.client_ip"

ROOT_URLCONF = "hedemora.urls"

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
                "budget.context_processors.navigation",
            ],
            "string_if_invalid": "",
        },
    },
]

WSGI_APPLICATION = "hedemora.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The pages' queries are short aggregates: PostgreSQL's JIT compilation, switched on
    # when a plan's estimated cost passes a threshold (stale statistics are enough), costs
    # tens of milliseconds and saves nothing on them.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# What pages derive from a published period (its figures and its paper) is cached
# (followup/periods/cache.py, docs/decisions/0025): in each process's memory by default;
# with REDIS_URL (redis://host:6379/0) in Redis, shared by every worker. A cache that
# fails is passed by, so Redis answers fast or not at all: short timeouts, no retries.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        f"REDIS_URL must start with redis:// or rediss://, not {REDIS_URL!r}"
    )
if REDIS_URL:
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "budget",
            "OPTIONS": {
                "socket_connect_timeout": 0.5,
                "socket_timeout": 0.5,
                "retry": Retry(NoBackoff(), 0),
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "budget",
            "KEY_PREFIX": "budget",
        }
    }

# Argon2id first: new passwords and every login with an older hash end up with it. PBKDF2 stays
# to read the hashes made before it (docs/decisions/0024-password-hashing.md).
PASSWORD_HASHERS = [
    "hedemora.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "budget:start"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"

DJANGO_TABLES2_TEMPLATE = "tables/table.html"

# Uploaded documents (decision protocol extracts). No MEDIA_URL, and the web server must
# not serve MEDIA_ROOT: a view checks who may see each file
# (followup.views.reallocations.reallocation_protocol).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Uploaded budget workbooks are checked before openpyxl opens them.
BUDGET_UPLOAD_MAX_BYTES = envint("BUDGET_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = [
        o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
    ]

# The address users reach the application at, for absolute links in e-mails.
SITE_URL = (
    required("SITE_URL")
    if PRODUCTION
    else os.environ.get("SITE_URL", "http://127.0.0.1:8000").strip()
).rstrip("/")
if not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"SITE_URL must start with https:// or http://, not {SITE_URL!r}")

# E-mail: printed on the console in development; sent through SMTP in production.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "budget@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true")
# Seconds; without a timeout a hanging mail server would hang the daily cron job.
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)

# send_reminders (cron, daily): controllers are reminded this many days before a deadline.
REMINDER_DAYS_BEFORE = envint("REMINDER_DAYS_BEFORE", 3)
if REMINDER_DAYS_BEFORE < 0:
    raise ImproperlyConfigured("REMINDER_DAYS_BEFORE must not be negative")

# Kolada, the open database of Swedish municipalities (import_kolada, the Kolada page):
# the API's address, the seconds to wait for an answer and the retries on network errors.
KOLADA_BASE_URL = os.environ.get("KOLADA_BASE_URL", "https://api.kolada.se/v3").rstrip("/")
KOLADA_TIMEOUT = envint("KOLADA_TIMEOUT", 10)
KOLADA_RETRIES = envint("KOLADA_RETRIES", 2)
# Folders with the counties' lists of municipalities (kolada-kommuner-<län>.toml): a
# municipality is compared with the rest of the county whose file lists its Kolada id.
KOLADA_COUNTY_DIRS = [BASE_DIR / "fixtures"]
if not KOLADA_BASE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"KOLADA_BASE_URL must start with https://, not {KOLADA_BASE_URL!r}")
if KOLADA_TIMEOUT <= 0 or KOLADA_RETRIES < 0:
    raise ImproperlyConfigured("KOLADA_TIMEOUT must be positive and KOLADA_RETRIES not negative")

# Open data (followup/opendata, docs/decisions/0028): the published periods' figures per
# committee and the adopted budget's tables, without login, as CSV, JSON and a DCAT-AP-SE
# catalogue under /oppna-data/. Off by default: every open-data address answers 404.
OPEN_DATA = envbool("OPEN_DATA_ENABLED", False)
OPEN_DATA_LICENSE = os.environ.get(
    "OPEN_DATA_LICENSE", "https://creativecommons.org/publicdomain/zero/1.0/"
).strip()
# The municipality's mailbox for questions about the data (a function's, never a person's):
# the catalogue's contact point. Empty: the catalogue names the municipality only.
OPEN_DATA_CONTACT_EMAIL = os.environ.get("OPEN_DATA_CONTACT_EMAIL", "").strip()
# Requests per client address per minute (429 beyond), and how long a client may keep an answer.
OPEN_DATA_RATE_LIMIT = envint("OPEN_DATA_RATE_LIMIT", 60)
OPEN_DATA_MAX_AGE = envint("OPEN_DATA_MAX_AGE", 60 * 60)
if not OPEN_DATA_LICENSE.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        f"OPEN_DATA_LICENSE must be the licence's address, not {OPEN_DATA_LICENSE!r}"
    )
if OPEN_DATA_RATE_LIMIT <= 0 or OPEN_DATA_MAX_AGE < 0:
    raise ImproperlyConfigured(
        "OPEN_DATA_RATE_LIMIT must be positive and OPEN_DATA_MAX_AGE not negative"
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
