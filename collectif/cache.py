"""Public pages served from a shared cache, for anonymous readers.

A public page (a Wagtail page, a campaign's public page and its open data, the sitemap) asked
by a reader without a session is kept in Django's cache (Redis in production, shared by every
app server; local memory for `make run`), under a key made of the host, the address and a
**generation**. A hit makes no SQL query. Every change that a page may show bumps the
generation, so every cached page is renewed at its next request: simple, and always correct.
The same responses carry `Cache-Control: public, max-age, s-maxage`, so that the caching proxy
in front of the site may keep them too (Wagtail's frontend cache purges it on publication).
Nothing else is ever cached: private links, previews and the admin, forms (the sign-up sets its
own CSRF cookie on its own page), errors, or anyone with a session.
"""

import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from collectif.proxy import ban_later

logger = logging.getLogger(__name__)

GENERATION_KEY = "collectif:pages:generation"
# How long a page stays in the site's own cache, and what browsers and the proxy are told.
PAGE_TIMEOUT = 600
BROWSER_MAX_AGE = 60
PROXY_MAX_AGE = 600
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
# Models whose changes public pages show (besides pages themselves).
SHOWN_MODELS = {
    "home.memberorganisation",
    "collectif.sitesettings",
    "campaigns.campaign",
    "campaigns.questionnaire",
    "campaigns.question",
    "campaigns.party",
    "campaigns.invitation",
    "wagtailimages.image",
    "wagtailredirects.redirect",
    "wagtailcore.site",
}


def page_cache():
    return caches["default"]


def generation():
    """The current generation; a new one is a timestamp, so that a generation lost from the
    cache (an eviction, a restart) never brings back older pages."""
    cache = page_cache()
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


def bump(reason):
    """Every cached public page is renewed at its next request."""
    page_cache().set(GENERATION_KEY, time.time_ns(), timeout=None)
    logger.info("Cache des pages publiques renouvelé : %s", reason)


def bump_on_commit(reason):
    """Now, and again once the change is committed: a page rendered meanwhile from the data
    before the commit is not kept past it."""
    bump(reason)
    transaction.on_commit(lambda: bump(reason))
    # The caching proxy in front drops its pages too (nothing without WAGTAILFRONTENDCACHE).
    transaction.on_commit(ban_later)


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


def page_key(host, full_path):
    return f"collectif:page:{generation()}:{host}:{full_path}"


def forget_page(host, full_path):
    """Drops one page from the cache (its next request renders it again)."""
    page_cache().delete(page_key(host, full_path))


class PublicPageCacheMiddleware:
    """Place it before the session middleware: a hit answers before anything reads the
    database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable_request(request):
            return self.get_response(request)
        key = page_key(request.get_host(), request.get_full_path())
        cached = page_cache().get(key)
        if cached is not None:
            content, headers = cached
            response = HttpResponse(content, headers=headers)
            response["X-Cache"] = "HIT"
            return response
        response = self.get_response(request)
        if request.method == "GET" and is_cacheable_response(response):
            patch_cache_control(
                response, public=True, max_age=BROWSER_MAX_AGE, s_maxage=PROXY_MAX_AGE
            )
            headers = {k: v for k, v in response.items() if k.lower() != "x-cache"}
            page_cache().set(key, (response.content, headers), PAGE_TIMEOUT)
            response["X-Cache"] = "MISS"
        return response


def _page_changed(sender, instance=None, **kwargs):
    bump_on_commit(f"page {getattr(instance, 'pk', '?')}")


def _model_changed(sender, instance=None, raw=False, created=False, **kwargs):
    label = sender._meta.label_lower
    # Site settings are made with their defaults the first time a page asks for them: that
    # changes nothing a page shows.
    if raw or label not in SHOWN_MODELS or (created and label == "collectif.sitesettings"):
        return
    bump_on_commit(label)


def connect_signals():
    for signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
        signal.connect(_page_changed, dispatch_uid=f"collectif-cache-{id(signal)}")
    post_delete.connect(_page_changed, sender=Page, dispatch_uid="collectif-cache-page-delete")
    post_save.connect(_model_changed, dispatch_uid="collectif-cache-model-save")
    post_delete.connect(_model_changed, dispatch_uid="collectif-cache-model-delete")


def visitor(request):
    """Template context: whether the reader may see personal things (the userbar, messages).
    Templates ask this instead of the session, so that an anonymous page stays cacheable."""
    return {"known_visitor": not is_anonymous_reader(request)}
