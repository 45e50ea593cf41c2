from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, os

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "test-results" / "media"
WAGTAILADMIN_BASE_URL = "http://testserver"
# Static files straight from the apps, without collectstatic, also with DEBUG off.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The rate limits and the login lockout need a cache shared with the live server's threads:
# Redis, as in production. Each worktree or CI job may use its own database number.
CACHES = {
    "default": {
        "BACKEND": "collectif.delivery.cache_backend.RedisCache",
        "LOCATION": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "KEY_PREFIX": "collectif-test",
        # As in production (base.py): a Redis that stops answering fails fast.
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    },
    "sessions": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "KEY_PREFIX": "collectif-test",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    },
}
SESSION_CACHE_ALIAS = "sessions"

# On SQLite the test database is a file that `make test` keeps between runs (pytest
# --reuse-db: only new migrations are applied), instead of migrating an in-memory database
# before every run; CI starts from a new one (--create-db).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "test-results").mkdir(exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-results" / "test-db.sqlite3")}
