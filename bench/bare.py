"""The bench's « bare Django view »: one view and CommonMiddleware only, no database, served
by the same gunicorn configuration as the site (`DJANGO_SETTINGS_MODULE=bench.bare`). A page
served from the site's page cache is measured against it."""

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
