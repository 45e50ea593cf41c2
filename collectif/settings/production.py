"""Production: every service comes from the environment (docs/exploitation.md lists each
variable). The settings refuse to start when a required one is missing, with a message in
French and English, rather than run half configured."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, INSTALLED_APPS, LOGGING, SECRET_KEY, STORAGES, env_bool

DEBUG = False


def require(name, why):
    if not os.environ.get(name, "").strip():
        raise ImproperlyConfigured(
            f"{name} manque dans l’environnement : {why} / "
            f"{name} must be set in the environment in production."
        )


if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY manque dans l’environnement / SECRET_KEY must be set in the environment "
        "in production."
    )
require("DATABASE_URL", "la base PostgreSQL du site (postgres://…)")
require(
    "REDIS_URL",
    "le cache partagé par les serveurs d’application (pages, limites, sessions), redis://…",
)
require(
    "DEFAULT_FROM_EMAIL",
    "l’expéditeur de tous les courriels du site, sur le domaine du Collectif, par exemple "
    "Collectif petite enfance <bonjour@collectifpetiteenfance.org>",
)
if DATABASES["default"].get("ENGINE") != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "DATABASE_URL doit désigner une base PostgreSQL (postgres://…) / DATABASE_URL must be "
        "a PostgreSQL database in production."
    )
# Persistent connections (DATABASE_CONN_MAX_AGE, 60 s by default), checked before reuse
# (base.py: conn_health_checks): a restarted PostgreSQL costs one reconnection, not errors.

# Sessions in Redis in front of the database: every app server reads the same session; one
# Redis cannot read is an empty session, not an error (collectif/delivery/sessions.py).
SESSION_ENGINE = "collectif.delivery.sessions"

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

# Uploaded files (images, documents) on an S3-compatible object storage, shared by every app
# server, when a bucket is named; otherwise in MEDIA_ROOT (one server, or a shared volume).
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    # The keys are read by boto3 from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = env_bool("AWS_QUERYSTRING_AUTH", False)
    AWS_S3_FILE_OVERWRITE = False
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# A load balancer probes /sante/ in plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^sante/"]
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

# The caching proxy (Varnish, deploy/varnish/collectif.vcl): Wagtail purges a page's
# addresses there when it is published or unpublished (through the task worker).
FRONTEND_CACHE_URL = os.environ.get("FRONTEND_CACHE_URL", "")
if FRONTEND_CACHE_URL:
    WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": FRONTEND_CACHE_URL,
        }
    }
if "wagtail.contrib.frontend_cache" not in INSTALLED_APPS:
    raise ImproperlyConfigured(
        "wagtail.contrib.frontend_cache manque dans INSTALLED_APPS : la publication ne "
        "purgerait pas le mandataire / the proxy would never be purged on publication."
    )

# Logs: JSON lines by default (LOG_FORMAT=text for a person reading a terminal).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
LOGGING = {
    **LOGGING,
    "handlers": {
        "console": {
            **LOGGING["handlers"]["console"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {**LOGGING["root"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Errors reported to Sentry (or a compatible service) when SENTRY_DSN is set: no personal
# data (no cookies, no address, no user), and no private-link token in what is sent.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    from collectif.operations.logs import scrub_sentry_event

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,
        before_send=scrub_sentry_event,
        before_send_transaction=scrub_sentry_event,
    )
