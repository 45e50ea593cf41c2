from django import template

from wagtail.models import Site

from collectif.content import navigation

register = template.Library()


@register.inclusion_tag("components/main_menu.html", takes_context=True)
def main_menu(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    items = []
    if site:
        current_path = request.path
        for section in navigation.sections(site, request):
            if not section["in_menu"]:
                continue
            url = section["url"]
            items.append(
                {
                    "title": section["title"],
                    "url": url,
                    "current": current_path == url,
                    "in_section": bool(url) and current_path.startswith(url),
                }
            )
    return {"items": items, "home_url": site.root_page.get_url(request) if site else "/"}


@register.inclusion_tag("components/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    page = context.get("page")
    request = context.get("request")
    if page is None or page.depth <= 2:
        return {"ancestors": [], "page": page}
    site = Site.find_for_request(request) if request else None
    ancestors = None
    if site and page.depth <= 4:
        # The home page and the section: both known without a query.
        section = [
            s for s in navigation.sections(site, request) if page.path.startswith(s["path"])
        ]
        home = (site.root_page.title, site.root_page.get_url(request))
        if page.depth == 3:
            ancestors = [home]
        elif section:
            ancestors = [home, (section[0]["title"], section[0]["url"])]
    if ancestors is None:
        pages = navigation.public(page.get_ancestors().filter(depth__gte=2).live(), request)
        ancestors = [(a.title, a.get_url(request)) for a in pages]
    return {"ancestors": ancestors, "page": page}
