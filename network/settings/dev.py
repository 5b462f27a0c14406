from urllib.parse import urlsplit

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "dev-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# E-mails from `make run` are written as files to var/mail/, one .log file per message batch, to read in any editor.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"  # noqa: F405
# Django's own error pages in development write inline scripts and styles: the policy only reports here.
CONTENT_SECURITY_POLICY_REPORT_ONLY, CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY, None  # noqa: F405

# `make run HOST=... PORT=...` sets WAGTAILADMIN_BASE_URL to the address it serves on (the links in e-mails); that
# host is allowed too.
_base_host = urlsplit(WAGTAILADMIN_BASE_URL).hostname or ""  # noqa: F405
if _base_host and ":" not in _base_host and _base_host not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(_base_host)
