import hashlib
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
from campaigns.reading import Reading
from collectif.content import navigation
from collectif.delivery.cache import is_anonymous_reader, remember, renew_paths
from collectif.protection.ratelimit import rate_limit

from .excerpts import excerpt

RESULTS_PER_PAGE = 10
# Campaign pages found beside the pages: few, shown first.
MAX_CAMPAIGNS = 3
MAX_QUERY_LENGTH = 200
SEARCH_PATH = "/recherche/"
# A page's text for the excerpts, per published revision (a new revision has a new key).
TEXT_TIMEOUT = 7 * 24 * 3600


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


def page_number(request):
    value = request.GET.get("page", "1")
    return int(value) if value.isdigit() and 0 < len(value) < 6 else 1


def find(query, number, request):
    """The results of a query, as plain data (what the page shows of them): their number,
    the page of results asked (the first one if it does not exist) and the campaigns found."""
    results = navigation.public(Page.objects.live(), request).search(query)
    paginator = Paginator(results, RESULTS_PER_PAGE)
    try:
        page_obj = paginator.page(number)
    except (PageNotAnInteger, EmptyPage):
        page_obj = paginator.page(1)
    campaigns = get_search_backend().search(query, Campaign)[:MAX_CAMPAIGNS]
    return {
        "count": paginator.count,
        "num_pages": paginator.num_pages,
        "number": page_obj.number,
        "start_index": page_obj.start_index(),
        "previous": page_obj.previous_page_number() if page_obj.has_previous() else None,
        "next": page_obj.next_page_number() if page_obj.has_next() else None,
        "items": describe(page_obj.object_list, query, request),
        "campaigns": [
            {"name": c.name, "slug": c.slug, "answers_public": Reading(c).answers_readable}
            for c in campaigns
        ],
    }


def results(query, number, request):
    """`find`, kept in the cache for the readers without a session, per query (normalised:
    case and spaces do not matter), page and site. Renewed with the pages (the site's
    generation) and whenever the search index changes (`renew_results`)."""
    if not is_anonymous_reader(request):
        return find(query, number, request)
    normalised = normalise_query_string(query)
    digest = hashlib.blake2b(
        f"{request.get_host()}|{number}|{normalised}".encode(), digest_size=16
    )
    key = f"collectif:search:{digest.hexdigest()}"
    return remember(key, lambda: find(query, number, request), path=SEARCH_PATH)


def renew_results(reason):
    """The cached results are renewed: the search index changed. (The caching proxy never
    keeps the search: nothing to drop there.)"""
    renew_paths([SEARCH_PATH], reason, proxy=False)


@require_http_methods(["GET", "HEAD"])
@rate_limit("search")
def search(request):
    typed = request.GET.get("q", "")
    query = clean_query(typed)
    promotions = []
    found = None
    if query:
        found = results(query, page_number(request), request)
        # Counted at every search, even one answered from the cache.
        search_query = promoted_query(typed, query)
        if search_query is not None:
            promotions = list(search_query.editors_picks.select_related("page"))
    return TemplateResponse(
        request,
        "search/search.html",
        {
            "query": query,
            "typed": typed[:MAX_QUERY_LENGTH],
            "results": found,
            "items": found["items"] if found else [],
            "campaigns": found["campaigns"] if found else [],
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
                "title": page.title,
                "url": page.get_url(request),
                "section": section.title if section and section.pk != page.pk else "",
                "excerpt": excerpt(page.search_description or texts.get(page.pk, ""), query),
            }
        )
    return items


def text_key(page):
    return f"collectif:search-text:{page.pk}:{page.live_revision_id}"


def page_texts(pages):
    """{page pk: what the index holds of the page, as text}, cached per published revision
    (prepared by the worker when it indexes the page: `prepare_text`)."""
    keys = {page.pk: text_key(page) for page in pages}
    found = cache.get_many(keys.values())
    texts = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in keys if pk not in texts]
    if missing:
        for page in Page.objects.filter(pk__in=missing).specific():
            texts[page.pk] = page_text(page)
        cache.set_many({keys[pk]: texts[pk] for pk in missing if pk in texts}, TEXT_TIMEOUT)
    return texts


def prepare_text(page):
    """Called once the worker has indexed a live page: the text of its excerpts, ready for
    the first search that finds it."""
    if page.live:
        cache.set(text_key(page), page_text(page), TEXT_TIMEOUT)
