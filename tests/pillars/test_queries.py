"""Each public page costs a fixed number of queries, whatever its number of items."""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from collectif.delivery.cache import renew_paths
from tests.home.factories import MemberOrganisationFactory, build_site_tree
from tests.pillars.factories import PillarPageFactory, measures_data

# Measured with the page itself rendered again (its address renewed, as a change of what it
# shows would; a hit costs nothing, see tests/collectif/test_cache.py) and what every render
# shares warm: the site of the host, its settings, the pages under a view restriction and the
# page at each address are kept for the site's generation (collectif/delivery/renders.py), as
# is the navigation, so a page pays only for its own content. The first render after a change
# of the whole site pays for them once: the site, its settings, the restrictions and whether
# any page is an alias (4), then the page's route (2 or 3).
PAGE_BUDGET = {
    "home": 3,  # platform (1), pillars (1), members with their logos (1)
    "platform": 1,  # pillars (1)
    "pillar": 2,  # siblings (1) + the measures' images (1); their renditions come from
    #               Wagtail's rendition cache
    "boussole": 1,  # themes (1)
    "theme": 0,
    "standard": 0,
}


class QueryBudgetTests(TestCase):
    def count(self, url):
        self.client.get(url)  # warms renditions, Wagtail's per-site caches and the navigation
        renew_paths([url], "essai", proxy=False)  # the page itself is rendered again
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
