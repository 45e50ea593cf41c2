"""Settings shared by every environment; each value that differs per machine comes from the
environment, so that no secret or host name lives in the code."""

import os
from pathlib import Path

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


INSTALLED_APPS = [
    "collectif",
    "home",
    "pillars",
    "boussole",
    "search",
    "campaigns",
    "newsletter",
    "wagtail.contrib.forms",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    # Purges the caching proxy (Varnish) on publication when WAGTAILFRONTENDCACHE is set.
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    # Wagtail's users app, with our rule of who manages whose account.
    "collectif.apps.UsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "axes",
]

MIDDLEWARE = [
    # First: every log line of the request carries its id (X-Request-ID in and out).
    "collectif.operations.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The Host header checked, strange methods refused, before the page cache reads them.
    "collectif.protection.security.RefusedRequestMiddleware",
    # As early as its rules allow (after the HTTPS redirect): a cached public page is answered
    # before the session, the database or anything else; it keeps the headers of the
    # middleware below (security headers, CSP), set once when the page was rendered.
    "collectif.delivery.cache.PublicPageCacheMiddleware",
    "collectif.protection.security.SecurityHeadersMiddleware",
    "collectif.protection.security.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A page the cache did not have: its site, settings, restrictions and route from the
    # cache, for this generation of the pages (no query before the page's own).
    "collectif.delivery.renders.KnownRoutesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A session Redis could not read: the admin's login page says why.
    "collectif.delivery.sessions.UnreadableSessionMiddleware",
    "collectif.protection.security.RequestBodyLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # A username under attack slowed down for browsers it never logged in from.
    "collectif.protection.lockout.LoginSlowdownMiddleware",
    # Last, so that it sees the failed logins of every view (Wagtail's admin login).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "collectif.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "collectif.delivery.cache.visitor",
            ],
        },
    },
]

WSGI_APPLICATION = "collectif.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out user or address before any password is checked.
    "collectif.protection.security.LoginLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The site and its admin speak Québec French only.
LANGUAGE_CODE = "fr-ca"
LANGUAGES = [("fr-ca", "Français")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]
TIME_ZONE = "America/Toronto"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PROJECT_DIR / "locale"]
FORMAT_MODULE_PATH = ["collectif.formats"]

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
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Email: any SMTP server, configured from the environment.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = 20
if os.environ.get("EMAIL_FILE_PATH"):
    # With EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend: each email in a
    # file of this folder (make production-check), instead of a server.
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Collectif petite enfance <noreply@collectifpetiteenfance.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Wagtail
WAGTAIL_SITE_NAME = "Collectif petite enfance"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if DATABASES["default"].get("ENGINE") == "django.db.backends.postgresql":
    # French stemming without accents; the configuration is made by search/migrations/0001.
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "collectif_french"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 15 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No account pictures fetched from gravatar.com: the admin works offline, calls no third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Page addresses in plain ASCII ("sante-mentale"), easy to type and to share.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"

# Background tasks (the campaign emails, Wagtail's own index updates) are queued in the
# database and run by `manage.py db_worker`: `make run` starts one, production runs its own.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A task still RUNNING after this many seconds was left by a dead worker: run_scheduler puts
# it back in the queue (collectif/operations/worker.py). Far longer than any task of the site
# takes.
TASK_LEASE_SECONDS = int(os.environ.get("TASK_LEASE_SECONDS", "900"))
# /sante/ fails when the oldest task ready to run has waited longer than this (no worker, or
# workers far behind).
HEALTH_TASK_MAX_AGE = int(os.environ.get("HEALTH_TASK_MAX_AGE", "300"))


# Security and privacy (issue 10): headers, caches, rate limits, body sizes, logs.

# Cache: shared by the rate limits and the login lockout, so use Redis as soon as there is
# more than one app server (REDIS_URL); a local-memory cache is enough for `make run`.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # A Redis that stops answering is a miss, not an error
            # (collectif/delivery/cache_backend.py), found out in a second at most, not minutes;
            # /sante/ reports it.
            "BACKEND": "collectif.delivery.cache_backend.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "collectif"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        },
        # The sessions' cache raises when Redis cannot answer: collectif/delivery/sessions.py then
        # treats the session as unreadable and tells the team why it must log in again.
        "sessions": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "collectif"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        },
    }
    SESSION_CACHE_ALIAS = "sessions"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The client's address: REMOTE_ADDR, unless the site runs behind a proxy that sets a header
# of its own. Name that header here (e.g. "HTTP_X_REAL_IP" or "HTTP_X_FORWARDED_FOR"), and only
# when the proxy overwrites it: otherwise anyone could choose their address by sending it.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")
# With X-Forwarded-For, the number of trusted proxies in front of the app (the address taken
# is the one that many entries from the right).
CLIENT_IP_PROXY_COUNT = int(os.environ.get("CLIENT_IP_PROXY_COUNT", "1"))

