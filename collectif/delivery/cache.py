"""Public pages served from a shared cache, for anonymous readers.

A public page (a Wagtail page, a campaign's public page and its open data, the sitemap) asked
by a reader without a session is kept in Django's cache (Redis in production, shared by every
app server; local memory for `make run`), under a key made of the host, the address and the
query parameters the page reads (`QUERY_PARAMETERS`; any other is ignored, so that `/?x=1`,
`/?x=2`… are one entry). A hit makes no SQL query and one cache round trip.

Each entry keeps the two **generations** it was built with: the site's, and its address's.
A hit reads the entry and both current generations in one MGET and serves the entry only if
they are still the same. Renewing is changing a generation:

- `bump_on_commit` changes the site's: every page is renewed (a page, the menu, a member, the
  site's settings, an image, a redirect, a site);
- `renew_paths_on_commit` changes only the given addresses': used for a campaign's pages
  (campaigns/indexing.py: its theme pages, its campaign page and its open data).

Both run once the change is committed. The generations are read before the page is rendered,
so a page rendered from the data before the commit is stored with the old generation and is
never served after the commit. The caching proxy is then asked to drop the same pages
(collectif/delivery/proxy.py), all of them or only those addresses.

The ways a campaign's answers become public, and what renews their pages (each tested in
tests/collectif/test_cache.py through its real entry point):

- the team publishes (board's « Publier », `Campaign.publish_results`): the campaign's save;
- the embargo ends by the clock: the scheduler (`run_scheduler`, `reindex_campaigns_due`);
- a deadline is extended on the board: the invitation's save, then the party's submission;
- a party corrects after publication: the submission (`campaigns.submissions.save_response`);
- and what the clock alone changes on them, a campaign opening or closing: the scheduler
  (`renew_campaigns_whose_calendar_turned`).

A draft, or a submission while the answers are not public, renews nothing. A submission
after publication only adds to the pages (the earlier text stays shown): their addresses are
then *live* (`LIVE_PROXY_MAX_AGE`), the proxy refreshes them every few seconds in the
background instead of being told to drop them at each correction.

The responses carry `Cache-Control: public, max-age, s-maxage`, so that the caching proxy may
keep them too. Nothing else is ever cached: private links, previews and the admin, forms (the
sign-up sets its own CSRF cookie on its own page), the search, errors, or anyone with a
session or a pending message. A cache that cannot answer (Redis down) is a miss: the page is
rendered, never an error (collectif/delivery/cache_backend.py).
"""

import hashlib
import logging
import pickle
import re
import time
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from redis.exceptions import RedisError

from collectif.delivery.proxy import ban_later
from collectif.operations.logs import REQUEST_ID

logger = logging.getLogger(__name__)

GENERATION_KEY = "collectif:pages:generation"
# How long a page stays in the site's own cache, and what browsers and the proxy are told.
PAGE_TIMEOUT = 600
BROWSER_MAX_AGE = 60
PROXY_MAX_AGE = 600
# An address renewed by a change that only adds to what it shows (a party correcting its
# published answers: the earlier text stays shown) is *live* for LIVE_SECONDS after each such
# change: the proxy is told to keep it LIVE_PROXY_MAX_AGE only, and refreshes it in the
# background while its readers get the copy it has (deploy/varnish/collectif.vcl, grace). The
# first such change bans the address in the proxy (its copies were kept for PROXY_MAX_AGE);
# the next ones, while it is live, ban nothing: on election night a reader through the proxy
# never waits for a page that parties keep changing, and sees each change within
# LIVE_PROXY_MAX_AGE plus one render.
LIVE_PROXY_MAX_AGE = 2
LIVE_SECONDS = PROXY_MAX_AGE
# Addresses that are never cached: the team's, a party's, forms and the search (it counts
# searches and is rate-limited per reader).
PRIVATE_PREFIXES = (
    "/admin/",
    "/campagnes/acces/",
    "/infolettre/",
    "/recherche/",
    "/documents/",
    "/static/",
    "/media/",
    "/sante/",
)
# The query parameters a cached page reads, and the values it accepts (the comparison of a
# theme page or a campaign page, campaigns/records.py Selection). Anything else in a query
# string is left out of the key: the page does not read it. Varnish keeps the same ones.
QUERY_PARAMETERS = {
    "partis": re.compile(r"[0-9]{1,9}"),
    "questions": re.compile(r"q_[-\w]{1,100}"),
}
# Models whose changes public pages show (besides pages themselves), everywhere on the site.
# A campaign's own models renew only its pages (campaigns/indexing.py). A view restriction
# (the admin's « Confidentialité ») decides who may read a page and which menus list it.
SHOWN_MODELS = {
    "home.memberorganisation",
    "wagtailcore.pageviewrestriction",
    "collectif.sitesettings",
    "wagtailimages.image",
    "wagtailredirects.redirect",
    "wagtailcore.site",
}
# What a cache that cannot answer raises: Redis refused, timed out or broke the connection.
CACHE_ERRORS = (RedisError, OSError)


