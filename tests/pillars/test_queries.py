"""Each public page costs a fixed number of queries, whatever its number of items."""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from collectif.delivery.cache import forget_page
from tests.home.factories import MemberOrganisationFactory, build_site_tree
from tests.pillars.factories import PillarPageFactory, measures_data

# Measured with the page itself out of the page cache (a hit costs nothing, see
# tests/collectif/test_cache.py) and the navigation warm (it is cached per generation of public
# pages, so only the first page after a change pays for it).
# Every public page pays a common base of 7 queries: the site with its root page (1); the root
# as its specific type (1); the page found by its address (1) and as its specific type (1);
# Wagtail's check of view restrictions on the page and its ancestors (2); the footer's site
# settings (1). A page that lists pages adds the restrictions read once per request (1) and
# its listing (1); a depth-3 page has no routing beyond the root.
PAGE_BUDGET = {
    "home": 9,  # base without routing (5) + restrictions (1) + platform (1), pillars (1),
    #             members with their logos (1)
    "platform": 9,  # base (7) + restrictions (1) + pillars (1)
    "pillar": 10,  # base (7) + restrictions (1) + siblings (1) + the measures' images (1);
    #                their renditions come from Wagtail's rendition cache
    "boussole": 9,  # base (7) + restrictions (1) + themes (1)
    "theme": 7,  # base (7)
    "standard": 7,  # base (7)
}


class QueryBudgetTests(TestCase):
    def count(self, url):
        self.client.get(url)  # warms renditions, Wagtail's per-site caches and the navigation
        forget_page("testserver", url)  # the page itself is not in the page cache
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def build(self, items):
        image = get_image_model().objects.create(
            title="Illustration", file=get_test_image_file(filename="mesure.png")
        )
        tree = build_site_tree(pillars=items, measures=items, themes=items)
        PillarPageFactory(parent=tree["platform"], measures=measures_data(items, image=image))
        for _ in range(items):
            MemberOrganisationFactory(logo=image)
        return tree

    def test_query_count_does_not_grow_with_items(self):
        small = self.build(3)
        small_counts = {
            "home": self.count("/"),
            "platform": self.count("/plateforme/"),
            "pillar": self.count(small["platform"].get_children().last().url),
            "boussole": self.count("/boussole/"),
            "theme": self.count(small["themes"][0].url),
            "standard": self.count(small["standard"].url),
        }
        self.assertEqual(small_counts, PAGE_BUDGET)

        # The same pages with twenty times as many pillars, measures, themes and members.
        # Committed, as the team's deletion would be: every cached page is renewed.
        with self.captureOnCommitCallbacks(execute=True):
            small["home"].delete()
        large = self.build(60)
        large_counts = {
            "home": self.count("/"),
            "platform": self.count("/plateforme/"),
            "pillar": self.count(large["platform"].get_children().last().url),
            "boussole": self.count("/boussole/"),
            "theme": self.count(large["themes"][0].url),
            "standard": self.count(large["standard"].url),
        }
        self.assertEqual(large_counts, PAGE_BUDGET)
