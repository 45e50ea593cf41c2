import re

from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.template.response import TemplateResponse
from django.utils.html import strip_tags
from django.views.decorators.http import require_http_methods

from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Page
from wagtail.search import index
from wagtail.search.backends import get_search_backend
from wagtail.search.utils import normalise_query_string

from campaigns.models import Campaign
from collectif import navigation
from collectif.ratelimit import rate_limit

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


# What a person types by mistake in a search box (an email address, a phone number, a postal
# code, a card number) is personal data: such a search is never recorded.
NOT_RECORDED = re.compile(r"[@\d]|https?:|www\.", re.IGNORECASE)
MAX_RECORDED_WORDS = 6


def is_recordable(typed, query):
    """Only searches that look like a few words are counted (for the team's report of search
    terms and the promoted results); purge_personal_data forgets them after
    PERSONAL_DATA_RETENTION_DAYS["search_terms"] days."""
    return (
        bool(query) and not NOT_RECORDED.search(typed) and len(query.split()) <= MAX_RECORDED_WORDS
    )


def promoted_query(typed, query):
    """The query the team's promoted results hang on: found without being created, and
    counted only when recordable."""
    search_query = Query.objects.filter(query_string=normalise_query_string(query)).first()
    if is_recordable(typed, query):
        search_query = search_query or Query.get(query)
        search_query.add_hit()
    return search_query


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


@require_http_methods(["GET", "HEAD"])
@rate_limit("search")
def search(request):
    typed = request.GET.get("q", "")
    query = clean_query(typed)
    results = Page.objects.none()
    promotions = []
    campaigns = []
    if query:
        results = navigation.public(Page.objects.live(), request).search(query)
        campaigns = list(get_search_backend().search(query, Campaign)[:MAX_CAMPAIGNS])
        search_query = promoted_query(typed, query)
        if search_query is not None:
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
    """Each result with its section and excerpt, in a fixed number of queries: every section
    at once, and the text of the pages from the cache (kept per published revision; a page
    not yet there costs one query per page type, once)."""
    pages = list(pages)
    if not pages:
        return []
    texts = page_texts(pages)
    section_paths = {p.path[: Page.steplen * 3] for p in pages if p.depth > 3}
    sections = {s.path: s for s in Page.objects.filter(path__in=section_paths)}
    items = []
    for page in pages:
        section = sections.get(page.path[: Page.steplen * 3])
        items.append(
            {
                "page": page,
                "url": page.get_url(request),
                "section": section.title if section and section.pk != page.pk else "",
                "excerpt": excerpt(page.search_description or texts.get(page.pk, ""), query),
            }
        )
    return items


def page_texts(pages):
    """{page pk: what the index holds of the page, as text}, cached per published revision."""
    keys = {page.pk: f"collectif:search-text:{page.pk}:{page.live_revision_id}" for page in pages}
    found = cache.get_many(keys.values())
    texts = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in keys if pk not in texts]
    if missing:
        for page in Page.objects.filter(pk__in=missing).specific():
            texts[page.pk] = page_text(page)
        cache.set_many({keys[pk]: texts[pk] for pk in missing if pk in texts}, 24 * 3600)
    return texts
