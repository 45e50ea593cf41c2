from .base import *  # noqa: F403
from .base import SECRET_KEY, os

DEBUG = True
# A throwaway key for a local machine only; production refuses to start without its own.
SECRET_KEY = SECRET_KEY or "dev-only-key-not-for-production"
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
