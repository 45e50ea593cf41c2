from django.core.management import call_command
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext

from wagtail.contrib.search_promotions.models import Query, SearchPromotion

import pytest

from search.views import renew_results
from tests.campaigns.factories import CampaignOnThemeTestData, save_answers
from tests.campaigns.worker import run_queued_tasks
from tests.home.factories import StandardPageFactory, build_site_tree
from tests.pillars.factories import PillarPageFactory

ON_POSTGRESQL = connection.vendor == "postgresql"
postgresql_only = pytest.mark.skipif(
    not ON_POSTGRESQL, reason="French stemming and unaccent are PostgreSQL features"
)


def titles(response):
    return [item["title"] for item in response.context["items"]]


class DemoSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo_content", verbosity=0)

    def search(self, q, **params):
        return self.client.get("/recherche/", {"q": q, **params})

    @postgresql_only
    def test_french_stemming_and_accents(self):
        StandardPageFactory(
            parent=build_parent(),
            title="Nos rendez-vous",
            body=[{"type": "paragraph", "value": "<p>Les événements du Collectif.</p>"}],
        )
        run_queued_tasks()
        self.assertIn("Conditions de vie", titles(self.search("logement")))
        self.assertIn("Enfant", titles(self.search("enfants")))
        self.assertIn("Accueil", titles(self.search("quebec")))
        self.assertIn("Nos rendez-vous", titles(self.search("evenement")))

    def test_exact_words_everywhere(self):
        self.assertIn("Conditions de vie", titles(self.search("logements")))
        self.assertIn("Enfant", titles(self.search("Enfant")))

    def test_result_shows_its_section_and_a_highlighted_excerpt(self):
        response = self.search("logements")
        item = next(i for i in response.context["items"] if i["title"] == "Conditions de vie")
        self.assertEqual(item["section"], "La plateforme")
        self.assertIn("<mark>logements</mark>", item["excerpt"])
        self.assertNotIn("['", item["excerpt"])
        self.assertContains(response, "<mark>logements</mark>")

    def test_findings_principles_and_measures_are_indexed(self):
        self.assertIn("Agir ensemble", titles(self.search("complémentarité")))
        self.assertIn("Agir ensemble", titles(self.search("CSDEPJ")))
        self.assertIn("Parents", titles(self.search("littératie")))

    def test_published_demo_answers_are_found(self):
        self.assertIn("Agir ensemble", titles(self.search("guichet")))

    def test_empty_state_in_french_with_suggestions(self):
        response = self.search("zzzxqw")
        self.assertContains(response, "Aucun résultat pour « zzzxqw »")
        self.assertContains(response, "la plateforme</a>")
        self.assertContains(response, 'value="zzzxqw"')

    def test_promoted_results_come_first(self):
        from boussole.models import ThemePage

        query = Query.get("boussole")
        SearchPromotion.objects.create(
            query=query,
            page=ThemePage.objects.get(),
            sort_order=0,
            description="Les questions aux partis.",
        )
        response = self.search("boussole")
        self.assertContains(response, "Suggestions de l’équipe")
        self.assertContains(response, "Les questions aux partis.")

    def test_every_page_has_a_search_box_in_its_header(self):
        for url in ("/", "/plateforme/enfant/", "/boussole/agir-ensemble/"):
            self.assertContains(self.client.get(url), 'id="recherche-entete"')

    def test_hostile_queries_never_fail(self):
        queries = [
            "x" * 1000,
            "!!!???...",
            "'; DROP TABLE wagtailcore_page; --",
            "(a|b)* & !c <-> d:*",
            ".*[a-z]+(?=x)",
            "a\x00b",
            "enfant & | ! ( ) : *",
            "«»—–",
        ]
        for q in queries:
            with self.subTest(q=q[:20]):
                response = self.search(q, page="-1")
                self.assertIn(response.status_code, (200, 400))
        response = self.client.get("/recherche/?q=%ff%fe%00")
        self.assertIn(response.status_code, (200, 400))


def build_parent():
    from home.models import HomePage

    return HomePage.objects.get()


