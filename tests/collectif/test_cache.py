"""Public pages are cacheable and cached; every change a page shows renews them, and only
them; a cache that cannot answer is a miss.

Mutation testing (make mutation MODULE=collectif/delivery/cache.py
TESTS=tests/collectif/test_cache.py) runs these tests against mutants of
collectif/delivery/cache.py.
Last run (2026-12-04): 329 of 332 mutants killed; two of the three survivors went with
`generation()`, which nothing used any more (removed). The one left no test can tell apart:
- `_current` returning a tuple holding None instead of None: only if Redis dies between the
  `add` and the read that follows it, where the middleware then stores nothing either way.
"""

import uuid
from datetime import timedelta
from io import StringIO
from unittest import mock

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.signals import request_started
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.test import Client, RequestFactory, TestCase, TransactionTestCase, override_settings
from django.utils import timezone

from wagtail.models import Page, PageViewRestriction

from django_tasks_db.models import DBTaskResult

from campaigns import opendata
from campaigns.models import Campaign
from collectif import wsgi
from collectif.delivery import cache
from collectif.delivery.proxy import ban_proxy_pages
from collectif.models import SiteSettings
from tests.campaigns.factories import (
    PartyFactory,
    QuestionFactory,
    campaign_on_theme,
    post_answers,
    save_answers,
    team_member,
)
from tests.home.factories import MemberOrganisationFactory, build_site_tree
from tests.pillars.factories import measures_data

