"""Each public page costs a fixed number of queries, whatever its number of items."""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from tests.home.factories import MemberOrganisationFactory, build_site_tree
from tests.pillars.factories import PillarPageFactory, measures_data

# Every public page pays a common base of 9 queries: the site (1); routing, one page per
# level below the site root (1 to 3); the view restrictions on the page's ancestors (1) and the
# `specific` page (1); the menu, the site root's children in menus with their restrictions (2);
# the breadcrumbs' ancestors with their restrictions (2); the footer's site settings (1).
# Each listing of pages by `.public()` adds its own restriction check (1). Image renditions
# come from Wagtail's rendition cache once made, so they cost no query.
PAGE_BUDGET = {
    "home": 12,  # + platform (2), pillars (2), members with their logos (1)
    "platform": 13,  # + pillars (2)
    "pillar": 16,  # + siblings (2), the measures' images in one query (1)
    "boussole": 13,  # + themes (2)
    "theme": 13,
}


class QueryBudgetTests(TestCase):
    def count(self, url):
        self.client.get(url)  # warms renditions and Wagtail's per-site caches
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
        }
        for name, count in small_counts.items():
            self.assertLessEqual(count, PAGE_BUDGET[name], name)

        # The same pages with twenty times as many pillars, measures, themes and members.
        small["home"].delete()
        large = self.build(60)
        large_counts = {
            "home": self.count("/"),
            "platform": self.count("/plateforme/"),
            "pillar": self.count(large["platform"].get_children().last().url),
            "boussole": self.count("/boussole/"),
            "theme": self.count(large["themes"][0].url),
        }
        self.assertEqual(large_counts, small_counts)