class UnpublishedAnswersTests(CampaignOnThemeTestData, TestCase):
    def answer(self, invitation, text, action):
        save_answers(
            self.questionnaire,
            self.questions,
            invitation.party,
            action=action,
            **{self.questions[0].clean_name: text},
        )

    def found(self, word):
        return self.theme.title in titles(self.client.get("/recherche/", {"q": word}))

    def test_answers_are_searchable_only_once_public_and_never_as_drafts(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.answer(self.invitations[0], "zygomorphe", "submit")
            self.answer(self.invitations[1], "brouillonnage", "save")
        run_queued_tasks()
        self.assertFalse(self.found("zygomorphe"))

        with self.captureOnCommitCallbacks(execute=True):
            self.campaign.publish_results(user=None)
        run_queued_tasks()
        self.assertTrue(self.found("zygomorphe"))
        self.assertFalse(self.found("brouillonnage"))

        with self.captureOnCommitCallbacks(execute=True):
            self.campaign.results_published = False
            self.campaign.save()
        run_queued_tasks()
        self.assertFalse(self.found("zygomorphe"))

    def test_an_embargo_ending_is_indexed_by_the_scheduler(self):
        from datetime import timedelta
        from io import StringIO

        from django.utils import timezone

        with self.captureOnCommitCallbacks(execute=True):
            self.answer(self.invitations[0], "zygomorphe", "submit")
        run_queued_tasks()
        self.campaign.__class__.objects.filter(pk=self.campaign.pk).update(
            publish_at=timezone.now() - timedelta(minutes=1)
        )
        self.assertFalse(self.found("zygomorphe"))
        call_command("run_scheduler", once=True, stdout=StringIO())
        self.assertTrue(self.found("zygomorphe"))


# A search after the index changed (its results not yet in the cache), with results of every
# page type, their text for the excerpts prepared by the worker when it indexed them: the view
# restrictions (1); the campaigns found (1); the results' count and the results (2); their
# sections (1); the recorded query, its daily hits read and counted (3), its promoted results
# (1); the site (1); the footer's site settings (1).
SEARCH_BUDGET = 11
# The same search again: its results from the cache, the query still counted (3) with its
# promoted results (1), the site (1) and the footer's site settings (1).
SEARCH_CACHED_BUDGET = 6


class SearchQueryCountTests(TestCase):
    def count(self, matching):
        tree = build_site_tree(pillars=1, themes=1)
        pages = [
            tree["home"],
            tree["platform"],
            tree["boussole"],
            tree["standard"],
            *tree["pillars"],
            *tree["themes"],
        ]
        for page in pages:
            page.title = f"{page.title} logement"
            page.save_revision().publish()
        for n in range(matching):
            PillarPageFactory(parent=tree["platform"], title=f"Mesure logement {n}")
        run_queued_tasks()  # Wagtail indexes saved pages through a background task
        # The same search once (the query recorded, the site's own caches warm), then its
        # results renewed, as after a change of the index.
        self.client.get("/recherche/", {"q": "logement"})
        renew_results("essai")
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get("/recherche/", {"q": "logement"})
            self.assertEqual(len(response.context["items"]), min(len(pages) + matching, 10))
            counts.append(len(queries))
        tree["home"].delete()
        return counts

    def test_query_count_does_not_grow_with_results(self):
        self.assertEqual(self.count(3), [SEARCH_BUDGET, SEARCH_CACHED_BUDGET])
        self.assertEqual(self.count(30), [SEARCH_BUDGET, SEARCH_CACHED_BUDGET])


class CachedResultsTests(TestCase):
    """The results are kept per normalised query for readers without a session, and renewed
    as soon as the worker has indexed a change."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree(pillars=1, themes=1)

    def setUp(self):
        run_queued_tasks()

    def found(self, q="palourde", client=None):
        return titles((client or self.client).get("/recherche/", {"q": q}))

    def publish(self, title):
        page = StandardPageFactory(parent=self.tree["home"], title=title)
        return page

    def test_a_page_published_is_found_once_the_worker_indexed_it(self):
        self.assertEqual(self.found(), [])
        page = self.publish("La palourde")
        # Until the worker indexes it, the index does not know it either.
        self.assertEqual(self.found(), [])
        run_queued_tasks()
        self.assertEqual(self.found(), ["La palourde"])
        page.unpublish()
        run_queued_tasks()
        self.assertEqual(self.found(), [])

    def test_a_page_deleted_or_moved_leaves_the_results_at_once(self):
        page = self.publish("La palourde")
        run_queued_tasks()
        self.assertEqual(self.found(), ["La palourde"])
        moved_under = self.tree["boussole"]
        with self.captureOnCommitCallbacks(execute=True):
            page.move(moved_under, pos="last-child")
        run_queued_tasks()
        response = self.client.get("/recherche/", {"q": "palourde"})
        self.assertEqual(
            [item["url"] for item in response.context["items"]], [f"{moved_under.url}{page.slug}/"]
        )
        with self.captureOnCommitCallbacks(execute=True):
            page.delete()
        self.assertEqual(self.found(), [])

    def test_case_and_spaces_share_one_entry(self):
        self.found("Palourde")
        with CaptureQueriesContext(connection) as cached:
            self.found("  palourde ")
        with CaptureQueriesContext(connection) as other:
            self.found("huître")
        self.assertLess(len(cached), len(other))

    def test_a_restricted_page_is_never_found_whoever_filled_the_cache(self):
        from django.contrib.auth import get_user_model

        from wagtail.models import PageViewRestriction

        page = self.publish("La palourde des membres")
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
        self.publish("La palourde de tous")
        run_queued_tasks()
        member = Client()
        member.force_login(get_user_model().objects.create_user("membre", password="x"))
        self.assertEqual(self.found(client=member), ["La palourde de tous"])
        self.assertEqual(self.found(), ["La palourde de tous"])
        self.assertEqual(self.found(client=member), ["La palourde de tous"])
