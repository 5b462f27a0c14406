"""Settings shared by every environment. The environment is read here and in production.py only."""

import base64
import hashlib
import ipaddress
import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

from search.analysis import elasticsearch_analysis

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

INSTALLED_APPS = [
    "network",
    "events",
    "webinars",
    "search",
    "django_tasks",
    "django_tasks_db",
    "wagtail.api.v2",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # Whole public pages from the shared cache, before anything else runs: a kept page holds the headers the rest added
    # when it was made (README, "Whole pages from the cache").
    "network.pagecache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "network.middleware.CachedSiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "network.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "network.context_processors.site_navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "network.wsgi.application"

# Database: DATABASE_URL, or the embedded SQLite file so a new user needs nothing else.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the database lock at BEGIN instead of failing half-way: this is what keeps registration from
    # overbooking on SQLite (on PostgreSQL it takes an advisory lock per offering).
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
    # Reads map the database file (up to 256 MiB) instead of copying each page into the connection's own 2 MB cache:
    # the pages stay in the operating system's cache, shared by every worker (a theme-filtered search reads index
    # rows spread over the whole file).
    DATABASES["default"]["OPTIONS"]["init_command"] = f"PRAGMA mmap_size = {256 * 1024 * 1024}"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language and time: Danish first, English second; Copenhagen time.
LANGUAGE_CODE = "da"
# Each language is named in its own language, for the language switch.
LANGUAGES = [("da", "Dansk"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# The project's own catalogue, then its Danish for Wagtail's and taggit's catalogues, one directory per catalogue
# (Django reads one django.po per locale directory), kept apart so they can be offered to Wagtail's translators.
# Earlier directories win over later ones and over the apps' own catalogues.
LOCALE_PATHS = [
    BASE_DIR / "locale",
    *sorted({po.parents[2] for po in (BASE_DIR / "locale").glob("*/**/da/LC_MESSAGES/*.po")}),
]
TIME_ZONE = "Europe/Copenhagen"
# Dates in the admin as "15. dec. 2026" (Django's Danish "15. december 2026" is long in listings and history).
FORMAT_MODULE_PATH = ["network.settings.formats"]
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# E-mail. Development prints to the console; production reads the SMTP settings from the environment.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kompetencenetværket <noreply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Seconds an SMTP connection may wait for the mail server at each step before the message is left for a retry
# (a server that accepts and never answers would otherwise hold the worker, and every later message, for good).
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "20"))

# Background tasks (django-tasks): e-mail delivery from the outbox, Wagtail's own index and reference updates.
# Run at once here and in development and tests; production queues them in the database for `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Whole pages from the cache (network.pagecache): a kept page lives until the next publish, the next moment time
# changes what the site shows, or these many seconds, whichever comes first; one that shows seats left (or a card
# state made from them) on an offering still taking registrations, at most PAGE_CACHE_SEATS_SECONDS. 0: no page cache.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
PAGE_CACHE_SEATS_SECONDS = int(os.environ.get("PAGE_CACHE_SEATS_SECONDS", "10"))

# Registration (events.registration).
REGISTRATION_RETENTION_MONTHS = int(os.environ.get("REGISTRATION_RETENTION_MONTHS", "12"))
REGISTRATION_REMINDER_DAYS = int(os.environ.get("REGISTRATION_REMINDER_DAYS", "2"))
REGISTRATION_MAX_PARTICIPANTS_PER_SUBMISSION = 25
# Evaluations (events.registration.evaluations): one reminder this many days after the link, closed this many days
# after the offering ended; results shown from this many answers, so no one answer can be picked out.
EVALUATION_REMINDER_DAYS = int(os.environ.get("EVALUATION_REMINDER_DAYS", "4"))
EVALUATION_OPEN_DAYS = int(os.environ.get("EVALUATION_OPEN_DAYS", "21"))
EVALUATION_MIN_RESPONSES = int(os.environ.get("EVALUATION_MIN_RESPONSES", "5"))
# Attempts per hour at the public form, per IP address and per contact e-mail; 0 turns a limit off.
REGISTRATION_RATE_LIMIT_PER_IP = int(os.environ.get("REGISTRATION_RATE_LIMIT_PER_IP", "30"))
REGISTRATION_RATE_LIMIT_PER_EMAIL = int(os.environ.get("REGISTRATION_RATE_LIMIT_PER_EMAIL", "10"))
REGISTRATION_PRIVACY_NOTICE_VERSION = "2026-11"
# Minutes the seats of a contact who has not yet confirmed the e-mail address (a link) are held; then they are freed.
REGISTRATION_HOLD_MINUTES = int(os.environ.get("REGISTRATION_HOLD_MINUTES", "60"))
# Experiments between course days (events.registration.experiments): the largest file a participant may attach, and
# where the files are kept: outside MEDIA_ROOT, which the proxy serves to anyone; only our views hand them out.
EXPERIMENT_FILE_MAX_BYTES = int(os.environ.get("EXPERIMENT_FILE_MAX_BYTES", str(10 * 1024 * 1024)))
EXPERIMENT_FILES_ROOT = Path(os.environ.get("EXPERIMENT_FILES_ROOT", BASE_DIR / "var" / "experiments"))
# Test-only switch: False lets the concurrency test show that, without the lock, seats are overbooked.
REGISTRATION_LOCKING = True
# Seconds a change waits for its offering's lock (PostgreSQL) before the visitor is asked to try again; 0: no limit.
REGISTRATION_LOCK_TIMEOUT = float(os.environ.get("REGISTRATION_LOCK_TIMEOUT", "10"))
# Delivery attempts before an e-mail is left as failed for a coordinator to see (retries back off).
OUTBOX_MAX_ATTEMPTS = 6
# Sent e-mails are deleted after this many days (they hold names and manage links); `anonymise_registrations` does it.
OUTBOX_KEEP_SENT_DAYS = 30

# Wagtail
WAGTAIL_SITE_NAME = "Bibliotekernes kompetencenetværk"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAIL_DATE_FORMAT = "%d.%m.%Y"
WAGTAIL_DATETIME_FORMAT = "%d.%m.%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
TAGGIT_CASE_INSENSITIVE = True
# Wagtail's login form with its password label in Danish.
WAGTAILADMIN_USER_LOGIN_FORM = "network.admin_forms.AdminLoginForm"
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 100

# No avatars from Gravatar in the admin: it would send a hash of each coordinator's e-mail to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Search: the database backend in Danish (search.backends.database: SQLite FTS5 with Snowball stemming done by us,
# or PostgreSQL's full text search with the `danish` configuration) unless ELASTICSEARCH_URL is set, in which case
# the Elasticsearch 9 backend with a Danish analyzer. The Danish analysis lives in search/analysis.py.
DANISH_ANALYSIS = elasticsearch_analysis()


def search_backends(environ=os.environ):
    """Choose the search backend from the environment (a function so tests can check the choice)."""
    url = environ.get("ELASTICSEARCH_URL", "").strip()
    if url:
        return {
            "default": {
                "BACKEND": "wagtail.search.backends.elasticsearch9",
                "URLS": [url],
                "INDEX_PREFIX": environ.get("ELASTICSEARCH_INDEX_PREFIX", "kompetencenetvaerk_"),
                "TIMEOUT": 10,
                "OPTIONS": {},
                "INDEX_SETTINGS": {"settings": DANISH_ANALYSIS},
            }
        }
    return {
        "default": {
            "BACKEND": "search.backends.database",
            "SEARCH_CONFIG": "danish",
        }
    }


WAGTAILSEARCH_BACKENDS = search_backends()
# A ranking that reaches the 1,000 cap is kept in the cache for the content generation (search.ranking.rank);
# "false" ranks every search anew (`make bench` measures it so too).
SEARCH_CACHE_RANKINGS = os.environ.get("SEARCH_CACHE_RANKINGS", "true").strip().lower() != "false"

# The reverse proxies in front of gunicorn (README, Production): addresses or networks, comma-separated. Only a
# request from one of them has its client taken from X-Forwarded-For (network.client.client_ip); none by default.
TRUSTED_PROXIES = [proxy.strip() for proxy in os.environ.get("TRUSTED_PROXIES", "").split(",") if proxy.strip()]
for _proxy in TRUSTED_PROXIES:
    ipaddress.ip_network(_proxy, strict=False)  # a typo stops the start-up instead of trusting nobody silently

# Admin login (django-axes): after AXES_FAILURE_LIMIT failed logins of one username from one address (network.client),
# that pair is refused, even with the right password, for the cool-off. Counted in the database, seen by every worker.
INSTALLED_APPS += ["axes"]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
AXES_FAILURE_LIMIT = int(os.environ.get("ADMIN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("ADMIN_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "network.client.client_ip"
AXES_LOCKOUT_CALLABLE = "network.views.admin_login_locked"
AXES_RESET_ON_SUCCESS = True
# No row per successful login: the failures are what the lock needs, and a log of every login is personal data.
AXES_DISABLE_ACCESS_LOG = True

# Headers of the public site. Content-Security-Policy (django-csp): scripts and style sheets from the site only, no
# inline script (JSON-LD blocks are data, not run); style attributes are allowed (charts size themselves with them).
# The 500 page stands alone, without static files: its one <style> is allowed by its hash, worked out here.
# The admin has no policy: Wagtail's admin still writes inline scripts (panels, date pickers) and styles.
INSTALLED_APPS += ["csp"]
MIDDLEWARE.insert(2, "django_permissions_policy.PermissionsPolicyMiddleware")
MIDDLEWARE.insert(3, "csp.middleware.CSPMiddleware")
_error_style = re.search(r"<style>(.*?)</style>", (BASE_DIR / "templates" / "500.html").read_text(), re.S)
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, f"'sha256-{base64.b64encode(hashlib.sha256(_error_style[1].encode()).digest()).decode()}'"],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}
# Browser features the site never uses, refused for it and anything it might embed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone", "payment", "usb",
    )
}  # fmt: skip
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}


# --- Cache (README, "Cache and e-mail in production") ---------------------------------------------------------------
def shared_cache(environ=os.environ) -> dict:
    """The production cache, shared by every worker: Redis at REDIS_URL, else Django's database cache (its table is
    made by `migrate`), never one per process. Redis errors are logged and ignored: a Redis that is down makes the
    site slower (nothing cached), not unavailable."""
    url = environ.get("REDIS_URL", "").strip()
    if url:
        options = {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5}
        return {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": url, "OPTIONS": options}}
    # Listings cache each offering card and the menu: room for many more than the default 300 entries.
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "network_cache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }


DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# While Redis is down every cache call fails: one line a minute per process says so, with how many were left out.
LOGGING["filters"] = {"once_a_minute": {"()": "network.logfilters.Throttle", "seconds": 60}}
LOGGING["loggers"] = {"django_redis.cache": {"filters": ["once_a_minute"]}}
