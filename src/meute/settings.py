"""meute's settings: one place, read from the environment.

Environment variables
---------------------
``MEUTE_DEBUG``          "1" to run in debug mode (default off).
``MEUTE_SECRET_KEY``     secret key; when absent one is generated once into ``MEUTE_DATA_DIR``.
``MEUTE_DATA_DIR``       where the SQLite database, media and the generated key live (default ``./var``).
``DATABASE_URL``         e.g. ``postgres://user@127.0.0.1:5432/meute``; default: SQLite in the data dir.
``MEUTE_ALLOWED_HOSTS``  comma-separated host names (default ``127.0.0.1,localhost``).
``MEUTE_SITE_URL``       the site's public address, e.g. ``https://reseau.example.org`` (links in e-mails).
                         An ``https://`` address turns the HTTPS settings on (see "Deployment" below).

Deployment (docs/deployment.md)
-------------------------------
``MEUTE_BEHIND_PROXY``   "1" when a reverse proxy terminates TLS and sets ``X-Forwarded-Proto``
                         (default: on when ``MEUTE_SITE_URL`` is ``https://``).
``MEUTE_TRUSTED_PROXIES`` comma-separated addresses or networks of the reverse proxies whose
                         ``X-Forwarded-For`` is believed (default ``127.0.0.1,::1`` behind a proxy, else none).
``MEUTE_CSRF_TRUSTED_ORIGINS`` extra origins for CSRF, comma-separated (the site URL's origin is always in).
``MEUTE_SSL_REDIRECT``   redirect plain HTTP to HTTPS (default: on with an ``https://`` site URL).
``MEUTE_HSTS_SECONDS``   Strict-Transport-Security max-age (default one year with HTTPS, else 0);
``MEUTE_HSTS_INCLUDE_SUBDOMAINS``, ``MEUTE_HSTS_PRELOAD`` (default on with HTTPS).
``MEUTE_SECURE_COOKIES`` session and CSRF cookies only over HTTPS (default: on with HTTPS).

E-mail
------
``MEUTE_EMAIL_BACKEND``  a Django e-mail backend path (default: SMTP when ``EMAIL_HOST`` is set, else console).
``EMAIL_HOST``, ``EMAIL_PORT`` (default 25, or 587 with TLS, 465 with SSL), ``EMAIL_HOST_USER``,
``EMAIL_HOST_PASSWORD``, ``EMAIL_USE_TLS`` (STARTTLS), ``EMAIL_USE_SSL``, ``MEUTE_FROM_EMAIL``.

Files
-----
``MEUTE_UPLOAD_MAX_BYTES``  the size limit of one uploaded file (default 10 MB); files live in the
                         storage named "private" (``MEUTE_DATA_DIR``/files by default).

Login and abuse limits
----------------------
``MEUTE_LOGIN_FAILURE_LIMIT``    failed logins before an account or an address is throttled (default 10).
``MEUTE_LOGIN_COOLOFF_MINUTES``  how long the throttle lasts (default 30).
``MEUTE_INTRODUCTIONS_PER_DAY``  introduction requests one member may send per 24 hours (default 10).
``MEUTE_REFERRAL_REMINDER_DAYS``  days without news before a referral's receiver is reminded (default 7).
``MEUTE_REFERRAL_EXPIRY_DAYS``  days without news before an open referral expires (default 90).

Invitations
-----------
``MEUTE_INVITATION_DAYS`` how long an invitation link stays valid (default 14 days).
``MEUTE_EMAIL_CHANGE_HOURS`` how long the link confirming a new login e-mail stays valid (default 48 hours).

Questions
---------
``MEUTE_QUESTION_ESCALATION_DAYS`` days without an answer before a question goes back to the team (default 3).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("MEUTE_DATA_DIR", Path.cwd() / "var")).resolve()


def _env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    key = os.environ.get("MEUTE_SECRET_KEY")
    if key:
        return key
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = _env_flag("MEUTE_DEBUG")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("MEUTE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "meute.core",
    "meute.accounts",
    "meute.territory",
    "meute.members",
    "meute.events",
    "meute.peergroups",
    "meute.advisor",
    "meute.notifications",
    "meute.purchases",
    "meute.questions",
    "meute.documents",
    "meute.referrals",
    "meute.engagement",
    "meute.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session: a kept page is answered without reading the session, account or bell.
    "meute.web.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "meute.web.pwa.views.OfflineViewerMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a throttled login into the "too many attempts" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "meute.urls"
WSGI_APPLICATION = "meute.wsgi.application"

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
            ],
        },
    },
]

_default_db = f"sqlite:///{DATA_DIR / 'meute.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_db), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; PRAGMA optimize=0x10002;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters are sent apart from the query text, so a query asked again is the same text and
    # psycopg prepares it on the server after five runs on a connection: PostgreSQL then skips
    # planning it (a third of the database's work on a directory page; docs/benchmarks.md).
    # Behind a connection pooler in transaction mode, use one that keeps prepared statements
    # (PgBouncer 1.21 or later, max_prepared_statements), see docs/deployment.md.
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The throttle first (it refuses a throttled account or address before any password is checked).
AUTHENTICATION_BACKENDS = [
    "meute.accounts.throttling.ThrottlingBackend",
    "meute.accounts.backends.AccountBackend",
    # Sessions opened before AccountBackend name Django's own: they stay valid.
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Paris"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
# Static files: ``collectstatic`` (run by ``make install`` and ``meute serve``) writes hashed names
# (``meute.3f2a….css``) with gzip and brotli copies; whitenoise sends them compressed, with a
# far-future ``immutable`` cache (10 years). Pages name the hashed files; before any collectstatic
# (a development server) they fall back to the plain names, served from the apps' folders.
# Uploaded documents and attachments: the "private" storage, served only through permission-checked
# views (meute.files). Any Django storage backend may replace it (docs/deployment.md).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "meute.web.staticstorage.StaticStorage"},
    "private": {"BACKEND": "meute.files.storage.PrivateFileStorage", "OPTIONS": {"location": str(DATA_DIR / "files")}},
}
MEUTE_UPLOAD_MAX_BYTES = int(os.environ.get("MEUTE_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
WHITENOISE_USE_FINDERS = True

# The person's networks and roles are cached between requests (members/access.py), per process;
# the key carries the user's ``access_version``, bumped by every change of a membership or a role.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "meute",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
    # Pages kept while the database is unchanged (web/pagecache.py): a few hundred per process.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "meute-pages",
        "OPTIONS": {"MAX_ENTRIES": max(1, int(os.environ.get("MEUTE_PAGE_CACHE_ENTRIES", "300")))},
    },
}
# How long a person's page may be answered again from memory while nothing was written (0: never).
MEUTE_PAGE_CACHE_SECONDS = max(0, int(os.environ.get("MEUTE_PAGE_CACHE_SECONDS", "30")))

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

EMAIL_BACKEND = os.environ.get("MEUTE_EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_USE_TLS = _env_flag("EMAIL_USE_TLS")
EMAIL_USE_SSL = _env_flag("EMAIL_USE_SSL")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT") or (465 if EMAIL_USE_SSL else 587 if EMAIL_USE_TLS else 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("MEUTE_FROM_EMAIL", "meute <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The public address of the site: e-mails carry absolute links built from it.
SITE_URL = os.environ.get("MEUTE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
MEUTE_INVITATION_DAYS = int(os.environ.get("MEUTE_INVITATION_DAYS", "14"))
MEUTE_EMAIL_CHANGE_HOURS = int(os.environ.get("MEUTE_EMAIL_CHANGE_HOURS", "48"))

# Imports: refuse files above this size before reading them.
MEUTE_IMPORT_MAX_BYTES = int(os.environ.get("MEUTE_IMPORT_MAX_BYTES", 10 * 1024 * 1024))
MEUTE_QUESTION_ESCALATION_DAYS = int(os.environ.get("MEUTE_QUESTION_ESCALATION_DAYS", "3"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# ----------------------------------------------------------------------------- HTTPS and deployment
# An https:// site URL is the production case: everything below follows from it unless overridden.
_site = urlsplit(SITE_URL)
HTTPS = _site.scheme == "https"
CSRF_TRUSTED_ORIGINS = [f"{_site.scheme}://{_site.netloc}"] if _site.netloc else []
CSRF_TRUSTED_ORIGINS += [o for o in _env_list("MEUTE_CSRF_TRUSTED_ORIGINS") if o not in CSRF_TRUSTED_ORIGINS]
BEHIND_PROXY = _env_flag("MEUTE_BEHIND_PROXY", default=HTTPS)
if BEHIND_PROXY:
    # The proxy terminates TLS and says so; it must overwrite any X-Forwarded-Proto the client sent.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
MEUTE_TRUSTED_PROXIES = _env_list("MEUTE_TRUSTED_PROXIES", "127.0.0.1,::1" if BEHIND_PROXY else "")
SECURE_SSL_REDIRECT = _env_flag("MEUTE_SSL_REDIRECT", default=HTTPS)
SECURE_HSTS_SECONDS = int(os.environ.get("MEUTE_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_flag("MEUTE_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = _env_flag("MEUTE_HSTS_PRELOAD", default=HTTPS)
SESSION_ENGINE = "meute.accounts.sessions"  # Django's database sessions, read with one plain query
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _env_flag("MEUTE_SECURE_COOKIES", default=HTTPS)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts and styles come from our own static files only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# ----------------------------------------------------------------------------- login throttling (django-axes)
# Failed logins are counted per account and per client address; at the limit, that account (or
# address) is refused, even with the right password, until the cool-off has passed.
AXES_FAILURE_LIMIT = int(os.environ.get("MEUTE_LOGIN_FAILURE_LIMIT", 10))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("MEUTE_LOGIN_COOLOFF_MINUTES", 30)))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# A try during the throttle does not push its end further: the delay shown is the delay applied.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "meute.accounts.throttling.username_of"
AXES_CLIENT_IP_CALLABLE = "meute.accounts.throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "meute.accounts.throttling.lockout_response"
AXES_VERBOSE = False
# No row per successful login (address, browser) kept for ever: only failures are counted, and
# they expire with the cool-off.
AXES_DISABLE_ACCESS_LOG = True

# Person-to-person actions: how many introduction requests one member may send per 24 hours.
MEUTE_INTRODUCTIONS_PER_DAY = int(os.environ.get("MEUTE_INTRODUCTIONS_PER_DAY", 10))
MEUTE_REFERRAL_REMINDER_DAYS = int(os.environ.get("MEUTE_REFERRAL_REMINDER_DAYS", 7))
MEUTE_REFERRAL_EXPIRY_DAYS = int(os.environ.get("MEUTE_REFERRAL_EXPIRY_DAYS", 90))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_secrets": {"()": "meute.web.accesslog.SecretMaskingFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_secrets"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("MEUTE_LOG_LEVEL", "WARNING")},
}
