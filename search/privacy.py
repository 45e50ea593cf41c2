"""The search terms under Québec's Law 25 (collectif/privacy.py runs this): what readers type
is kept only as words, and only for a while."""

from wagtail.contrib.search_promotions.models import Query, QueryDailyHits

from collectif.privacy import register_purge, retention

from .views import is_recordable


@register_purge("termes de recherche")
def purge_search_terms(now):
    cutoff = (now - retention("search_terms")).date()
    hits, _ = QueryDailyHits.objects.filter(date__lt=cutoff).delete()
    # Queries recorded before the filter existed that hold personal data, and queries left
    # without hits; never those the team promotes results for.
    unpromoted = Query.objects.filter(editors_picks__isnull=True)
    personal = [
        q.pk
        for q in unpromoted.only("pk", "query_string")
        if not is_recordable(q.query_string, q.query_string)
    ]
    queries, _ = unpromoted.filter(pk__in=personal).delete()
    orphans, _ = Query.objects.filter(daily_hits__isnull=True, editors_picks__isnull=True).delete()
    return hits + queries + orphans
