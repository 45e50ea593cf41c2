"""The site as a WSGI application (gunicorn.conf.py): Django, with the page cache's hits
answered before Django handles the request (collectif/delivery/cache.py, `serve_hits`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collectif.settings.production")

django_application = get_wsgi_application()

# After the line above: the page cache's module needs the apps it loads.
from collectif.delivery.cache import serve_hits  # noqa: E402

application = serve_hits(django_application)
