"""What a render of a public page reuses between publications (collectif/delivery/renders.py):
the site, its settings, the restrictions and the route, and the render itself for the same
inputs; and that none of it outlives what changes it."""

from datetime import timedelta
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.cache import SessionStore
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import PageViewRestriction, Site

from campaigns.models import Campaign
from collectif.delivery import cache
from collectif.delivery.renders import serve_reused
from tests.campaigns.factories import campaign_on_theme, save_answers
from tests.home.factories import build_site_tree
from tests.pillars.factories import PillarPageFactory

NOW = timezone.now()


class RenderReuseTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.theme = cls.tree["themes"][0]
        cls.campaign, cls.questionnaire, cls.questions, invitations = campaign_on_theme(
            cls.theme, parties=3, results_published=True
        )
        cls.parties = [i.party for i in invitations]
        for party in cls.parties[:2]:
            save_answers(cls.questionnaire, cls.questions, party)

    def committed(self):
        return self.captureOnCommitCallbacks(execute=True)

    def queries(self, url):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return len(queries), response

    def test_an_address_that_changes_nothing_on_the_page_is_not_rendered_again(self):
        campaign_page = f"/campagnes/{self.campaign.slug}/"
        for url in ("/", self.tree["pillars"][0].url, self.theme.url, campaign_page):
            with self.subTest(url=url):
                first = self.client.get(f"{url}?questions=q_inconnue")
                self.assertEqual(first["X-Cache"], "MISS")
                count, again = self.queries(f"{url}?questions=q_autre&partis=999999")
                # A miss of the page cache (another address), but no query: the same page.
                self.assertEqual(again["X-Cache"], "MISS")
                self.assertEqual(count, 0)
                self.assertEqual(again.content, first.content)
                self.assertEqual(again["Content-Type"], first["Content-Type"])

    def test_an_unknown_choice_shows_the_page_itself(self):
        # A link naming a question since deleted, or a party that is not invited, compares
        # nothing: every party and question, no « Tout afficher », and no share link.
        plain = self.client.get(self.theme.url).content.decode()
        for query in ("questions=q_supprimee", "partis=999999", "partis=999999&questions=q_x"):
            with self.subTest(query=query):
                self.client.get("/")  # another render between
                page = self.client.get(f"{self.theme.url}?{query}").content.decode()
                self.assertNotIn("Tout afficher", page)
                self.assertNotIn("Lien de cette comparaison", page)
                for party in self.parties:
                    self.assertIn(party.name, page)
                self.assertEqual(page, plain)

    def test_a_real_comparison_is_rendered_with_its_canonical_share_link(self):
        chosen = self.parties[0]
        url = f"{self.theme.url}?questions=q_inconnue&partis={chosen.pk}&partis=999999"
        page = self.client.get(url).content.decode()
        self.assertIn("Tout afficher", page)
        self.assertIn(f"http://testserver{self.theme.url}?partis={chosen.pk}#reponses-", page)
        self.assertNotIn("q_inconnue", page)
        table = page.split('class="compare compare--stacked"')[1]
        self.assertIn(chosen.name, table)
        self.assertNotIn(self.parties[1].name, table)

    def test_the_clock_closing_a_campaign_renews_a_reused_render(self):
        # Every path to the same state: the campaign closes by the clock alone, with nothing
        # saved; a render reused from before would not say that the answers are coming.
        Campaign.objects.filter(pk=self.campaign.pk).update(
            opens_at=NOW - timedelta(days=1),
            closes_at=NOW + timedelta(hours=1),
            results_published=False,
            publish_at=None,
        )
        coming = "Les réponses des partis seront publiées ici."
        with mock.patch("django.utils.timezone.now", return_value=NOW):
            before = self.client.get(f"{self.theme.url}?questions=q_a").content.decode()
        self.assertNotIn(coming, before)
        later = NOW + timedelta(hours=2)
        with mock.patch("django.utils.timezone.now", return_value=later):
            after = self.client.get(f"{self.theme.url}?questions=q_b").content.decode()
        self.assertIn(coming, after)

    def test_a_page_unpublished_leaves_its_route_at_once(self):
        pillar = self.tree["pillars"][1]
        self.client.get(f"{pillar.url}?questions=q_a")
        with self.committed():
            pillar.unpublish()
        self.assertEqual(self.client.get(f"{pillar.url}?questions=q_b").status_code, 404)

    def test_a_page_made_private_is_refused_at_once_even_from_its_route(self):
        pillar = self.tree["pillars"][0]
        self.client.get(f"{pillar.url}?questions=q_a")
        with self.committed():
            PageViewRestriction.objects.create(
                page=pillar.get_parent(), restriction_type=PageViewRestriction.LOGIN
            )
        self.assertEqual(self.client.get(f"{pillar.url}?questions=q_b").status_code, 302)

    def test_a_team_member_never_gets_a_reused_render(self):
        self.client.get(f"{self.theme.url}?questions=q_a")
        user = get_user_model().objects.create_superuser("equipe", "e@collectif.example", "x")
        self.client.force_login(user)
        count, response = self.queries(f"{self.theme.url}?questions=q_b")
        self.assertGreater(count, 0)
        self.assertNotIn("X-Cache", response)

    def test_published_answers_appear_in_a_reused_render_once_public(self):
        Campaign.objects.filter(pk=self.campaign.pk).update(results_published=False)
        hidden = self.client.get(f"{self.theme.url}?questions=q_a").content.decode()
        self.assertNotIn(self.parties[0].name, hidden.split("compare-form")[-1])
        with self.committed():
            Campaign.objects.get(pk=self.campaign.pk).publish_results(user=None)
        shown = self.client.get(f"{self.theme.url}?questions=q_b").content.decode()
        self.assertIn("Les réponses des partis", shown)
        self.assertNotIn("Les réponses des partis", hidden)


