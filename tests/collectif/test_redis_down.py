"""Redis down: reading goes on. Rate limits let reads through and count writes in the process,
a session Redis cannot read is an empty one (the team lands on the login page, told why), and
/sante/ says 503. The shared cache points at a closed port: every call fails at once."""

import logging
from unittest import mock

from django.contrib.auth import get_user_model
from django.test import RequestFactory, TestCase, override_settings

from campaigns.models import ResponseVersion
from collectif.delivery.sessions import UNREADABLE_MESSAGE
from collectif.protection import ratelimit
from newsletter.models import Subscriber
from tests.campaigns.factories import CampaignOnThemeTestData, post_answers
from tests.newsletter.factories import a_person_started

# The site's own backend (collectif/delivery/cache_backend.py), as in production.
DEAD_REDIS = {
    "default": {
        "BACKEND": "collectif.delivery.cache_backend.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    },
    "sessions": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    },
}
SESSIONS_IN_REDIS = {"SESSION_ENGINE": "collectif.delivery.sessions"}


def redis_down():
    return override_settings(CACHES=DEAD_REDIS)


def forget_counts():
    ratelimit.local_counts.clear()
    ratelimit._last_warning["at"] = None


class RateLimitTests(TestCase):
    def setUp(self):
        forget_counts()
        self.addCleanup(forget_counts)

    def view(self, limit=3):
        @ratelimit.rate_limit("essai", limit=limit, period=60)
        def view(request):
            return "vue"

        return view

    def test_reads_go_through_uncounted(self):
        view = self.view(limit=2)
        with redis_down():
            answers = [view(RequestFactory().get("/recherche/")) for _ in range(10)]
        self.assertEqual(answers, ["vue"] * 10)

    def test_writes_are_counted_in_the_process(self):
        view = self.view(limit=3)
        with redis_down(), self.assertLogs("collectif.protection.ratelimit", "WARNING") as logs:
            answers = [view(RequestFactory().post("/x/")) for _ in range(5)]
        self.assertEqual(answers[:3], ["vue"] * 3)
        self.assertEqual([a.status_code for a in answers[3:]], [429, 429])
        self.assertIn("Cache partagé injoignable", logs.output[0])
        # One warning for the outage, not one per request (then the limit's own warning).
        self.assertEqual(len([x for x in logs.output if "injoignable" in x]), 1)

    def test_allow_counts_in_the_process_too(self):
        with redis_down():
            answers = [ratelimit.allow("adresse", "a@b.ca", 1, 3600) for _ in range(3)]
        self.assertEqual(answers, [True, False, False])

    def test_with_redis_up_the_shared_count_holds(self):
        # The victim's side: nothing of the fallback when Redis answers.
        view = self.view(limit=2)
        answers = [view(RequestFactory().get("/x/")) for _ in range(3)]
        self.assertEqual(answers[2].status_code, 429)
        self.assertEqual(len(ratelimit.local_counts._cache), 0)


def sign_ups(client, count):
    started = a_person_started(client)
    return [
        client.post(
            "/infolettre/", {"email": f"p{n}@exemple.ca", "consent": "on", "started": started}
        )
        for n in range(count)
    ]


class WritesTests(CampaignOnThemeTestData, TestCase):
    parties = 1

    def setUp(self):
        forget_counts()
        self.addCleanup(forget_counts)

    def test_a_newsletter_sign_up_goes_through_and_stays_limited(self):
        self.client.raise_request_exception = False
        with redis_down():
            answers = sign_ups(self.client, 12)
        # RATE_LIMITS["newsletter-ip"]: ten, then refused (the 429 page: ReadingGoesOnTests).
        self.assertEqual([r.status_code for r in answers[:10]], [302] * 10)
        self.assertEqual(Subscriber.objects.count(), 10)

    def test_a_party_saves_its_answers(self):
        with redis_down():
            response = post_answers(self.client, self.invitations[0], self.questions)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(ResponseVersion.objects.count(), 1)


@override_settings(**SESSIONS_IN_REDIS)
class SessionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = get_user_model().objects.create_superuser("redaction", "r@exemple.ca", "x")

    def test_an_unreadable_session_leads_to_the_login_page_with_a_message(self):
        self.client.force_login(self.editor)
        self.assertEqual(self.client.get("/admin/").status_code, 200)  # Redis up: at work
        with redis_down():
            response = self.client.get("/admin/pages/")
            self.assertRedirects(
                response, "/admin/login/?next=/admin/pages/", fetch_redirect_response=False
            )
            login = self.client.get(response["Location"])
        self.assertContains(login, "Votre session n’a pas pu être lue")
        self.assertIn(UNREADABLE_MESSAGE[:40], login.content.decode())

    def test_a_session_saved_while_redis_is_down_is_a_warning_not_an_error(self):
        with redis_down(), self.assertLogs("collectif.delivery.sessions", "WARNING") as logs:
            with mock.patch.object(logging.getLogger("django.contrib.sessions"), "error") as err:
                self.client.post("/admin/login/", {"username": "redaction", "password": "x"})
        self.assertTrue(logs.output)
        err.assert_not_called()


class HealthTests(TestCase):
    def test_health_says_503_for_redis(self):
        with redis_down():
            response = self.client.get("/sante/")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["verifications"]["cache"], "erreur")


class ReadingGoesOnTests(CampaignOnThemeTestData, TestCase):
    """Every kind of public page with Redis down. The page cache and the menu read Redis
    through collectif/delivery/cache.py, which treats a cache that cannot answer as a miss."""

    parties = 1

    def setUp(self):
        forget_counts()
        self.addCleanup(forget_counts)

    def test_the_refusal_of_a_write_over_its_limit_is_the_french_429(self):
        with redis_down():
            answers = sign_ups(self.client, 11)
        self.assertContains(answers[-1], "Trop de", status_code=429)

    @override_settings(**SESSIONS_IN_REDIS)
    def test_a_public_page_with_a_session_cookie_still_reads(self):
        self.client.force_login(get_user_model().objects.create_user("x", "x@exemple.ca", "x"))
        with redis_down():
            response = self.client.get("/infolettre/merci/")
        self.assertEqual(response.status_code, 200)

    def test_every_kind_of_page_answers_200(self):
        pages = {
            "accueil": "/",
            "thème": self.theme.url,
            "parti": self.invitations[0].private_path,
            "questionnaire": self.invitations[0].questionnaire_path(self.questionnaire),
            "recherche": "/recherche/?q=enfant",
            "infolettre": "/infolettre/",
            "campagne": f"/campagnes/{self.campaign.slug}/",
        }
        with redis_down():
            statuses = {kind: self.client.get(url).status_code for kind, url in pages.items()}
        self.assertEqual(statuses, dict.fromkeys(pages, 200))