def page_cache():
    return caches["default"]


def _read(keys):
    """{key: value} of the keys found, in one round trip (nothing if the cache is down: its
    backend, collectif/delivery/cache_backend.py, makes that a miss)."""
    return page_cache().get_many(keys)


def _write(values, timeout):
    page_cache().set_many(values, timeout)


def _mark_then_write(marks, timeout, values):
    """Sets `marks` for `timeout` seconds, then `values` for good; the keys of `marks` that
    were already set. One round trip on Redis (collectif/delivery/cache_backend.py)."""
    backend = page_cache()
    if hasattr(backend, "exchange_many"):
        return backend.exchange_many(marks, timeout, then=values)
    already = set(_read(list(marks)))
    _write(marks, timeout)
    _write(values, None)
    return already


def _digest(text):
    # Fixed length whatever the address (a cache key stays short and plain).
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def path_generation_key(path):
    return f"collectif:path:generation:{_digest(path)}"


def live_key(path):
    return f"collectif:path:live:{_digest(path)}"


def proxy_max_age(path):
    """How long the proxy may keep the page at `path`: LIVE_PROXY_MAX_AGE while it is live,
    else PROXY_MAX_AGE (also when the cache cannot answer: its copies are then banned by the
    next change, live or not, since no address is known to be live)."""
    return LIVE_PROXY_MAX_AGE if _read([live_key(path)]) else PROXY_MAX_AGE


