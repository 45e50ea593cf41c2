"""The site's navigation at a fixed, small cost.

- Which pages are under a view restriction is read once per request (not once per listing),
  and `public()` below filters any page queryset with it.
- The top sections of the site (the menu, and the start of every breadcrumb trail) are kept in
  the cache for the current generation of public pages (collectif/delivery/cache.py): any
  change that may alter them bumps the generation.
- A page's address is resolved in one query (`route_in_one_query`), instead of one per level.
"""

from django.db.models import Q

from wagtail.models import Page, PageViewRestriction

from collectif.delivery import cache


def restricted_paths(request):
    if not hasattr(request, "_collectif_restricted_paths"):
        request._collectif_restricted_paths = list(
            PageViewRestriction.objects.values_list("page__path", flat=True)
        )
    return request._collectif_restricted_paths


def public(queryset, request):
    """The pages of `queryset` that anyone may read (Wagtail's `public()`, with the
    restrictions read once per request)."""
    paths = restricted_paths(request) if request is not None else None
    if paths is None:
        return queryset.public()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return queryset.exclude(condition) if paths else queryset


def sections(site, request):
    """[{title, url, path, in_menu}] of the site root's live public children, cached for the
    current generation of public pages."""

    def build():
        children = public(site.root_page.get_children().live(), request).order_by("path")
        return [
            {
                "title": page.title,
                "url": page.get_url(request),
                "path": page.path,
                "in_menu": page.show_in_menus,
            }
            for page in children
        ]

    return cache.remember(f"collectif:sections:{site.pk}:{request.get_host()}", build)


def route_in_one_query(root, request, path_components):
    """The live page at `path_components` below `root`, found by its address in one query
    (and its specific type in a second), or None to let Wagtail route level by level."""
    url_path = root.url_path + "".join(f"{component}/" for component in path_components)
    page = Page.objects.filter(url_path=url_path, live=True).first()
    if page is None or not page.path.startswith(root.path):
        return None
    return page.specific
