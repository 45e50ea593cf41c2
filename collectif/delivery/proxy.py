"""The caching proxy (Varnish) follows the site's own page cache.

Wagtail's frontend cache purges a page's own addresses when it is published or unpublished.
But a change shows on other pages too (a title in the menu, a member on the home page, an
answer on a theme page): the site's cache renews them (collectif/delivery/cache.py, the
generations).
The proxy does the same: once the change is committed, a task asks every proxy of
WAGTAILFRONTENDCACHE to drop the same pages (BAN, deploy/varnish/collectif.vcl): every page
for a change the whole site shows, or only the given addresses (a campaign's pages, with
every query string). A single task waits at a time for the same pages: a burst of changes
makes one ban. A campaign's pages are banned `PATH_BAN_DELAY` after the first change of a
burst: on election night, parties correcting every second after publication make one ban
every two seconds, not one each (each ban makes every reader of the page wait for the
proxy to fetch it again); and only the first: their pages are then kept a few seconds by the
proxy and refreshed in the background (cache.py, LIVE_PROXY_MAX_AGE), banned no more."""

import logging
from datetime import timedelta
from urllib.error import URLError
from urllib.parse import quote, urlsplit
from urllib.request import Request, urlopen

from django.conf import settings
from django.db import DatabaseError

from django_tasks import task

from collectif.operations.worker import enqueue_once

logger = logging.getLogger("collectif.delivery.proxy")

PATH_BAN_DELAY = timedelta(seconds=2)


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


def ban_requests(origin, paths):
    """Every page (`BAN /`), or one `BAN <path>` per address marked `X-Ban: path`."""
    if paths is None:
        return [BanRequest(f"{origin}/")]
    return [BanRequest(f"{origin}{quote(path)}", headers={"X-Ban": "path"}) for path in paths]


@task()
def ban_proxy_pages(paths=None):
    for location in proxy_locations():
        parts = urlsplit(location)
        try:
            for request in ban_requests(f"{parts.scheme}://{parts.netloc}", paths):
                urlopen(request, timeout=5)
        except (URLError, OSError) as error:
            # The proxy keeps pages for s-maxage at most (10 minutes).
            logger.error("Mandataire %s injoignable : %s", parts.netloc, error)
        else:
            logger.info("Pages du mandataire %s renouvelées", parts.netloc)


def ban_later(paths=None):
    """Call it once the transaction is committed: a ban of every page (at once), or of these
    addresses (after PATH_BAN_DELAY), unless the same ban already waits."""
    if not proxy_locations():
        return
    try:
        if paths is None:
            enqueue_once(ban_proxy_pages)
        else:
            enqueue_once(ban_proxy_pages, sorted(paths), delay=PATH_BAN_DELAY)
    except DatabaseError:
        # The first migrations, before the task table exists: no proxy has pages yet.
        logger.debug("Pas de file de tâches : aucun renouvellement du mandataire")