class ServeReusedTests(TestCase):
    """`serve_reused` itself: what it never keeps."""

    def request(self):
        request = RequestFactory().get("/essai/")
        request.session = SessionStore()
        request._collectif_generations = {
            cache.GENERATION_KEY: 1,
            cache.path_generation_key("/essai/"): 1,
        }
        return request

    def served(self, render):
        return serve_reused(self.request(), "cle", render).content

    def test_the_same_inputs_get_the_same_render(self):
        self.assertEqual(self.served(lambda: HttpResponse("premier")), b"premier")
        self.assertEqual(self.served(lambda: HttpResponse("second")), b"premier")

    def test_a_render_that_used_a_csrf_token_or_the_session_is_never_kept(self):
        def with_token(request):
            def render():
                get_token(request)
                return HttpResponse("jeton")

            return render

        def with_session(request):
            def render():
                request.session.get("x")
                return HttpResponse("session")

            return render

        for name, made in (("jeton", with_token), ("session", with_session)):
            with self.subTest(name):
                request = self.request()
                serve_reused(request, name, made(request))
                again = serve_reused(self.request(), name, lambda: HttpResponse("neuf"))
                self.assertEqual(again.content, b"neuf")

    def test_an_error_or_a_private_response_is_never_kept(self):
        for name, response in (
            ("erreur", HttpResponse("erreur", status=500)),
            ("privée", HttpResponse("privée", headers={"Cache-Control": "private"})),
        ):
            with self.subTest(name):
                serve_reused(self.request(), name, lambda response=response: response)
                again = serve_reused(self.request(), name, lambda: HttpResponse("neuf"))
                self.assertEqual(again.content, b"neuf")


class SitesAndAliasesTests(TestCase):
    """What every render reuses is per host, and an alias is checked as Wagtail checks it."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()

    def test_each_host_gets_its_own_site(self):
        Site.objects.create(hostname="autre.example", port=80, root_page=self.tree["standard"])
        self.assertContains(self.client.get("/"), self.tree["home"].title)
        other = self.client.get("/", HTTP_HOST="autre.example")
        self.assertContains(other, "À propos")
        self.assertNotContains(other, self.tree["platform"].title)
        # Each host, asked again from what is kept: still its own.
        self.assertContains(
            self.client.get("/?questions=q_a", HTTP_HOST="autre.example"), "À propos"
        )
        self.assertContains(self.client.get("/?questions=q_a"), self.tree["home"].title)

    def test_a_page_below_an_alias_of_a_restricted_page_stays_restricted(self):
        platform = self.tree["platform"]
        copy = platform.create_alias(recursive=False, update_slug="plateforme-copie")
        below = PillarPageFactory(parent=copy, title="Sous la copie")
        # Restricted after the alias was made: only the source has the restriction, which
        # Wagtail reads for the alias and what is below it.
        PageViewRestriction.objects.create(
            page=platform, restriction_type=PageViewRestriction.LOGIN
        )
        self.assertEqual(
            list(PageViewRestriction.objects.values_list("page", flat=True)), [platform.pk]
        )
        # Once what renders reuse is known (another page read first).
        self.client.get("/")
        self.assertEqual(self.client.get(below.url).status_code, 302)
        self.assertEqual(self.client.get(copy.url).status_code, 302)
