from .base import *  # noqa: F403
from .base import SECRET_KEY, os

DEBUG = True
# A throwaway key for a local machine only; production refuses to start without its own.
SECRET_KEY = SECRET_KEY or "dev-only-key-not-for-production"
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The task worker of `make run` reports each task it runs; the console shows only its
# warnings and failures, so that the emails it sends (printed by the console backend) and the
# links stay readable.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler", "level": "WARNING"}},
    "loggers": {
        name: {"handlers": ["console"], "propagate": False}
        for name in ("django_tasks_db", "django_tasks", "django.tasks")
    },
}
