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
proxy to fetch it again)."""

import logging
from datetime import timedelta
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urlsplit
from urllib.request import Request, urlopen

from django.conf import settings
from django.db import DatabaseError

from django_tasks import task

from collectif.content.links import base_url
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


def ban_requests(origin, paths, host=None):
    """Every page (`BAN /`); or, per address, a ban of its comparisons (`X-Ban: comparisons`)
    and a refresh in place of the address itself (`X-Refresh`, for the site's `host`): its
    readers keep the copy they had while the proxy fetches the new one."""
    if paths is None:
        return [BanRequest(f"{origin}/")]
    requests = []
    for path in paths:
        address = f"{origin}{quote(path)}"
        requests.append(BanRequest(address, headers={"X-Ban": "comparisons"}))
        refresh = {"X-Refresh": "1", **({"Host": host} if host else {})}
        requests.append(Request(address, headers=refresh))
    return requests


@task()
def ban_proxy_pages(paths=None):
    # The host the readers ask for: the proxy keys its pages on it.
    host = urlsplit(base_url()).netloc if paths is not None else None
    for location in proxy_locations():
        parts = urlsplit(location)
        try:
            for request in ban_requests(f"{parts.scheme}://{parts.netloc}", paths, host):
                try:
                    with urlopen(request, timeout=10) as answer:
                        answer.read()
                except HTTPError as error:
                    # A page that is gone (404) or failing: the ban of the others goes on.
                    logger.warning(
                        "Mandataire %s : %s %s a répondu %s",
                        parts.netloc,
                        request.get_method(),
                        request.selector,
                        error.code,
                    )
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
