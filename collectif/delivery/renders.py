"""What rendering a public page reuses between publications, for anonymous readers.

Every render used to start with the same five or six queries whatever the page: the site of
the host, its settings, the pages under a view restriction (twice: Wagtail's check and the
site's lists), and the page at the address (its row, then its specific type). None of them
change until something is published, moved, restricted or set: they are kept in the cache for
the site's generation (collectif/delivery/cache.py `remember`), which every such change bumps.

- `KnownRoutesMiddleware` gives an anonymous reader's request its site, settings and
  restricted paths from one cache read (`site_state`), and a Wagtail page's address its page
  (`cached_route`): a render of a page makes no query before its own context's.
- `public_view_restrictions` answers Wagtail's view-restriction check from the same list: no
  query when nothing restricts the page or its ancestors.

The team (any session), previews and forms never use them: only the requests the page cache
may answer and looked up (`cache.lookup`, which leaves the generations it read on the
request: everything a render reuses is of the same generations as the page it makes).
"""

from django.apps import apps
from django.http import HttpResponse

from wagtail.models import Page, PageViewRestriction, Site
from wagtail.url_routing import RouteResult

from collectif.delivery import cache

RESTRICTED_ATTRIBUTE = "_collectif_restricted_paths"


def _state(request):
    site = Site._find_for_request(request)
    # By name: collectif.models asks this module about view restrictions.
    SiteSettings = apps.get_model("collectif", "SiteSettings")
    return {
        "site": site,
        "settings": SiteSettings.for_site(site) if site is not None else None,
        "restricted": list(
            PageViewRestriction.objects.order_by().values_list("page__path", flat=True)
        ),
        # An alias reads the restrictions of the page it copies: Wagtail's own check then.
        "aliases": Page.objects.filter(alias_of__isnull=False).exists(),
    }


def site_state(request):
    """The site, settings and restricted paths of the request's host, one cache read."""
    host = f"{request._get_raw_host()}:{request.get_port()}"
    return cache.remember(f"collectif:site-state:{host}", lambda: _state(request), request=request)


def prime(request):
    """Gives the request what Wagtail and the templates would otherwise query."""
    state = site_state(request)
    request._wagtail_site = state["site"]
    setattr(request, RESTRICTED_ATTRIBUTE, state["restricted"])
    request._collectif_aliases = state["aliases"]
    settings = state["settings"]
    if settings is not None:
        settings._request = request
        setattr(request, type(settings).get_cache_attr_name(), settings)


def cached_route(request, path):
    """The page at `path` for this request's site, from the cache (Wagtail's routing once per
    generation). Only a page found at its own address is kept, never a 404."""
    site = request._wagtail_site
    if site is None:
        return None

    def route():
        result = Page.route_for_request(request, path)
        if result is None or result.args or result.kwargs:
            return None
        return result.page

    page = cache.remember(f"collectif:route:{site.pk}:{path}", route, request=request)
    if page is None:
        # Not kept (an unknown address, a page with routes of its own): Wagtail's result.
        return None
    setattr(page, RESTRICTED_ATTRIBUTE, getattr(request, RESTRICTED_ATTRIBUTE))
    page._collectif_aliases = request._collectif_aliases
    request._wagtail_route_for_request = RouteResult(page)
    return page


def public_view_restrictions(page):
    """No restriction (an empty queryset, no query) when those known for this render
    (`prime`) leave the page and its ancestors public; None when they do not, or are not
    known, or an alias is involved: then Wagtail's own queryset decides."""
    restricted = getattr(page, RESTRICTED_ATTRIBUTE, None)
    if restricted is None or getattr(page, "_collectif_aliases", True) or page.alias_of_id:
        return None
    if any(page.path.startswith(path) for path in restricted):
        return None
    return PageViewRestriction.objects.none()


def page_render_key(page, request):
    """A Wagtail page's: its live revision, and what the page says its render depends on
    (`render_key`, e.g. a theme page's comparison and its campaigns' calendar)."""
    return f"page:{page.pk}:{page.live_revision_id}:{page.render_key(request)}"


def serve_reused(request, key, render):
    """`render()` (the page's response), or the content of the same page rendered before for
    the same `key` (what the render depends on: `page_render_key`, `campaign_render_key`) at
    this address of this host, kept for the site's and the address's generations. An address
    the page cache stores apart (another query string that changes nothing on the page) is
    then not rendered again. Only for the requests the page cache may answer (only they have
    the generations it read, `cache.lookup`); never what used the session or a CSRF token
    (nothing personal is reused)."""
    if not getattr(request, "_collectif_generations", None):
        return render()
    key = f"collectif:render:{request.get_host()}:{request.path}:{key}"
    rendered = []

    def build():
        response = render()
        if hasattr(response, "render"):
            response.render()
        rendered.append(response)
        session = getattr(request, "session", None)
        if (
            not cache.is_cacheable_response(response)
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or (session is not None and session.accessed)
        ):
            return None
        return (response.content, response.get("Content-Type"))

    kept = cache.remember(key, build, path=request.path, request=request)
    if rendered:
        return rendered[0]
    if kept is None:
        return render()
    content, content_type = kept
    return HttpResponse(content, content_type=content_type)


class KnownRoutesMiddleware:
    """After the page cache's (a hit never gets here) and before the session's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only the requests the page cache looked up (it read the generations for them).
        if getattr(request, "_collectif_generations", None):
            prime(request)
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        match = request.resolver_match
        if match.url_name == "wagtail_serve" and hasattr(request, RESTRICTED_ATTRIBUTE):
            cached_route(request, args[0] if args else kwargs.get("path", ""))
