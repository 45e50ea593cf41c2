import re

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.template.response import TemplateResponse
from django.utils.html import strip_tags

from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Page
from wagtail.search import index
from wagtail.search.backends import get_search_backend

from campaigns.models import Campaign

from .excerpts import excerpt

RESULTS_PER_PAGE = 10
# Campaign pages found beside the pages: few, shown first.
MAX_CAMPAIGNS = 3
MAX_QUERY_LENGTH = 200


def clean_query(raw):
    """Words only: punctuation, operators and control characters have no meaning here, and
    would only reach the search engine's own query syntax."""
    text = re.sub(r"[^\w\s'’-]+", " ", raw[: MAX_QUERY_LENGTH * 2])
    text = re.sub(r"(?<!\w)['’-]+|['’-]+(?!\w)", " ", text)
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def flatten(value):
    if isinstance(value, list | tuple):
        return " ".join(flatten(item) for item in value)
    return strip_tags(str(value or ""))


def page_text(page):
    """What the index holds of a page, as text, to cut the excerpt from."""
    return " ".join(
        flatten(field.get_value(page))
        for field in page.get_search_fields()
        if isinstance(field, index.SearchField) and field.field_name != "title"
    )


def search(request):
    typed = request.GET.get("q", "")
    query = clean_query(typed)
    results = Page.objects.none()
    promotions = []
    campaigns = []
    if query:
        results = Page.objects.live().public().search(query)
        campaigns = list(get_search_backend().search(query, Campaign)[:MAX_CAMPAIGNS])
        search_query = Query.get(query)
        search_query.add_hit()
        promotions = list(search_query.editors_picks.select_related("page"))
    paginator = Paginator(results, RESULTS_PER_PAGE)
    try:
        page_obj = paginator.page(request.GET.get("page", 1))
    except (PageNotAnInteger, EmptyPage):
        page_obj = paginator.page(1)
    items = describe(page_obj.object_list, query, request)
    return TemplateResponse(
        request,
        "search/search.html",
        {
            "query": query,
            "typed": typed[:MAX_QUERY_LENGTH],
            "page_obj": page_obj,
            "items": items,
            "campaigns": campaigns,
            "promotions": [p for p in promotions if p.page is None or p.page.live],
        },
    )


def describe(pages, query, request):
    """Each result with its section and excerpt, in a fixed number of queries: the specific
    pages by type, then every section at once."""
    pages = list(pages)
    if not pages:
        return []
    specific = {p.pk: p for p in Page.objects.filter(pk__in=[p.pk for p in pages]).specific()}
    section_paths = {p.path[: Page.steplen * 3] for p in pages if p.depth > 3}
    sections = {s.path: s for s in Page.objects.filter(path__in=section_paths)}
    items = []
    for page in pages:
        page = specific.get(page.pk, page)
        section = sections.get(page.path[: Page.steplen * 3])
        items.append(
            {
                "page": page,
                "url": page.get_url(request),
                "section": section.title if section and section.pk != page.pk else "",
                "excerpt": excerpt(page.search_description or page_text(page), query),
            }
        )
    return items