def _current(keys):
    """The current value of each generation key, made (a timestamp) where it is missing: a
    generation lost from the cache (an eviction, a restart) never brings back older pages."""
    found = _read(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        now = time.time_ns()
        try:
            for key in missing:
                page_cache().add(key, now, timeout=None)
        except CACHE_ERRORS:
            # Down: nothing is stored until it answers again.
            return None
        found = _read(keys)
    values = tuple(found.get(key) for key in keys)
    return None if None in values else values


def _generations(names, request):
    """The current generations of `names`: those the page cache read for this request
    (`lookup`, before the page is rendered) when it read them, else from the cache."""
    known = getattr(request, "_collectif_generations", None) or {}
    if all(name in known for name in names):
        return tuple(known[name] for name in names)
    return _current(names)


# What `remember` kept, also in this process's memory, as it was stored (pickled: each use
# gets its own copy). Exact, not a delay: a value is kept under the generations it was built
# for, and a change makes new generations, hence new keys; the generations themselves are
# read from the cache at every request.
KEPT_SIZE = 500
_kept = {}


def _recall(key):
    kept = _kept.get(key)
    if kept is None or kept[0] <= time.monotonic():
        return None
    return pickle.loads(kept[1])


def _keep(key, value, timeout):
    if len(_kept) >= KEPT_SIZE:
        _kept.clear()
    _kept[key] = (time.monotonic() + timeout, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


def remember(key, build, timeout=PAGE_TIMEOUT, path=None, request=None):
    """`build()`, kept under `key` for the site's current generation (what the pages share,
    e.g. the menu: collectif/content/navigation.py), and also for the generation of `path` if given
    (what only that address shows, e.g. the search's results: search/views.py). Built every
    time if the cache cannot answer; None is never kept. With `request`, the generations the
    page cache read for it are reused: what a render reuses is of the same generation as the
    page it is stored with. Each app server keeps what it read or built in memory too
    (`_kept`): asked again for the same generations, it makes no round trip."""
    names = [GENERATION_KEY] + ([path_generation_key(path)] if path else [])
    generations = _generations(names, request)
    if generations is None:
        return build()
    key = f"{key}:{':'.join(str(g) for g in generations)}"
    value = _recall(key)
    if value is not None:
        return value
    found = _read([key])
    if key in found:
        value = found[key]
        if value is not None:
            _keep(key, value, timeout)
        return value
    value = build()
    if value is not None:
        _write({key: value}, timeout)
        _keep(key, value, timeout)
    return value


def bump(reason):
    """Every cached public page is renewed at its next request."""
    _write({GENERATION_KEY: time.time_ns()}, None)
    forget_memo()
    logger.info("Cache des pages publiques renouvelé : %s", reason)


def bump_on_commit(reason):
    """Every page, once the change is committed; the caching proxy drops every page too
    (nothing without WAGTAILFRONTENDCACHE)."""
    transaction.on_commit(lambda: bump(reason))
    transaction.on_commit(ban_later)


def renew_paths(paths, reason, proxy=True, live=False):
    """Only the pages at these addresses (every query string, every host) are renewed; the
    caching proxy drops them too, unless `proxy` is False (addresses it never keeps). With
    `live` (a change that only adds to what they show), the addresses are live from now on
    (LIVE_SECONDS) and the proxy drops only those that were not live yet: it keeps the others
    LIVE_PROXY_MAX_AGE at most."""
    paths = sorted(set(paths))
    banned = paths
    now = time.time_ns()
    generations = {path_generation_key(path): now for path in paths}
    if live:
        # Marked before the generations change: a page rendered for the new generation is
        # always told to the proxy as live. Both in one round trip where the cache can.
        marks = {live_key(path): path for path in paths}
        already = _mark_then_write(dict.fromkeys(marks, 1), LIVE_SECONDS, generations)
        banned = [path for key, path in marks.items() if key not in already]
    else:
        _write(generations, None)
    forget_memo()
    logger.info("Pages renouvelées (%s) : %s", reason, ", ".join(paths))
    if proxy and banned:
        ban_later(banned)


def renew_paths_on_commit(paths_of, reason, live=False):
    """Once the change is committed, renews the addresses `paths_of()` gives then (asked after
    the commit, so that it sees a page just placed or moved)."""
    transaction.on_commit(lambda: renew_paths(paths_of(), reason, live=live))


def is_anonymous_reader(request):
    """No session and no pending message: nothing personal can be on the page. Asked of the
    cookies only, so that the session is never touched (touching it adds `Vary: Cookie`)."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def is_cacheable_request(request):
    return (
        request.method in ("GET", "HEAD")
        and is_anonymous_reader(request)
        and not request.path.startswith(PRIVATE_PREFIXES)
    )


def is_cacheable_response(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if "cookie" in response.get("Vary", "").lower():
        return False
    control = response.get("Cache-Control", "")
    return "private" not in control and "no-store" not in control and "no-cache" not in control


def cache_query(query):
    """The part of a query string a cached page reads, in a stable order."""
    kept = []
    for name, accepted in QUERY_PARAMETERS.items():
        values = {value for value in query.getlist(name) if accepted.fullmatch(value)}
        kept += [(name, value) for value in sorted(values)]
    return urlencode(kept)


def page_key(host, path, query):
    return f"collectif:page:{_digest(f'{host}{path}?{query}')}"


def forget_page(host, path, query=""):
    """Drops one page from the cache (its next request renders it again)."""
    page_cache().delete(page_key(host, path, query))
    forget_memo()


def lookup(request):
    """(the cached page as (content, headers) or None, its key, the generations to store a
    render under) of a cacheable request: one round trip to the cache (the entry and both
    generations)."""
    path = request.path
    key = page_key(request.get_host(), path, cache_query(request.GET))
    generations = [GENERATION_KEY, path_generation_key(path)]
    found = _read([key, *generations])
    current = tuple(found.get(name) for name in generations)
    cached = found.get(key)
    if cached is not None and None not in current and cached[0] == current:
        _, content, headers = cached
        return (content, headers), key, current
    if None in current:
        # Made before the page is rendered: a change committed meanwhile renews it.
        current = _current(generations)
    if current is not None:
        request._collectif_generations = dict(zip(generations, current, strict=True))
    return None, key, current


class PublicPageCacheMiddleware:
    """Place it before the session middleware: a hit answers before anything reads the
    database. In production most hits are answered even earlier, before Django handles the
    request (`serve_hits`); this one stores the pages and answers the rest."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable_request(request):
            return self.get_response(request)
        hit, key, current = lookup(request)
        if hit is not None:
            content, headers = hit
            response = HttpResponse(content, headers=headers)
            response["Content-Length"] = str(len(content))
            response["X-Cache"] = "HIT"
            return response
        response = self.get_response(request)
        if response.status_code == 503:
            return stale_while_down(key, current) or response
        if request.method == "GET" and is_cacheable_response(response):
            # Asked once the page is made, just before the proxy gets it: a page made while
            # its address became live is told as live.
            patch_cache_control(
                response,
                public=True,
                max_age=BROWSER_MAX_AGE,
                s_maxage=proxy_max_age(request.path),
            )
            if current is not None:
                headers = {
                    k: v
                    for k, v in response.items()
                    if k.lower() not in ("x-cache", "content-length")
                }
                _write({key: (current, response.content, headers)}, PAGE_TIMEOUT)
            response["X-Cache"] = "MISS"
        return response


def stale_while_down(key, current):
    """The database cannot render the page (503): the copy the cache still keeps under an
    older generation of its address, or None. Only when the site's generation is the same: a
    change the whole site shows (a page unpublished, made private) is never undone by an
    outage, only what a campaign adds to its pages (a correction) may be missing. Never kept
    by the proxy or the browser: the next request asks again."""
    if current is None:
        return None
    stale = _read([key]).get(key)
    if stale is None or stale[0][0] != current[0]:
        return None
    _, content, headers = stale
    response = HttpResponse(content, headers=headers)
    response["Content-Length"] = str(len(content))
    response["Cache-Control"] = "no-store"
    response["X-Cache"] = "STALE"
    logger.warning("Base injoignable : copie précédente de la page servie du cache")
    return response


# Each app server keeps the hits it just served in memory, for at most this long, for the
# requests that carry no cookie at all (readers) and do not come through a caching proxy:
# the same address asked again within that time is answered without the cache's round trip.
# A renewal reaches the process that made it at once, the other app servers within this time.
MEMO_SECONDS = float(getattr(settings, "PAGE_CACHE_MEMO_SECONDS", 1.0))
MEMO_SIZE = 512
# Everything of a request that the page cache's rules read, besides its cookies.
MEMO_ENVIRON = (
    "PATH_INFO",
    "QUERY_STRING",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
    "wsgi.url_scheme",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
)
_memo = {}


def forget_memo():
    """Every hit this process keeps in memory is dropped (each renewal does it)."""
    _memo.clear()


def forget_kept():
    """What `remember` kept in this process's memory is dropped (tests start from nothing;
    nothing else needs it: a change makes new keys)."""
    _kept.clear()


def _memo_key(environ):
    """The key of this request in the memory of hits, or None: a request with cookies, other
    than GET or HEAD, or that comes through a caching proxy (Varnish marks its fetches with
    X-Varnish, any proxy with Via): what the proxy fetches it keeps for minutes, so it never
    gets what this process may still hold of the last second."""
    if (
        environ.get("HTTP_COOKIE")
        or environ.get("REQUEST_METHOD") not in ("GET", "HEAD")
        or "HTTP_X_VARNISH" in environ
        or "HTTP_VIA" in environ
    ):
        return None
    return tuple(environ.get(name) for name in MEMO_ENVIRON)


def _found_hit(environ):
    """(content, headers) of the cached page of this request, or None: from this process's
    memory (`_memo`), or by the page cache's rules and one round trip to the cache."""
    memo_key = _memo_key(environ)
    if memo_key is not None:
        kept = _memo.get(memo_key)
        if kept is not None and kept[0] > time.monotonic():
            return kept[1]
    request = WSGIRequest(environ)
    if not is_cacheable_request(request):
        return None
    if settings.SECURE_SSL_REDIRECT and not request.is_secure():
        return None
    try:
        hit, _, _ = lookup(request)
    except DisallowedHost:
        return None
    if hit is not None and memo_key is not None and MEMO_SECONDS > 0:
        if len(_memo) >= MEMO_SIZE:
            _memo.clear()
        _memo[memo_key] = (time.monotonic() + MEMO_SECONDS, hit)
    return hit


def wsgi_hit(environ):
    """(content, headers) of the cached page a WSGI request may get before Django handles it,
    or None. The same rules as the middleware's, and those of the middleware before it: a
    forged host, a method other than GET or HEAD, a plain-HTTP request that the site
    redirects to HTTPS, a session or a message all go on to Django."""
    hit = _found_hit(environ)
    if hit is None:
        return None
    content, headers = hit
    sent = environ.get("HTTP_X_REQUEST_ID", "")
    request_id = sent if REQUEST_ID.match(sent) else uuid.uuid4().hex
    return content, [
        *headers.items(),
        ("Content-Length", str(len(content))),
        ("X-Cache", "HIT"),
        ("X-Request-ID", request_id),
    ]


def serve_hits(application):
    """The WSGI application, with the page cache's hits answered first: no middleware, no
    URL resolution, no database connection, one Redis round trip on a pooled connection."""

    def serve(environ, start_response):
        hit = wsgi_hit(environ)
        if hit is None:
            return application(environ, start_response)
        content, headers = hit
        start_response("200 OK", headers)
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [content]

    return serve


def _page_changed(sender, instance, **kwargs):
    bump_on_commit(f"page {instance.pk}")


def _model_changed(sender, instance=None, raw=False, created=False, **kwargs):
    label = sender._meta.label_lower
    # Site settings are made with their defaults the first time a page asks for them: that
    # changes nothing a page shows.
    if raw or label not in SHOWN_MODELS or (created and label == "collectif.sitesettings"):
        return
    bump_on_commit(label)


def connect_signals():
    # Django connects a receiver once per signal and sender: connecting again changes nothing.
    for signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
        signal.connect(_page_changed)
    post_delete.connect(_page_changed, sender=Page)
    post_save.connect(_model_changed)
    post_delete.connect(_model_changed)


def visitor(request):
    """Template context: whether the reader may see personal things (the userbar, messages).
    Templates ask this instead of the session, so that an anonymous page stays cacheable."""
    return {"known_visitor": not is_anonymous_reader(request)}
