"""Headers, rate limits, body limits and logs: the site as an attacker and an operator see it
(issue 10). The login lockout: test_lockout.py."""

import logging

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import TestCase, override_settings

from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from collectif.mail import render_subject, single_line
from collectif.operations.logs import REDACTED, RedactTokensFilter, redact
from tests.home.factories import build_site_tree


class HeaderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.admin = get_user_model().objects.create_superuser("admin", "a@exemple.ca", "x")

    def pages(self):
        return {
            "accueil": "/",
            "pilier": self.tree["pillars"][0].url,
            "thème": self.tree["themes"][0].url,
            "recherche": "/recherche/?q=enfant",
            "infolettre": "/infolettre/",
            "introuvable": "/page-qui-n-existe-pas/",
        }

    def test_every_public_page_kind_has_a_strict_policy(self):
        for kind, url in self.pages().items():
            with self.subTest(kind):
                response = self.client.get(url)
                self.assertIn(response.status_code, (200, 404))
                csp = response["Content-Security-Policy"]
                directives = {
                    part.split()[0]: part.split()[1:] for part in csp.split("; ") if part
                }
                self.assertEqual(directives["script-src"], ["'self'"])
                self.assertEqual(directives["style-src"], ["'self'"])
                self.assertEqual(directives["object-src"], ["'none'"])
                self.assertEqual(directives["frame-ancestors"], ["'self'"])
                self.assertNotIn("unsafe-inline", csp)
                self.assertIn("camera=()", response["Permissions-Policy"])
                self.assertIn("geolocation=()", response["Permissions-Policy"])
                self.assertEqual(response["X-Frame-Options"], "SAMEORIGIN")
                self.assertEqual(response["X-Content-Type-Options"], "nosniff")
                self.assertEqual(response["Referrer-Policy"], "same-origin")
                # The pages themselves obey it: no inline script, style or handler.
                html = response.content.decode()
                # A JSON-LD block is data, never run: the only script element without a source.
                self.assertNotRegex(
                    html, r'<script(?![^>]*\bsrc=)(?! type="application/ld\+json">)[^>]*>'
                )
                self.assertNotRegex(html, r"\sstyle=|<style|\son[a-z]+=")

    def test_the_admin_gets_the_policy_wagtail_needs(self):
        self.client.force_login(self.admin)
        for url in ("/admin/", f"/admin/pages/{self.tree['home'].pk}/edit/"):
            with self.subTest(url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                csp = response["Content-Security-Policy"]
                self.assertIn("script-src 'self' 'unsafe-inline'", csp)
                self.assertIn("frame-ancestors 'self'", csp)
                self.assertIn("object-src 'none'", csp)
                self.assertIn("camera=()", response["Permissions-Policy"])

    def test_login_page_has_headers_too(self):
        response = self.client.get("/admin/login/")
        self.assertIn("Content-Security-Policy", response)
        self.assertIn("Permissions-Policy", response)


class PasswordResetLimitTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_user_model().objects.create_user(
            "redacteur", "redacteur@exemple.ca", "x", is_staff=True
        )

    def reset(self, email="redacteur@exemple.ca", ip="203.0.113.8"):
        return self.client.post("/admin/password_reset/", {"email": email}, REMOTE_ADDR=ip)

    def test_emails_per_address_and_requests_per_client_are_limited(self):
        for n in range(10):
            self.assertEqual(self.reset(ip=f"198.51.100.{n}").status_code, 302)
        self.assertEqual(len(mail.outbox), 3)
        statuses = [self.reset("autre@exemple.ca").status_code for _ in range(7)]
        self.assertEqual(statuses, [302] * 5 + [429] * 2)
        self.assertContains(self.reset("autre@exemple.ca"), "Trop de demandes", status_code=429)


class RateLimitWindowTests(TestCase):
    """A counter kept in Redis lives for its window from its first hit, never longer: the
    next hits neither extend it nor outlive it (a counter without an end would hold a
    client, or the team's login, for good)."""

    def test_the_window_starts_at_the_first_hit_and_ends_with_it(self):
        from django.core.cache import cache

        from collectif.protection import ratelimit

        key = ratelimit._cache_key("essai-fenetre", "203.0.113.77")
        cache.delete(key)
        client = cache._cache.get_client(key)
        redis_key = cache.make_key(key)
        self.assertEqual(ratelimit.hit("essai-fenetre", "203.0.113.77", 60), 1)
        self.assertTrue(55 <= client.ttl(redis_key) <= 60, client.ttl(redis_key))
        client.expire(redis_key, 30)  # as if 30 seconds had passed
        for count in (2, 3):
            self.assertEqual(ratelimit.hit("essai-fenetre", "203.0.113.77", 60), count)
        self.assertTrue(25 <= client.ttl(redis_key) <= 30, client.ttl(redis_key))
        self.assertEqual(ratelimit.count("essai-fenetre", "203.0.113.77"), 3)


class SearchTermsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()

    def test_personal_data_typed_in_the_search_box_is_not_recorded(self):
        for typed in (
            "marie.tremblay@exemple.ca",
            "514 555-1234",
            "H2X 1Y4",
            "https://exemple.ca/profil",
            "un deux trois quatre cinq six sept",
        ):
            with self.subTest(typed):
                self.assertEqual(self.client.get("/recherche/", {"q": typed}).status_code, 200)
        self.assertFalse(Query.objects.exists())
        self.client.get("/recherche/", {"q": "Garderies abordables"})
        self.assertEqual(
            list(Query.objects.values_list("query_string", flat=True)), ["garderies abordables"]
        )

    def test_promoted_results_keep_working(self):
        query = Query.get("boussole")
        SearchPromotion.objects.create(
            query=query, page=self.tree["boussole"], sort_order=0, description="La boussole"
        )
        response = self.client.get("/recherche/", {"q": "Boussole"})
        self.assertEqual(
            [p.page_id for p in response.context["promotions"]], [self.tree["boussole"].pk]
        )

    def test_search_is_limited_per_client(self):
        with override_settings(RATE_LIMITS={"search": (3, 60)}):
            statuses = [
                self.client.get(
                    "/recherche/", {"q": "enfant"}, REMOTE_ADDR="192.0.2.1"
                ).status_code
                for _ in range(5)
            ]
        self.assertEqual(statuses, [200, 200, 200, 429, 429])


class BodyLimitTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_site_tree()

    def test_oversized_bodies_get_a_french_413_before_being_read(self):
        response = self.client.generic(
            "POST",
            "/infolettre/",
            b"email=a%40b.ca&x=" + b"x" * (300 * 1024),
            content_type="application/x-www-form-urlencoded",
        )
        self.assertContains(response, "Envoi trop volumineux", status_code=413)
        self.assertContains(response, "256 Ko", status_code=413)

    def test_too_many_fields_get_a_french_400(self):
        with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=50):
            body = "&".join(f"f{n}=x" for n in range(60))
            response = self.client.generic(
                "POST", "/infolettre/", body, content_type="application/x-www-form-urlencoded"
            )
        self.assertContains(response, "Demande refusée", status_code=400)


