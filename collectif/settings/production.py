import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LOGGING, SECRET_KEY, STORAGES, env_bool

DEBUG = False

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment in production.")

# The address of every link the site mails (private links of the parties, newsletter
# confirmations, Wagtail's review emails): without it they would open 127.0.0.1.
if not os.environ.get("WAGTAILADMIN_BASE_URL", "").startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        "WAGTAILADMIN_BASE_URL must be set in the environment in production: the public "
        "address of the site, e.g. WAGTAILADMIN_BASE_URL=https://collectifpetiteenfance.org "
        "(the links of the emails open it)."
    )

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# HSTS: browsers refuse plain HTTP to this host (and its subdomains) for a year. On by
# default; turn it off (SECURE_HSTS_SECONDS=0) only while the site has no valid certificate
# yet, and SECURE_HSTS_INCLUDE_SUBDOMAINS=0 if a subdomain must stay on plain HTTP. The
# preload flag only allows a listing in browsers: nothing is listed until the owner of the
# domain submits it (https://hstspreload.org).
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

SILENCED_SYSTEM_CHECKS = [
    # W019: X_FRAME_OPTIONS is SAMEORIGIN, not DENY, because Wagtail's preview shows the page
    # in a frame of the admin (same origin); other sites still cannot frame the site.
    "security.W019",
]

LOGGING = {**LOGGING, "root": {**LOGGING["root"], "level": os.environ.get("LOG_LEVEL", "INFO")}}