DEAD_REDIS = {
    "default": {
        "BACKEND": "collectif.delivery.cache_backend.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}
PROXY = {
    "varnish": {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": "http://127.0.0.1:6081",
    }
}
ADMIN = "/admin/snippets/campaigns/campaign"


def local_input(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


class CacheCase(TestCase):
    def committed(self):
        """The change inside runs its on-commit callbacks, as a real request's would."""
        return self.captureOnCommitCallbacks(execute=True)

    def cached(self, *urls):
        for url in urls:
            self.client.get(url)
            self.assertEqual(self.client.get(url)["X-Cache"], "HIT", url)

    def assertHit(self, url, **extra):
        self.assertEqual(self.client.get(url, **extra)["X-Cache"], "HIT", url)

    def assertMiss(self, url, **extra):
        self.assertEqual(self.client.get(url, **extra)["X-Cache"], "MISS", url)


class CacheableTests(CacheCase):
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
                control = {part.strip() for part in response["Cache-Control"].split(",")}
                self.assertEqual(control, {"public", "max-age=60", "s-maxage=600"})

    def test_a_hit_makes_no_query_and_keeps_the_headers(self):
        for url in self.public_urls():
            with self.subTest(url=url):
                miss = self.client.get(url)
                self.assertEqual(miss["X-Cache"], "MISS")
                with self.assertNumQueries(0):
                    hit = self.client.get(url)
                self.assertEqual(hit["X-Cache"], "HIT")
                self.assertEqual(hit.status_code, 200)
                self.assertEqual(hit.content, miss.content)
                # Every header of the rendered page, the security ones too (CSP…).
                for header in ("Content-Security-Policy", "Permissions-Policy", "Content-Type"):
                    self.assertIn(header, miss)
                for header, value in miss.items():
                    if header not in ("X-Cache", "X-Request-ID"):
                        self.assertEqual(hit[header], value, header)
                self.assertNotEqual(hit["X-Request-ID"], miss["X-Request-ID"])

    def test_a_head_is_answered_from_the_cache_but_never_fills_it(self):
        url = self.theme.url
        self.assertNotIn("X-Cache", self.client.head(url))
        self.assertMiss(url)
        self.assertEqual(self.client.head(url)["X-Cache"], "HIT")

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
        self.assertNotIn("X-Cache", self.client.get("/page-qui-n-existe-pas/"))
        # A logged-in reader gets the page fresh, never from or into the shared cache.
        self.client.force_login(get_user_model().objects.create_superuser("a", "a@x.ca", "x"))
        for url in ("/", "/admin/"):
            response = self.client.get(url)
            self.assertNotIn("X-Cache", response)
            self.assertNotIn("public", response.get("Cache-Control", ""))


class QueryStringTests(CacheCase):
    """Only the query parameters a page reads make a new entry."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.theme = cls.tree["themes"][0]
        cls.campaign, cls.questionnaire, cls.questions, cls.invitations = campaign_on_theme(
            cls.theme, results_published=True
        )

    def test_made_up_parameters_share_the_page_s_entry(self):
        self.assertMiss("/")
        for query in ("?x=1", "?x=2", "?utm_source=infolettre&y=", "?partis=abc", "?questions=z"):
            with self.subTest(query=query):
                self.assertHit(f"/{query}")

    def test_a_loop_of_query_strings_adds_no_entry(self):
        self.assertMiss("/")
        before = cache.page_cache()._cache.get_client().dbsize()
        for n in range(20):
            self.assertHit(f"/?x={n}")
        self.assertEqual(cache.page_cache()._cache.get_client().dbsize(), before)

    def test_the_comparison_is_part_of_the_key_in_any_order(self):
        first, second = (i.party for i in self.invitations)
        url = self.theme.url
        self.assertMiss(url)
        narrowed = self.client.get(url, {"partis": [second.pk]})
        self.assertEqual(narrowed["X-Cache"], "MISS")
        self.assertContains(narrowed, "Réponses de 1 parti")
        both = f"{url}?partis={second.pk}&partis={first.pk}"
        self.assertMiss(both)
        self.assertHit(f"{url}?partis={first.pk}&partis={second.pk}&partis={first.pk}&x=1")
        question = self.questions[0].clean_name
        self.assertMiss(f"{url}?questions={question}")
        self.assertHit(f"{url}?utm=1&questions={question}")

    def test_cache_query_keeps_only_what_pages_read(self):
        query = RequestFactory().get("/", {"x": "1", "partis": ["7", "3", "7", "a"]}).GET
        self.assertEqual(cache.cache_query(query), "partis=3&partis=7")
        query = RequestFactory().get("/", {"questions": ["q_b", "q_a", "qa", "x_q_1"]}).GET
        self.assertEqual(cache.cache_query(query), "questions=q_a&questions=q_b")
        self.assertEqual(cache.cache_query(RequestFactory().get("/", {"y": "2"}).GET), "")


class GuardTests(TestCase):
    """Each rule that keeps a personal page out of the shared cache, on its own."""

    def test_a_response_is_stored_only_if_nothing_says_otherwise(self):
        self.assertTrue(cache.is_cacheable_response(HttpResponse("ok")))
        self.assertTrue(
            cache.is_cacheable_response(HttpResponse("ok", headers={"Vary": "Accept-Encoding"}))
        )
        self.assertTrue(
            cache.is_cacheable_response(HttpResponse("ok", headers={"Cache-Control": "public"}))
        )

    def test_vary_cookie_is_never_stored(self):
        for vary in ("Cookie", "Accept-Encoding, Cookie", "cookie"):
            with self.subTest(vary=vary):
                response = HttpResponse("ok", headers={"Vary": vary})
                self.assertFalse(cache.is_cacheable_response(response))

    def test_each_cache_control_refusal_is_enough_alone(self):
        for control in ("private", "no-store", "no-cache", "max-age=0, private"):
            with self.subTest(control=control):
                response = HttpResponse("ok", headers={"Cache-Control": control})
                self.assertFalse(cache.is_cacheable_response(response))

    def test_a_cookie_an_error_or_a_stream_is_never_stored(self):
        with_cookie = HttpResponse("ok")
        with_cookie.set_cookie("csrftoken", "x")
        self.assertFalse(cache.is_cacheable_response(with_cookie))
        for status in (201, 301, 302, 404, 500):
            with self.subTest(status=status):
                self.assertFalse(cache.is_cacheable_response(HttpResponse("x", status=status)))
        self.assertFalse(cache.is_cacheable_response(StreamingHttpResponse(iter([b"x"]))))

    def test_a_session_or_a_pending_message_makes_a_known_visitor(self):
        factory = RequestFactory()
        self.assertTrue(cache.is_anonymous_reader(factory.get("/")))
        self.assertTrue(cache.is_anonymous_reader(factory.get("/", HTTP_COOKIE="csrftoken=x")))
        for cookie in ("sessionid=abc", "messages=abc", "csrftoken=x; messages=abc"):
            with self.subTest(cookie=cookie):
                request = factory.get("/", HTTP_COOKIE=cookie)
                self.assertFalse(cache.is_anonymous_reader(request))
                self.assertFalse(cache.is_cacheable_request(request))
                self.assertEqual(cache.visitor(request), {"known_visitor": True})
        self.assertEqual(cache.visitor(factory.get("/")), {"known_visitor": False})

    def test_only_reads_of_public_addresses_are_cacheable(self):
        factory = RequestFactory()
        self.assertTrue(cache.is_cacheable_request(factory.get("/boussole/")))
        self.assertTrue(cache.is_cacheable_request(factory.head("/boussole/")))
        self.assertFalse(cache.is_cacheable_request(factory.post("/boussole/")))
        for prefix in cache.PRIVATE_PREFIXES:
            with self.subTest(prefix=prefix):
                self.assertFalse(cache.is_cacheable_request(factory.get(f"{prefix}x")))


class PersonalPagesTests(CacheCase):
    """From both sides: a visitor with a message or a session never gets the shared page, and
    their page never becomes everyone's."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()

    def test_a_message_is_not_served_from_or_into_the_cache(self):
        url = self.tree["standard"].url
        # The victim: their page with a flash message is never stored.
        self.client.cookies["messages"] = "x"
        response = self.client.get(url)
        self.assertNotIn("X-Cache", response)
        self.assertNotIn("public", response.get("Cache-Control", ""))
        # Everyone else: the first anonymous reader renders the page fresh.
        del self.client.cookies["messages"]
        self.assertMiss(url)
        # The attacker cannot get the shared page served with their cookie either.
        self.client.cookies["messages"] = "x"
        self.assertNotIn("X-Cache", self.client.get(url))

    def test_a_session_is_not_served_from_or_into_the_cache(self):
        url = self.tree["standard"].url
        self.client.cookies["sessionid"] = "forged"
        self.assertNotIn("X-Cache", self.client.get(url))
        del self.client.cookies["sessionid"]
        self.assertMiss(url)

    def test_a_page_that_varies_on_cookie_is_rendered_for_each_reader(self):
        url = self.tree["standard"].url

        middleware = list(settings.MIDDLEWARE)
        middleware.insert(
            middleware.index("collectif.delivery.cache.PublicPageCacheMiddleware") + 1,
            "tests.collectif.test_cache.vary_cookie",
        )
        with override_settings(MIDDLEWARE=middleware):
            first = self.client.get(url)
            self.assertNotIn("X-Cache", first)
            self.assertNotIn("public", first.get("Cache-Control", ""))
            self.assertNotIn("X-Cache", self.client.get(url))


def vary_cookie(get_response):
    """A page that says it depends on the visitor's cookies."""

    def middleware(request):
        response = get_response(request)
        response["Vary"] = "Cookie"
        return response

    return middleware


class DeadCacheTests(CacheCase):
    """Redis down: every public page is rendered (a miss), never an error."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.theme = cls.tree["themes"][0]
        cls.campaign, *_ = campaign_on_theme(cls.theme, results_published=True)

    def test_pages_are_rendered_when_the_cache_cannot_answer(self):
        urls = ["/", self.theme.url, f"/campagnes/{self.campaign.slug}/", "/?x=1"]
        with override_settings(CACHES=DEAD_REDIS):
            with self.assertLogs("collectif.delivery.cache", "WARNING") as logs:
                for url in urls:
                    with self.subTest(url=url):
                        response = self.client.get(url)
                        self.assertEqual(response.status_code, 200)
                        self.assertNotEqual(response.get("X-Cache"), "HIT")
                        self.assertContains(response, "Collectif petite enfance")
                # A change still commits, its renewal is lost with the cache.
                with self.committed():
                    MemberOrganisationFactory(name="Organisation sans cache")
                cache.forget_page("testserver", "/")
                self.assertContains(self.client.get("/"), "Organisation sans cache")
        self.assertIn("injoignable", logs.output[0])
        self.assertNotIn("ERROR", " ".join(logs.output))
        # Back up: pages are cached again.
        self.cached("/")


class InvalidationTests(CacheCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()

    def test_publishing_a_measure_renews_its_pillar_the_platform_and_the_home(self):
        pillar = self.tree["pillars"][0]
        urls = ["/", self.tree["platform"].url, pillar.url]
        self.cached(*urls)
        new_measure = measures_data(1)[0]
        new_measure["value"]["title"] = "Mesure neuve"
        pillar.measures = [*measures_data(1), new_measure]
        with self.committed():
            pillar.save_revision().publish()
        for url in urls:
            with self.subTest(url=url):
                self.assertContains(self.client.get(url), "Mesure neuve")

    def test_the_renewal_waits_for_the_commit(self):
        # A page rendered before the commit would show the old data: nothing changes until
        # the change is committed, then every page is renewed.
        self.cached("/")
        with self.captureOnCommitCallbacks() as callbacks:
            MemberOrganisationFactory(name="Organisation en attente")
            self.assertHit("/")
        self.assertTrue(callbacks)
        self.assertHit("/")
        for callback in callbacks:
            callback()
        self.assertContains(self.client.get("/"), "Organisation en attente")

    def test_unpublishing_renews_every_page(self):
        standard = self.tree["standard"]
        self.cached("/", standard.url)
        with self.committed():
            standard.unpublish()
        self.assertEqual(self.client.get(standard.url).status_code, 404)
        self.assertMiss("/")

    def test_deleting_a_page_renews_every_page(self):
        theme = self.tree["themes"][0]
        self.cached("/", theme.url)
        with self.committed():
            Page.objects.get(pk=theme.pk).delete()
        self.assertEqual(self.client.get(theme.url).status_code, 404)
        self.assertMiss("/")

    def test_renaming_the_address_of_a_page_renews_every_page(self):
        standard = self.tree["standard"]
        self.cached("/", standard.url)
        standard.slug = "nouvelle-adresse"
        with self.committed():
            standard.save_revision().publish()
        self.assertMiss("/")
        self.assertEqual(self.client.get("/nouvelle-adresse/").status_code, 200)

    def test_moving_a_page_renews_every_page(self):
        standard = self.tree["standard"]
        self.cached("/", self.tree["boussole"].url)
        with self.committed():
            Page.objects.get(pk=standard.pk).move(self.tree["boussole"], pos="last-child")
        self.assertMiss(self.tree["boussole"].url)
        self.assertMiss("/")

    def test_each_signal_renews_on_its_own(self):
        from django.db.models.signals import post_delete, post_save

        from wagtail.signals import page_published, page_unpublished

        page = Page.objects.get(pk=self.tree["standard"].pk)
        for signal in (page_published, page_unpublished, post_delete):
            with self.subTest(signal=signal):
                self.cached("/")
                with self.committed():
                    signal.send(sender=Page, instance=page)
                self.assertMiss("/")
        member = MemberOrganisationFactory()
        for signal in (post_save, post_delete):
            with self.subTest(signal=signal):
                self.cached("/")
                with self.committed():
                    signal.send(sender=type(member), instance=member, created=False)
                self.assertMiss("/")

    def test_snippets_and_settings_renew_the_pages_that_show_them(self):
        self.cached("/")
        with self.committed():
            MemberOrganisationFactory(name="Organisation toute nouvelle")
        self.assertContains(self.client.get("/"), "Organisation toute nouvelle")
        self.cached("/")
        site_settings = SiteSettings.for_site(self.tree["home"].get_site())
        site_settings.footer_text = "Un pied de page neuf"
        with self.committed():
            site_settings.save()
        self.assertContains(self.client.get("/"), "Un pied de page neuf")

    def test_a_change_no_page_shows_renews_nothing(self):
        self.cached("/")
        # Gone (uncommitted: renews nothing), so that a page's next read makes them anew.
        SiteSettings.objects.all().delete()
        with self.committed():
            get_user_model().objects.create_user("quelqu-un", password="x")
            # Site settings made with their defaults when a page first asks for them.
            SiteSettings.for_site(self.tree["home"].get_site())
            # A fixture being loaded.
            MemberOrganisationFactory.build().save_base(raw=True)
        self.assertHit("/")

    def test_deleting_the_site_settings_renews_every_page(self):
        self.cached("/")
        with self.committed():
            SiteSettings.objects.all().delete()
        self.assertMiss("/")

    def test_page_keys_have_one_length_whatever_the_address(self):
        short = cache.page_key("h", "/", "")
        long = cache.page_key("h" * 300, "/" + "a" * 2000, "partis=1")
        self.assertEqual(len(short), len("collectif:page:") + 32)
        self.assertEqual(len(long), len(short))
        self.assertEqual(
            len(cache.path_generation_key("/" + "b" * 2000)), len(cache.path_generation_key("/"))
        )

    def test_the_scheduler_publishing_at_its_time_renews_the_page(self):
        standard = self.tree["standard"]
        self.cached(standard.url)
        standard.title = "Titre programmé"
        standard.save_revision(approved_go_live_at=timezone.now() - timedelta(minutes=1))
        self.assertNotContains(self.client.get(standard.url), "Titre programmé")
        with self.committed():
            call_command("run_scheduler", once=True, stdout=StringIO())
        self.assertContains(self.client.get(standard.url), "Titre programmé")

    def test_a_page_made_private_is_never_served_from_the_cache_again(self):
        # Who the cache could hurt: a page the team restricts (« Confidentialité » in the
        # admin) must stop reaching anonymous readers at once, and so must the menu entries
        # and lists that showed it.
        pillar = self.tree["pillars"][0]
        self.cached(pillar.url, "/")
        with self.committed():
            restriction = PageViewRestriction.objects.create(
                page=pillar, restriction_type=PageViewRestriction.LOGIN
            )
        response = self.client.get(pillar.url)
        self.assertEqual(response.status_code, 302)
        self.assertNotIn("X-Cache", response)
        self.assertNotContains(self.client.get("/"), pillar.url)
        with self.committed():
            restriction.delete()
        self.assertContains(self.client.get(pillar.url), pillar.title)

    def test_a_change_made_outside_the_site_is_shown_after_renew_public_pages(self):
        # A restore, or a change in the database by hand: nothing tells the cache. The
        # command renews every page, and what the renders reuse (routes, renders).
        pillar = self.tree["pillars"][0]
        self.cached(pillar.url, f"{pillar.url}?questions=q_x")
        Page.objects.filter(pk=pillar.pk).update(title="Titre restauré")
        self.assertNotContains(self.client.get(f"{pillar.url}?questions=q_y"), "Titre restauré")
        out = StringIO()
        with self.committed():
            call_command("renew_public_pages", stdout=out)
        self.assertIn("Pages publiques renouvelées", out.getvalue())
        self.assertContains(self.client.get(pillar.url), "Titre restauré")
        self.assertContains(self.client.get(f"{pillar.url}?questions=q_z"), "Titre restauré")

    def test_a_forgotten_page_is_rendered_again(self):
        theme = self.tree["themes"][0].url
        self.cached("/", theme, f"{theme}?partis=3")
        cache.forget_page("testserver", theme, "partis=3")
        self.assertMiss(f"{theme}?partis=3")
        self.assertHit(theme)
        cache.forget_page("testserver", theme)
        self.assertMiss(theme)
        self.assertHit("/")

    def test_each_renewal_is_logged_with_its_reason(self):
        with self.assertLogs("collectif.delivery.cache", "INFO") as logs:
            with self.committed():
                MemberOrganisationFactory()
        self.assertIn(
            "Cache des pages publiques renouvelé : home.memberorganisation", logs.output[0]
        )
        with self.assertLogs("collectif.delivery.cache", "INFO") as logs:
            cache.renew_paths(["/b/", "/a/", "/b/"], "essai")
        self.assertEqual(
            logs.output[0], "INFO:collectif.delivery.cache:Pages renouvelées (essai) : /a/, /b/"
        )

    def test_the_generations_never_expire_and_what_pages_share_is_kept_per_generation(self):
        self.assertMiss("/")
        client = cache.page_cache()._cache.get_client()
        for key in (cache.GENERATION_KEY, cache.path_generation_key("/")):
            self.assertEqual(client.ttl(cache.page_cache().make_key(key)), -1, key)
        # A page itself, and what pages share, expire after PAGE_TIMEOUT.
        page_ttl = client.ttl(cache.page_cache().make_key(cache.page_key("testserver", "/", "")))
        self.assertTrue(cache.PAGE_TIMEOUT - 60 < page_ttl <= cache.PAGE_TIMEOUT, page_ttl)
        name = f"essai:ttl:{uuid.uuid4().hex}"
        cache.remember(name, lambda: "T")
        shared = client.keys(f"*{name}*")
        self.assertEqual(len(shared), 1)
        self.assertTrue(0 < client.ttl(shared[0]) <= cache.PAGE_TIMEOUT)
        built = []
        for _ in range(2):
            self.assertEqual(cache.remember("essai:a", lambda: built.append("a") or "A"), "A")
            self.assertEqual(cache.remember("essai:b", lambda: built.append("b") or "B"), "B")
        self.assertEqual(built, ["a", "b"])
        with self.committed():
            MemberOrganisationFactory()
        self.assertEqual(cache.remember("essai:a", lambda: built.append("a") or "A2"), "A2")

    def test_a_page_change_is_logged_with_the_page(self):
        page = self.tree["standard"]
        with self.assertLogs("collectif.delivery.cache", "INFO") as logs:
            with self.committed():
                page.save_revision().publish()
        self.assertIn(
            f"INFO:collectif.delivery.cache:Cache des pages publiques renouvelé : page {page.pk}",
            logs.output,
        )
        with self.assertLogs("collectif.delivery.cache", "INFO") as logs:
            with self.committed():
                cache.renew_paths_on_commit(lambda: ["/x/"], "essai")
        self.assertEqual(
            logs.output, ["INFO:collectif.delivery.cache:Pages renouvelées (essai) : /x/"]
        )

    def test_a_lost_generation_never_brings_back_an_older_page(self):
        self.cached("/")
        cache.page_cache().delete(cache.GENERATION_KEY)
        self.assertMiss("/")
        self.assertHit("/")
        cache.page_cache().delete(cache.path_generation_key("/"))
        self.assertMiss("/")
        self.assertHit("/")


class SignalConnectionTests(CacheCase):
    """Each signal `connect_signals` connects renews the pages. The app connected them when it
    started; they are connected again here, so that the test sees what the function does."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()

    def setUp(self):
        from django.db.models.signals import post_delete, post_save

        from wagtail.signals import (
            page_published,
            page_slug_changed,
            page_unpublished,
            post_page_move,
        )

        for signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
            signal.disconnect(dispatch_uid=f"collectif-cache-{id(signal)}")
        post_delete.disconnect(sender=Page, dispatch_uid="collectif-cache-page-delete")
        post_save.disconnect(dispatch_uid="collectif-cache-model-save")
        post_delete.disconnect(dispatch_uid="collectif-cache-model-delete")
        cache.connect_signals()

    def assertRenewedBy(self, send):
        self.cached("/")
        with self.committed():
            send()
        self.assertMiss("/")

    def test_each_page_signal(self):
        from django.db.models.signals import post_delete

        from wagtail.signals import (
            page_published,
            page_slug_changed,
            page_unpublished,
            post_page_move,
        )

        page = Page.objects.get(pk=self.tree["standard"].pk)
        parent = page.get_parent()
        for signal, extra in (
            (page_published, {}),
            (page_unpublished, {}),
            (page_slug_changed, {"instance_before": page}),
            (
                post_page_move,
                {
                    "parent_page_before": parent,
                    "parent_page_after": parent,
                    "url_path_before": page.url_path,
                    "url_path_after": page.url_path,
                },
            ),
            (post_delete, {}),
        ):
            with self.subTest(signal=signal):
                self.assertRenewedBy(
                    lambda signal=signal, extra=extra: signal.send(
                        sender=Page, instance=page, **extra
                    )
                )

    def test_each_model_signal(self):
        member = MemberOrganisationFactory()
        self.assertRenewedBy(lambda: member.save())
        self.assertRenewedBy(lambda: member.delete())

    def test_the_deletion_of_what_no_page_shows_renews_nothing(self):
        user = get_user_model().objects.create_user("personne", password="x")
        self.cached("/")
        with self.committed():
            user.delete()
        self.assertHit("/")


class CampaignRenewalTests(CacheCase):
    """Every way a campaign's answers become public renews its pages, through the real entry
    point, and only its pages."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree(themes=2)
        cls.theme, cls.other_theme = cls.tree["themes"]
        cls.campaign, cls.questionnaire, cls.questions, cls.invitations = campaign_on_theme(
            cls.theme
        )
        cls.party = cls.invitations[0].party

    def campaign_urls(self):
        slug = self.campaign.slug
        return [self.theme.url, f"/campagnes/{slug}/"]

    def untouched_urls(self):
        return ["/", self.other_theme.url, self.tree["boussole"].url]

    def answer(self, text, action="submit"):
        # The party's own browser: its private pages set cookies a reader does not have.
        with self.committed():
            response = post_answers(
                Client(),
                self.invitations[0],
                self.questions,
                action=action,
                **{self.questions[0].clean_name: text},
            )
        self.assertEqual(response.status_code, 303)

    def assertRenewedOnly(self, text=None):
        for url in self.untouched_urls():
            self.assertHit(url)
        for url in self.campaign_urls():
            response = self.client.get(url)
            self.assertEqual(response["X-Cache"], "MISS", url)
            if text:
                self.assertContains(response, text)

    def test_a_draft_or_a_submission_before_publication_renews_nothing(self):
        generation = cache._current([cache.GENERATION_KEY])
        self.cached(*self.campaign_urls(), *self.untouched_urls())
        self.answer("Brouillon secret", action="save")
        self.answer("Soumission sous embargo")
        for url in self.campaign_urls() + self.untouched_urls():
            self.assertHit(url)
        self.assertEqual(cache._current([cache.GENERATION_KEY]), generation)
        self.assertNotContains(self.client.get(self.theme.url), "Soumission sous embargo")

    def test_the_team_publishing_renews_the_campaign_pages(self):
        self.answer("Réponse publiée par l’équipe")
        self.cached(*self.campaign_urls(), *self.untouched_urls())
        self.client.force_login(team_member())
        with self.committed():
            response = self.client.post(f"{ADMIN}/publier/{self.campaign.pk}/")
        self.assertEqual(response.status_code, 302)
        self.client.logout()
        self.assertRenewedOnly("Réponse publiée par l’équipe")

    def test_the_embargo_ending_by_the_clock_renews_the_campaign_pages(self):
        publish_at = self.campaign.closes_at + timedelta(hours=1)
        Campaign.objects.filter(pk=self.campaign.pk).update(publish_at=publish_at)
        self.answer("Réponse sous embargo")
        self.cached(*self.campaign_urls(), *self.untouched_urls())
        with mock.patch(
            "django.utils.timezone.now", return_value=publish_at + timedelta(seconds=30)
        ):
            # Before the scheduler runs, the cached page is what it was.
            self.assertHit(self.theme.url)
            with self.committed():
                call_command("run_scheduler", once=True, stdout=StringIO())
            self.assertRenewedOnly("Réponse sous embargo")
            self.assertTrue(Campaign.objects.get(pk=self.campaign.pk).answers_indexed)
            # The next run has nothing left to renew.
            self.cached(*self.campaign_urls())
            with self.committed():
                call_command("run_scheduler", once=True, stdout=StringIO())
            self.assertHit(self.theme.url)

    def test_the_deadline_passing_by_the_clock_renews_the_campaign_pages(self):
        # Nothing is saved when a campaign closes: only the scheduler sees it, and the cached
        # pages must stop telling parties that the questionnaire is open.
        with self.committed():
            call_command("run_scheduler", once=True, stdout=StringIO())
        self.cached(*self.campaign_urls(), *self.untouched_urls())
        closed = self.campaign.closes_at + timedelta(seconds=30)
        with mock.patch("django.utils.timezone.now", return_value=closed):
            self.assertHit(self.theme.url)
            with self.committed():
                call_command("run_scheduler", once=True, stdout=StringIO())
            self.assertRenewedOnly("seront publiées ici.")
            self.assertContains(
                self.client.get(self.theme.url), "Les réponses des partis seront publiées ici."
            )
            # Seen once: the next run renews nothing.
            self.cached(*self.campaign_urls())
            with self.committed():
                call_command("run_scheduler", once=True, stdout=StringIO())
            self.assertHit(self.theme.url)

    def test_a_correction_after_publication_renews_the_campaign_pages(self):
        self.answer("Première réponse")
        with self.committed():
            self.campaign.publish_results(user=None)
        self.cached(*self.campaign_urls(), *self.untouched_urls())
        self.answer("Réponse corrigée")
        self.assertRenewedOnly("Réponse corrigée")

    def test_a_deadline_extension_then_a_late_submission_renew_the_campaign_pages(self):
        self.answer("Réponse à l’heure")
        closed = self.campaign.closes_at + timedelta(hours=1)
        with self.committed():
            self.campaign.publish_results(user=None)
        with mock.patch("django.utils.timezone.now", return_value=closed):
            self.cached(*self.campaign_urls(), *self.untouched_urls())
            self.client.force_login(team_member())
            with self.committed():
                response = self.client.post(
                    f"{ADMIN}/invitation/{self.invitations[0].pk}/prolonger/",
                    {"deadline": local_input(closed + timedelta(days=2))},
                )
            self.assertEqual(response.status_code, 302)
            self.client.logout()
            self.assertRenewedOnly()
            self.cached(*self.campaign_urls())
            self.answer("Réponse après prolongation")
            self.assertRenewedOnly("Réponse après prolongation")

    def test_the_campaign_s_own_models_renew_its_pages(self):
        self.cached(*self.campaign_urls(), *self.untouched_urls())
        question = self.questions[0]
        question.text = "Une question reformulée?"
        with self.committed():
            question.save()
        self.assertRenewedOnly("Une question reformulée?")
        self.cached(*self.campaign_urls())
        with self.committed():
            self.party.name = "Parti renommé"
            self.party.save()
        self.assertRenewedOnly()
        self.cached(*self.campaign_urls())
        with self.committed():
            self.questionnaire.title = "Titre revu"
            self.questionnaire.save()
        self.assertRenewedOnly()

    def test_what_only_the_team_sees_of_an_invitation_renews_nothing(self):
        self.cached(*self.campaign_urls())
        invitation = self.invitations[0]
        with self.committed():
            invitation.renew_link()
            invitation.emailed_at = timezone.now()
            invitation.save(update_fields=["emailed_at"])
            PartyFactory()
        for url in self.campaign_urls():
            self.assertHit(url)

    def test_deleting_a_question_renews_every_page(self):
        self.cached("/", self.theme.url)
        with self.committed():
            QuestionFactory(questionnaire=self.questionnaire).delete()
        self.assertMiss("/")
        self.assertMiss(self.theme.url)

    def test_each_page_showing_the_campaign_and_every_query_string_is_renewed(self):
        from tests.campaigns.factories import place_questionnaire

        place_questionnaire(self.other_theme, self.questionnaire)
        with self.committed():
            self.campaign.publish_results(user=None)
        narrowed = f"{self.theme.url}?partis={self.party.pk}"
        self.cached(self.theme.url, self.other_theme.url, narrowed, "/")
        self.answer("Réponse visible partout")
        for url in (self.theme.url, self.other_theme.url, narrowed):
            with self.subTest(url=url):
                self.assertContains(self.client.get(url), "Réponse visible partout")
        self.assertHit("/")


@override_settings(WAGTAILFRONTENDCACHE=PROXY)
class ProxyBanTests(CacheCase):
    """The proxy drops what the site's cache renews: every page, or the campaign's."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.theme = cls.tree["themes"][0]
        cls.campaign, cls.questionnaire, cls.questions, cls.invitations = campaign_on_theme(
            cls.theme, results_published=True
        )

    def bans(self):
        return [
            task.args_kwargs["args"]
            for task in DBTaskResult.objects.filter(task_path=ban_proxy_pages.module_path)
        ]

    def test_a_site_wide_change_bans_every_page(self):
        with self.committed():
            MemberOrganisationFactory()
        self.assertEqual(self.bans(), [[]])

    def test_a_public_answer_bans_only_the_campaign_s_addresses(self):
        DBTaskResult.objects.all().delete()
        with self.committed():
            save_answers(self.questionnaire, self.questions, self.invitations[0].party)
        slug = self.campaign.slug
        self.assertEqual(
            self.bans(),
            [
                [
                    sorted(
                        [
                            self.theme.url,
                            f"/campagnes/{slug}/",
                            *(f"/campagnes/{slug}/{name}" for name in opendata.FILE_NAMES),
                            f"/campagnes/{slug}/flux.atom",
                            "/flux.atom",
                            "/donnees-ouvertes/",
                        ]
                    )
                ]
            ],
        )

    def live_seconds_left(self, path):
        """The time Redis still keeps the mark of a live address (None: not live)."""
        page_cache = cache.page_cache()
        key = page_cache.make_and_validate_key(cache.live_key(path))
        left = page_cache._cache.get_client(key).ttl(key)
        return None if left < 0 else left

    def correct(self, text):
        with self.committed():
            save_answers(
                self.questionnaire,
                self.questions,
                self.invitations[0].party,
                **{self.questions[0].clean_name: text},
            )

    def proxy_max_age(self, url):
        response = self.client.get(url)
        self.assertEqual(response["X-Cache"], "MISS", url)
        return response["Cache-Control"]

    def test_corrections_ban_once_then_the_proxy_refreshes_the_live_pages(self):
        # Before any correction, the proxy keeps the theme page ten minutes.
        self.assertIn("s-maxage=600", self.proxy_max_age(self.theme.url))
        DBTaskResult.objects.all().delete()
        self.correct("Première réponse")
        # The proxy's copies were kept ten minutes: this first one bans them…
        self.assertEqual(len(self.bans()), 1)
        self.assertIn(self.theme.url, self.bans()[0][0])
        self.assertIn("s-maxage=2", self.proxy_max_age(self.theme.url))
        self.assertIn("s-maxage=2", self.proxy_max_age(f"/campagnes/{self.campaign.slug}/"))
        self.assertEqual(self.live_seconds_left(self.theme.url), cache.LIVE_SECONDS)
        # …the next ones ban nothing: the proxy refreshes the pages every two seconds.
        DBTaskResult.objects.all().delete()
        self.correct("Réponse corrigée")
        self.correct("Réponse corrigée deux fois")
        self.assertEqual(self.bans(), [])
        response = self.client.get(self.theme.url)
        self.assertContains(response, "Réponse corrigée deux fois")
        self.assertIn("s-maxage=2", response["Cache-Control"])
        # Pages the corrections do not touch stay as they were.
        self.assertIn("s-maxage=600", self.proxy_max_age("/"))

    def test_a_change_that_takes_something_away_bans_a_live_page_still(self):
        self.correct("Première réponse")
        DBTaskResult.objects.all().delete()
        # The team renames the party: the page no longer says what it said.
        with self.committed():
            party = self.invitations[0].party
            party.name = "Parti renommé"
            party.save()
        self.assertEqual(len(self.bans()), 1)
        self.assertIn(self.theme.url, self.bans()[0][0])

    def test_once_no_longer_live_a_correction_bans_again(self):
        self.correct("Première réponse")
        # Ten minutes without a correction: Redis forgets the mark, and the pages made from
        # then on are kept ten minutes by the proxy again.
        cache.page_cache().delete(cache.live_key(self.theme.url))
        self.assertIn("s-maxage=600", self.proxy_max_age(self.theme.url))
        DBTaskResult.objects.all().delete()
        self.correct("Réponse corrigée")
        self.assertEqual(len(self.bans()), 1)
        self.assertIn(self.theme.url, self.bans()[0][0])


class LiveRenewalBackendsTests(TestCase):
    """Marking addresses live and changing their generations: one round trip on Redis, the
    same outcome on the local-memory cache of `make run`."""

    def renew_twice(self):
        with mock.patch.object(cache, "ban_later") as ban:
            before = cache._current([cache.path_generation_key("/a/")])
            cache.renew_paths(["/a/", "/b/"], "essai", live=True)
            first = cache._current([cache.path_generation_key("/a/")])
            cache.page_cache().delete(cache.live_key("/b/"))
            cache.renew_paths(["/a/", "/b/"], "essai", live=True)
            second = cache._current([cache.path_generation_key("/a/")])
        self.assertEqual([c.args[0] for c in ban.call_args_list], [["/a/", "/b/"], ["/b/"]])
        self.assertTrue(before != first != second)
        self.assertEqual(cache.proxy_max_age("/a/"), cache.LIVE_PROXY_MAX_AGE)

    def test_on_redis(self):
        self.assertTrue(hasattr(cache.page_cache(), "exchange_many"))
        self.renew_twice()

    def test_on_the_local_memory_cache(self):
        locmem = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
        with override_settings(CACHES=locmem):
            self.assertFalse(hasattr(cache.page_cache(), "exchange_many"))
            self.renew_twice()


class CommittedRenewalTests(TransactionTestCase):
    """With real commits (no test transaction around them): the renewal follows the commit,
    and a rollback renews nothing."""

    # Like every transactional test of the suite: the migrations' data comes back from
    # Django's copy.
    serialized_rollback = True

    def test_a_rolled_back_change_renews_nothing_and_a_committed_one_does(self):
        build_site_tree()
        self.client.get("/")
        self.assertEqual(self.client.get("/")["X-Cache"], "HIT")
        try:
            with transaction.atomic():
                MemberOrganisationFactory(name="Organisation annulée")
                raise RuntimeError
        except RuntimeError:
            pass
        self.assertEqual(self.client.get("/")["X-Cache"], "HIT")
        with transaction.atomic():
            MemberOrganisationFactory(name="Organisation validée")
            self.assertEqual(self.client.get("/")["X-Cache"], "HIT")
        response = self.client.get("/")
        self.assertEqual(response["X-Cache"], "MISS")
        self.assertContains(response, "Organisation validée")


class WorkOutOfTheRequestTests(TestCase):
    def test_a_published_answer_reindexes_in_the_worker_not_in_the_request(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

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


class ReindexWaitingTests(TestCase):
    """Corrections after publication queue one reindexing while it waits, without asking the
    queue each time; a reindexing that has started is never counted on for what it did not
    read."""

    def setUp(self):
        theme = build_site_tree()["themes"][0]
        self.campaign, self.questionnaire, self.questions, invitations = campaign_on_theme(
            theme, results_published=True
        )
        self.party = invitations[0].party

    def correct(self):
        with self.captureOnCommitCallbacks(execute=True):
            save_answers(self.questionnaire, self.questions, self.party)

    def reindexings(self):
        return DBTaskResult.objects.filter(
            task_path="campaigns.indexing.reindex_campaign_pages", status="READY"
        ).count()

    def test_one_waiting_reindexing_and_a_new_one_once_it_started(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from tests.campaigns.worker import run_queued_tasks

        self.correct()
        self.assertEqual(self.reindexings(), 1)
        with CaptureQueriesContext(connection) as queries:
            self.correct()
        sql = " ".join(q["sql"] for q in queries.captured_queries)
        self.assertNotIn('django_tasks_database_dbtaskresult" WHERE', sql)
        self.assertEqual(self.reindexings(), 1)
        # The reindexing starts (and reads everything committed so far): the next correction
        # is not in what it read, and queues the next one.
        run_queued_tasks()
        self.assertEqual(self.reindexings(), 0)
        self.correct()
        self.assertEqual(self.reindexings(), 1)

    def test_a_mark_the_task_cannot_remove_brings_one_more_reindexing_after_it_ends(self):
        from campaigns import indexing
        from tests.campaigns.worker import run_queued_tasks

        self.correct()
        backend = cache.page_cache()
        with mock.patch.object(
            type(backend), "delete_or_raise", side_effect=cache.CACHE_ERRORS[0]("coupé")
        ):
            run_queued_tasks()
        # The mark stays: a correction now queues nothing…
        self.correct()
        waiting = DBTaskResult.objects.filter(
            task_path="campaigns.indexing.reindex_campaign_pages", status="READY"
        )
        # …but the task queued one more reindexing, for once the mark has ended.
        self.assertEqual(waiting.count(), 1)
        self.assertGreater(
            waiting.get().run_after,
            timezone.now() + timedelta(seconds=indexing.REINDEX_WAITING_SECONDS - 5),
        )

    def test_a_mark_without_a_task_behind_it_is_removed(self):
        from campaigns import indexing

        with mock.patch.object(indexing, "enqueue_once", side_effect=RuntimeError("base")):
            with self.assertRaises(RuntimeError):
                indexing.reindex_soon(self.campaign.pk)
        self.assertIsNone(cache.page_cache().get(indexing.reindex_waiting_key(self.campaign.pk)))
        indexing.reindex_soon(self.campaign.pk)
        self.assertEqual(self.reindexings(), 1)

    def test_without_the_cache_the_queue_itself_is_asked(self):
        from tests.collectif.test_redis_down import redis_down

        with redis_down():
            for _ in range(3):
                self.correct()
        self.assertEqual(self.reindexings(), 1)


class WsgiHitTests(CacheCase):
    """`serve_hits`: a hit answered before Django handles the request, under the same rules;
    anything else goes on to Django."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()

    def setUp(self):
        self.client.get("/")  # the home page, now in the cache
        self.django_calls = []

        def django(environ, start_response):
            self.django_calls.append(environ["PATH_INFO"])
            start_response("204 No Content", [])
            return []

        self.application = cache.serve_hits(django)

    def call(self, method="GET", path="/", **extra):
        environ = RequestFactory().generic(method, path, **extra).environ
        started = {}

        def start_response(status, headers):
            names = [name.lower() for name, _ in headers]
            self.assertEqual(len(names), len(set(names)), "a header given twice")
            started.update(status=status, headers=dict(headers))

        body = b"".join(self.application(environ, start_response))
        return started["status"], started["headers"], body

    def test_a_hit_is_the_cached_page_with_its_headers_without_django(self):
        stored = self.client.get("/")
        with self.assertNumQueries(0):
            status, headers, body = self.call(HTTP_X_REQUEST_ID="lecteur-42")
        self.assertEqual((status, self.django_calls), ("200 OK", []))
        self.assertEqual(body, stored.content)
        self.assertEqual(headers["X-Cache"], "HIT")
        self.assertEqual(headers["X-Request-ID"], "lecteur-42")
        self.assertEqual(headers["Content-Length"], str(len(body)))
        for name in ("Content-Type", "Cache-Control", "Content-Security-Policy"):
            self.assertEqual(headers[name], stored[name], name)
        # A request id that does not look like one is replaced; none sent, one is made.
        _, headers, _ = self.call(HTTP_X_REQUEST_ID="<script>")
        self.assertRegex(headers["X-Request-ID"], r"^[0-9a-f]{32}$")
        _, headers, _ = self.call()
        self.assertRegex(headers["X-Request-ID"], r"^[0-9a-f]{32}$")

    def test_head_gets_the_headers_only(self):
        status, headers, body = self.call("HEAD")
        self.assertEqual((status, headers["X-Cache"], body), ("200 OK", "HIT", b""))

    def test_what_the_rules_refuse_goes_on_to_django(self):
        session = {"HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}=abc"}
        cases = {
            "a session": {"extra": session},
            "a pending message": {"extra": {"HTTP_COOKIE": "messages=abc"}},
            "a forged host": {"extra": {"HTTP_HOST": "evil.example"}},
            "a post": {"method": "POST"},
            "a strange method": {"method": "PROPFIND"},
            "an address never cached": {"path": "/admin/"},
            "a page not in the cache": {"path": "/nulle-part/"},
        }
        for name, case in cases.items():
            with self.subTest(name), override_settings(ALLOWED_HOSTS=["testserver"]):
                self.django_calls.clear()
                status, _, _ = self.call(
                    case.get("method", "GET"), case.get("path", "/"), **case.get("extra", {})
                )
                self.assertEqual(status, "204 No Content")
                self.assertEqual(len(self.django_calls), 1)

    @override_settings(SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=None)
    def test_plain_http_goes_on_to_django_for_its_redirect(self):
        status, _, _ = self.call()
        self.assertEqual(status, "204 No Content")
        self.assertEqual(self.call(secure=True)[0], "200 OK")

    def test_a_renewed_page_is_not_served(self):
        cache.bump("test")
        self.assertEqual(self.call()[0], "204 No Content")

    def test_the_served_application_answers_hits_without_django(self):
        started = []

        def count(**kwargs):
            started.append(kwargs)

        request_started.connect(count)
        self.addCleanup(request_started.disconnect, count)
        environ = RequestFactory().get("/").environ
        headers = {}
        body = b"".join(wsgi.application(environ, lambda s, h: headers.update(h)))
        self.assertEqual((headers["X-Cache"], started), ("HIT", []))
        self.assertEqual(body, self.client.get("/").content)

    def test_a_hit_asked_again_at_once_is_answered_from_memory(self):
        _, _, first = self.call()
        with mock.patch.object(cache, "_read", side_effect=AssertionError("a round trip")):
            status, headers, body = self.call()
        self.assertEqual((status, headers["X-Cache"], body), ("200 OK", "HIT", first))
        self.assertRegex(headers["X-Request-ID"], r"^[0-9a-f]{32}$")

    def test_the_memory_of_hits_never_outlives_its_seconds_nor_a_renewal(self):
        moment = [1000.0]
        with mock.patch.object(cache.time, "monotonic", side_effect=lambda: moment[0]):
            self.call()
            moment[0] += cache.MEMO_SECONDS + 0.01
            with mock.patch.object(cache, "_read", return_value={}) as read:
                # Too old: asked of the cache again, which no longer has it.
                self.assertEqual(self.call()[0], "204 No Content")
            self.assertTrue(read.called)
            self.call()
            # A renewal made by this process is seen at once.
            cache.renew_paths(["/"], "essai", proxy=False)
            self.assertEqual(self.call()[0], "204 No Content")

    def test_a_request_with_cookies_never_reads_the_memory(self):
        self.call()
        with mock.patch.object(cache, "_read", return_value={}) as read:
            status, _, _ = self.call(HTTP_COOKIE="csrftoken=abc")
        self.assertTrue(read.called)
        self.assertEqual(status, "204 No Content")

    def test_a_caching_proxy_never_gets_a_hit_from_memory(self):
        # Varnish would keep for ten minutes a page that this process holds from the second
        # before a renewal made by another app server.
        self.call()
        for header in ("HTTP_X_VARNISH", "HTTP_VIA"):
            with self.subTest(header):
                with mock.patch.object(cache, "_read", return_value={}) as read:
                    status, _, _ = self.call(**{header: "1"})
                self.assertTrue(read.called)
                self.assertEqual(status, "204 No Content")

    def test_the_memory_of_hits_stays_small_whatever_the_addresses(self):
        for n in range(cache.MEMO_SIZE + 10):
            self.call(QUERY_STRING=f"x={n}")
        self.assertLessEqual(len(cache._memo), cache.MEMO_SIZE)
        self.assertGreater(len(cache._memo), 0)


class KeptInMemoryTests(CacheCase):
    """What `remember` keeps in the process's memory: read without a round trip for the same
    generations, never for new ones."""

    def test_asked_again_for_the_same_generations_it_makes_no_round_trip(self):
        self.assertEqual(cache.remember("essai", lambda: ["construit"]), ["construit"])
        built = []
        with mock.patch.object(cache, "_read", wraps=cache._read) as read:
            value = cache.remember("essai", lambda: built.append(1) or ["autre"])
        self.assertEqual((value, built), (["construit"], []))
        # One read, of the generations; the value came from memory.
        self.assertEqual(read.call_count, 1)

    def test_each_use_gets_its_own_copy(self):
        first = cache.remember("essai", lambda: {"liste": []})
        first["liste"].append("modifiée par une requête")
        self.assertEqual(cache.remember("essai", lambda: None), {"liste": []})

    def test_a_renewal_makes_it_build_again(self):
        cache.remember("essai", lambda: "avant")
        cache.bump("essai")
        self.assertEqual(cache.remember("essai", lambda: "après"), "après")
        cache.remember("chemin", lambda: "avant", path="/a/")
        cache.renew_paths(["/a/"], "essai", proxy=False)
        self.assertEqual(cache.remember("chemin", lambda: "après", path="/a/"), "après")
