from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from collectif.cache import forget_page
from tests.campaigns.factories import campaign_on_theme, save_answers
from tests.home.factories import build_site_tree

# The theme page's own budget (7, see tests/pillars/test_queries.py) plus, for each
# questionnaire block: the questionnaire (1), its campaign (1), its questions (1), the
# invited parties (1), their submitted responses (1) and the submitted versions that make
# the public history of each answer (1); and for the page's head, the campaigns of its
# questionnaires, whose open data it links (1).
THEME_WITH_PUBLISHED_ANSWERS = 7 + 6 + 1


class PublishedAnswersQueryTests(TestCase):
    def build(self, parties):
        theme = build_site_tree()["themes"][0]
        campaign, questionnaire, questions, invitations = campaign_on_theme(
            theme, parties=parties, questions=3, results_published=True
        )
        for invitation in invitations[::2]:
            save_answers(questionnaire, questions, invitation.party)
        return theme

    def count(self, url):
        self.client.get(url)
        forget_page("testserver", url)  # the page itself is not in the page cache
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertContains(response, "n’a pas répondu")
        return len(queries)

    def test_query_count_does_not_grow_with_parties(self):
        theme = self.build(3)
        small = self.count(theme.url)
        self.assertEqual(small, THEME_WITH_PUBLISHED_ANSWERS)
        theme.get_parent().get_parent().delete()
        theme = self.build(60)
        self.assertEqual(self.count(theme.url), small)
