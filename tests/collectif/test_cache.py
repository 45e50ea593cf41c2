"""Public pages are cacheable and cached; every change a page shows renews them."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.utils import timezone

from collectif.models import SiteSettings
from tests.campaigns.factories import campaign_on_theme, post_answers, save_answers
from tests.home.factories import MemberOrganisationFactory, build_site_tree
from tests.pillars.factories import measures_data


class CacheableTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.theme = cls.tree["themes"][0]
        cls.campaign, cls.questionnaire, cls.questions, cls.invitations = campaign_on_theme(
            cls.theme, results_published=True
        )

    def public_urls(self):
        tree = self.tree
        return [
            "/",
            tree["platform"].url,
            tree["pillars"][0].url,
            tree["boussole"].url,
            self.theme.url,
            tree["standard"].url,
            f"/campagnes/{self.campaign.slug}/",
            f"/campagnes/{self.campaign.slug}/reponses.json",
        ]

    def test_public_pages_set_no_cookie_and_say_they_may_be_shared(self):
        for url in self.public_urls():
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(dict(response.cookies), {})
                self.assertNotIn("cookie", response.get("Vary", "").lower())
                control = response["Cache-Control"]
                for part in ("public", "max-age=", "s-maxage="):
                    self.assertIn(part, control)

    def test_a_hit_makes_no_query(self):
        for url in self.public_urls():
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url)["X-Cache"], "MISS")
                with self.assertNumQueries(0):
                    response = self.client.get(url)
                self.assertEqual(response["X-Cache"], "HIT")
                self.assertEqual(response.status_code, 200)

    def test_never_cached(self):
        invitation = self.invitations[0]
        private = self.client.get(invitation.private_path)
        self.assertIn("no-store", private["Cache-Control"])
        self.assertNotIn("X-Cache", private)
        form_in_error = post_answers(
            self.client, invitation, self.questions, action="submit", name=""
        )
        self.assertEqual(form_in_error.status_code, 400)
        self.assertNotIn("public", form_in_error.get("Cache-Control", ""))
        signup = self.client.get("/infolettre/")
        self.assertIn("csrftoken", signup.cookies)
        self.assertNotIn("public", signup.get("Cache-Control", ""))
        self.assertNotIn("X-Cache", self.client.get("/recherche/", {"q": "enfant"}))
        # A logged-in reader gets the page fresh, never from or into the shared cache.
        self.client.force_login(get_user_model().objects.create_superuser("a", "a@x.ca", "x"))
        for url in ("/", "/admin/"):
            response = self.client.get(url)
            self.assertNotIn("X-Cache", response)
            self.assertNotIn("public", response.get("Cache-Control", ""))


class InvalidationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()

    def cached(self, *urls):
        for url in urls:
            self.client.get(url)
            self.assertEqual(self.client.get(url)["X-Cache"], "HIT")

    def test_publishing_a_measure_renews_its_pillar_the_platform_and_the_home(self):
        pillar = self.tree["pillars"][0]
        urls = ["/", self.tree["platform"].url, pillar.url]
        self.cached(*urls)
        new_measure = measures_data(1)[0]
        new_measure["value"]["title"] = "Mesure neuve"
        pillar.measures = [*measures_data(1), new_measure]
        pillar.save_revision().publish()
        for url in urls:
            with self.subTest(url=url):
                self.assertContains(self.client.get(url), "Mesure neuve")

    def test_unpublishing_moving_and_deleting_pages(self):
        standard = self.tree["standard"]
        self.cached("/", standard.url)
        standard.unpublish()
        self.assertEqual(self.client.get(standard.url).status_code, 404)
        theme = self.tree["themes"][0]
        self.cached(theme.url)
        theme.delete()
        self.assertEqual(self.client.get(theme.url).status_code, 404)

    def test_snippets_and_settings_renew_the_pages_that_show_them(self):
        self.cached("/")
        MemberOrganisationFactory(name="Organisation toute nouvelle")
        self.assertContains(self.client.get("/"), "Organisation toute nouvelle")
        self.cached("/")
        settings = SiteSettings.for_site(self.tree["home"].get_site())
        settings.footer_text = "Un pied de page neuf"
        settings.save()
        self.assertContains(self.client.get("/"), "Un pied de page neuf")

    def test_a_campaign_publication_and_a_published_answer_renew_the_theme(self):
        theme = self.tree["themes"][0]
        campaign, questionnaire, questions, invitations = campaign_on_theme(theme)
        save_answers(
            questionnaire, questions, invitations[0].party, **{questions[0].clean_name: "Avant"}
        )
        self.cached(theme.url)
        campaign.publish_results(user=None)
        self.assertContains(self.client.get(theme.url), "Avant")
        self.cached(theme.url)
        save_answers(
            questionnaire, questions, invitations[0].party, **{questions[0].clean_name: "Après"}
        )
        self.assertContains(self.client.get(theme.url), "Après")

    def test_the_scheduler_publishing_at_its_time_renews_the_page(self):
        from io import StringIO

        from django.core.management import call_command

        standard = self.tree["standard"]
        self.cached(standard.url)
        standard.title = "Titre programmé"
        standard.save_revision(approved_go_live_at=timezone.now() - timedelta(minutes=1))
        self.assertNotContains(self.client.get(standard.url), "Titre programmé")
        call_command("publish_scheduled", stdout=StringIO())
        self.assertContains(self.client.get(standard.url), "Titre programmé")


class WorkOutOfTheRequestTests(TestCase):
    def test_a_published_answer_reindexes_in_the_worker_not_in_the_request(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from django_tasks_db.models import DBTaskResult

        theme = build_site_tree()["themes"][0]
        campaign, questionnaire, questions, invitations = campaign_on_theme(
            theme, results_published=True
        )
        with self.captureOnCommitCallbacks(execute=True):
            with CaptureQueriesContext(connection) as queries:
                post_answers(self.client, invitations[0], questions, action="submit")
        sql = " ".join(q["sql"] for q in queries.captured_queries)
        self.assertNotIn("wagtailsearch_indexentry", sql)
        queued = DBTaskResult.objects.values_list("task_path", flat=True)
        self.assertIn("campaigns.indexing.reindex_campaign_pages", list(queued))
        # A draft saved after the submission changes nothing public: nothing is re-indexed.
        DBTaskResult.objects.all().delete()
        with self.captureOnCommitCallbacks(execute=True):
            post_answers(self.client, invitations[0], questions, action="save")
        self.assertNotIn(
            "campaigns.indexing.reindex_campaign_pages",
            list(DBTaskResult.objects.values_list("task_path", flat=True)),
        )