# Rate limits: (number of requests, period in seconds) per client address or per key.
RATE_LIMITS = {
    "newsletter-ip": (10, 3600),
    "newsletter-address": (1, 3600),
    "search": (60, 60),
    "password-reset-ip": (5, 3600),
    "password-reset-address": (3, 3600),
    # A party's saves and submissions per private link, its automatic drafts (one every few
    # seconds while it types), and every party post per client address.
    "party-post": (60, 3600),
    "party-autosave": (900, 3600),
    "party-post-ip": (1200, 3600),
    # Failed admin logins of one username (from any address) before it is slowed down, then
    # one attempt per period for it from browsers it never logged in from
    # (collectif/protection/lockout.py).
    "login-username": (10, 3600),
    "login-username-slot": (1, 60),
}
# Benchmarks and load checks run from one address: they raise every limit by this factor.
RATE_LIMITS_FACTOR = int(os.environ.get("RATE_LIMITS_FACTOR", "1"))
RATE_LIMITS = {
    scope: (limit * RATE_LIMITS_FACTOR, period) for scope, (limit, period) in RATE_LIMITS.items()
}
# A public form filled in faster than this (seconds) is a robot's.
FORM_MIN_FILL_SECONDS = float(os.environ.get("FORM_MIN_FILL_SECONDS", "2"))

# Admin login: after 5 failures, the pair (username, client address) is locked for an hour, and
# so is an address whatever the usernames it tried; never a username alone, so that its owner
# logs in from elsewhere (collectif/protection/lockout.py slows the username down instead).
# Unlock earlier in Paramètres › Comptes verrouillés, or with `manage.py axes_reset_username NAME`.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_CLIENT_IP_CALLABLE = "collectif.protection.ratelimit.client_ip"
AXES_LOCKOUT_TEMPLATE = "axes_lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_SENSITIVE_PARAMETERS = ["password"]
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "collectif.protection.forms.LimitedPasswordResetForm"

# Law 25: how long each kind of personal datum is kept, in days (collectif/privacy.py,
# purged daily by run_scheduler through purge_personal_data; docs/confidentialite.md).
PERSONAL_DATA_RETENTION_DAYS = {
    "unconfirmed_subscribers": 7,
    "unsubscribed_subscribers": 30,
    # After the campaign's closing date: its followers (newsletter.Follower) are forgotten.
    "campaign_followers": 365,
    "task_results": 30,
    "search_terms": int(os.environ.get("SEARCH_TERMS_RETENTION_DAYS", "90")),
    "login_records": 90,
    # After the campaign's closing date (the campaigns app's purge of respondent names).
    "respondent_names": 365,
}

# Searches that look like words are counted for the team's report and the promoted results,
# and forgotten after PERSONAL_DATA_RETENTION_DAYS["search_terms"] (search/views.py).
WAGTAILSEARCH_HITS_MAX_AGE = PERSONAL_DATA_RETENTION_DAYS["search_terms"]

# Bodies: the public forms take a few kilobytes (collectif.protection.security caps them at
# 256 KB and refuses their files); the page editor posts more. Uploads (images up to
# WAGTAILIMAGES_MAX_UPLOAD_SIZE) go to files, which DATA_UPLOAD_MAX_MEMORY_SIZE does not count.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10000
DATA_UPLOAD_MAX_NUMBER_FILES = 20
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# The largest body the site accepts at all (a document upload in the admin), in bytes.
MAX_REQUEST_BODY_SIZE = int(os.environ.get("MAX_REQUEST_BODY_SIZE", str(60 * 1024 * 1024)))

# Content-Security-Policy: the public pages load only the site's own files (no inline script
# or style; see STYLE.md) and the video players of embeds. The admin gets the policy Wagtail
# needs (collectif.protection.security.ADMIN_CSP).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": [
            "https://www.youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), browsing-topics=()"
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Wagtail's preview shows the page in a frame of the admin, on the same origin.
X_FRAME_OPTIONS = "SAMEORIGIN"

# Logs: private-link tokens never reach a log (django.request logs the path of each 4xx).
# The site's own records (purges, lockouts, failed tasks, rate limits) are always kept;
# production lowers LOG_LEVEL to INFO for the rest.
# LOG_FORMAT=json writes one JSON object per line (time, level, logger, message, request id),
# the default in production; "text" otherwise.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_tokens": {"()": "collectif.operations.logs.RedactTokensFilter"},
        "refused_requests": {"()": "collectif.operations.logs.RefusedRequestsFilter"},
        "request_id": {"()": "collectif.operations.logs.RequestIdFilter"},
    },
    "formatters": {
        "text": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "collectif.operations.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["refused_requests", "redact_tokens", "request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "collectif": {"level": "INFO"},
        # Django's own handlers would print without the filter; ours go through the root.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
