"""The bench's « bare Django view »: one view and CommonMiddleware only, no database, served
by the same gunicorn configuration as the site (`DJANGO_SETTINGS_MODULE=bench.bare`). A page
served from the site's page cache is measured against it."""

from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

SECRET_KEY = "bench-bare-view"
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = __name__
INSTALLED_APPS = []
DATABASES = {}
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
USE_TZ = True


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", bare)]


_handler = None


def application(environ, start_response):
    """`gunicorn bench.bare:application`: Django's own WSGI handler for this one view, made at
    the first request (this module is also its settings, read while it is made)."""
    global _handler
    if _handler is None:
        _handler = get_wsgi_application()
    return _handler(environ, start_response)
