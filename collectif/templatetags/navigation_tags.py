from django import template

from wagtail.models import Site

register = template.Library()


@register.inclusion_tag("components/main_menu.html", takes_context=True)
def main_menu(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    items = []
    if site:
        current_path = request.path
        for page in site.root_page.get_children().live().public().in_menu():
            url = page.get_url(request)
            items.append(
                {
                    "title": page.title,
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
    ancestors = page.get_ancestors().filter(depth__gte=2).live().public()
    return {
        "ancestors": [(a.title, a.get_url(request)) for a in ancestors],
        "page": page,
    }