class LogRedactionTests(TestCase):
    TOKEN = "Zq3-secret_token_value_1234567890abcdef"

    def test_redact_replaces_the_token_only(self):
        self.assertEqual(
            redact(f"GET /campagnes/acces/{self.TOKEN}/42/?x=1 HTTP/1.1"),
            f"GET /campagnes/acces/{REDACTED}/42/?x=1 HTTP/1.1",
        )
        self.assertEqual(redact("/boussole/agir-ensemble/"), "/boussole/agir-ensemble/")

    def test_django_request_logs_of_a_404_carry_no_token(self):
        from django.conf import settings as django_settings

        self.assertIn("redact_tokens", django_settings.LOGGING["handlers"]["console"]["filters"])
        logger = logging.getLogger("django.request")
        records = []

        class Keep(logging.Handler):
            def emit(self, record):
                records.append(self.format(record))

        keep = Keep()
        keep.addFilter(RedactTokensFilter())
        logger.addHandler(keep)
        try:
            response = self.client.get(f"/campagnes/acces/{self.TOKEN}/")
        finally:
            logger.removeHandler(keep)
        self.assertEqual(response.status_code, 404)
        self.assertTrue(records)
        self.assertTrue(all(self.TOKEN not in line for line in records), records)
        self.assertTrue(any(REDACTED in line for line in records), records)


class MailSubjectTests(TestCase):
    def test_a_title_with_line_breaks_makes_a_one_line_subject_that_sends(self):
        from django.core.mail import EmailMessage

        subject = single_line("Élections 2026\r\n— questionnaire\tsur\x00 la famille ")
        self.assertEqual(subject, "Élections 2026 — questionnaire sur la famille")
        EmailMessage(subject=subject, body="x", to=["a@exemple.ca"]).send()
        self.assertEqual(mail.outbox[0].subject, subject)
        self.assertEqual(len(single_line("x" * 500)), 200)

    def test_render_subject(self):
        self.assertEqual(render_subject("429.html", {"retry_minutes": 1}).count("\n"), 0)


class FailedTaskTests(TestCase):
    def test_a_failed_task_is_logged_in_french(self):
        from tests.campaigns.worker import run_queued_tasks
        from tests.collectif.worker_tasks import always_fails

        result = always_fails.enqueue()
        with self.assertLogs("collectif.tasks", level="ERROR") as logs:
            run_queued_tasks()
        self.assertIn("Tâche en échec : always_fails", logs.output[0])
        self.assertIn(str(result.id), logs.output[0])
        self.assertIn("RuntimeError", logs.output[0])


class ClientAddressTests(TestCase):
    def request(self, **meta):
        from django.test import RequestFactory

        return RequestFactory().get("/", **meta)

    def test_headers_count_only_when_configured(self):
        from collectif.protection.ratelimit import client_ip

        spoofed = self.request(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
        self.assertEqual(client_ip(spoofed), "10.0.0.1")
        with override_settings(CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR", CLIENT_IP_PROXY_COUNT=1):
            # The client wrote "1.2.3.4"; our proxy appended the address it saw.
            forwarded = self.request(
                REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9"
            )
            self.assertEqual(client_ip(forwarded), "203.0.113.9")
        with override_settings(CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR", CLIENT_IP_PROXY_COUNT=2):
            forwarded = self.request(
                REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9, 10.0.0.2"
            )
            self.assertEqual(client_ip(forwarded), "203.0.113.9")
        with override_settings(CLIENT_IP_HEADER="HTTP_X_REAL_IP"):
            self.assertEqual(client_ip(self.request(HTTP_X_REAL_IP="pas une ip")), None)


class FailedTasksQueryTests(TestCase):
    def test_failed_tasks_of_one_task_function(self):
        from collectif.operations.worker import failed_tasks
        from newsletter.tasks import send_confirmation
        from tests.campaigns.worker import run_queued_tasks
        from tests.collectif.worker_tasks import always_fails

        failed = always_fails.enqueue()
        send_confirmation.enqueue(12345)  # succeeds: no such subscriber
        with self.assertLogs("collectif.tasks", level="ERROR"):
            run_queued_tasks()
        self.assertEqual([str(r.pk) for r in failed_tasks(always_fails)], [str(failed.id)])
        self.assertEqual(list(failed_tasks(send_confirmation)), [])
