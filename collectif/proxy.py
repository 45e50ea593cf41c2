"""The caching proxy (Varnish) follows the site's own page cache.

Wagtail's frontend cache purges a page's own addresses when it is published or unpublished.
But a change shows on other pages too (a title in the menu, a member on the home page, an
answer on a theme page): the site's cache renews every page then (collectif/cache.py, the
generation). The proxy does the same: once the change is committed, a task asks every proxy
of WAGTAILFRONTENDCACHE to drop every page (BAN, deploy/varnish/collectif.vcl). A single task
waits at a time: a burst of changes makes one ban."""

import logging
from urllib.error import URLError
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

from django.conf import settings
from django.db import DatabaseError

from django_tasks import task

from collectif.worker import enqueue_once

logger = logging.getLogger("collectif.proxy")


def proxy_locations():
    backends = getattr(settings, "WAGTAILFRONTENDCACHE", None) or {}
    return [
        config["LOCATION"]
        for config in backends.values()
        if config.get("BACKEND", "").endswith("HTTPBackend") and config.get("LOCATION")
    ]


class BanRequest(Request):
    def get_method(self):
        return "BAN"


@task()
def ban_proxy_pages():
    for location in proxy_locations():
        parts = urlsplit(location)
        try:
            urlopen(BanRequest(f"{parts.scheme}://{parts.netloc}/"), timeout=5)
        except (URLError, OSError) as error:
            # The proxy keeps pages for s-maxage at most (10 minutes).
            logger.error("Mandataire %s injoignable : %s", parts.netloc, error)
        else:
            logger.info("Pages du mandataire %s renouvelées", parts.netloc)


def ban_later():
    """Once the current transaction commits, unless a ban already waits."""
    if not proxy_locations():
        return
    try:
        enqueue_once(ban_proxy_pages)
    except DatabaseError:
        # The first migrations, before the task table exists: no proxy has pages yet.
        logger.debug("Pas de file de tâches : aucun renouvellement du mandataire")
