import csv
import io
import time
from unittest import mock

from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.db import IntegrityError, transaction
from django.test import TestCase, override_settings

from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from newsletter.forms import CONSENT_TEXT
from newsletter.models import CONFIRM, UNSUBSCRIBE, Subscriber
from tests.campaigns.worker import run_queued_tasks
from tests.home.factories import build_site_tree
from tests.newsletter.factories import a_person_started


class NewsletterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_site_tree()

    def sign_up(self, email="Parent@Exemple.ca", consent="on", ip="203.0.113.7", **extra):
        data = {
            "email": email,
            "consent": consent,
            "started": a_person_started(self.client),
            **extra,
        }
        return self.client.post("/infolettre/", data, REMOTE_ADDR=ip)

    def sent_confirmations(self):
        run_queued_tasks()
        return [m for m in mail.outbox if "Confirmez" in m.subject]

    def test_footer_of_every_page_leads_to_the_form_with_the_address(self):
        response = self.client.get("/")
        self.assertContains(response, 'action="/infolettre/" method="get"')
        # No CSRF token on an ordinary page: it sets no cookie and stays cacheable.
        self.assertNotContains(response, "csrfmiddlewaretoken")
        self.assertNotIn("csrftoken", response.cookies)
        page = self.client.get("/infolettre/", {"courriel": "parent@exemple.ca"})
        self.assertContains(page, 'value="parent@exemple.ca"')
        self.assertContains(page, CONSENT_TEXT)
        self.assertContains(page, "csrfmiddlewaretoken")
        self.assertContains(page, 'name="started"')

    def test_double_opt_in_by_post_then_one_click_unsubscribe(self):
        response = self.client.post(
            "/infolettre/",
            {
                "email": "Parent@Exemple.ca",
                "consent": "on",
                "started": a_person_started(self.client),
            },
            HTTP_HOST="collectif.example:8443",
            secure=True,
        )
        self.assertRedirects(response, "/infolettre/merci/", fetch_redirect_response=False)
        subscriber = Subscriber.objects.get()
        self.assertEqual((subscriber.confirmed_at, subscriber.consent_text), (None, CONSENT_TEXT))
        [message] = self.sent_confirmations()
        self.assertEqual(message.to, ["Parent@Exemple.ca"])
        # Links on the address the person used, from the request that signed up.
        confirm_url = "https://collectif.example:8443" + subscriber.confirm_path()
        unsubscribe_url = "https://collectif.example:8443" + subscriber.unsubscribe_path()
        self.assertIn(confirm_url, message.body)
        self.assertEqual(message.extra_headers["List-Unsubscribe"], f"<{unsubscribe_url}>")
        self.assertEqual(
            message.extra_headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click"
        )
        self.assertNotIn("\n", message.subject)

        # A mail scanner opening the link confirms nothing: the page shows a button.
        page = self.client.get(subscriber.confirm_path())
        self.assertContains(page, "Confirmer mon inscription")
        subscriber.refresh_from_db()
        self.assertIsNone(subscriber.confirmed_at)
        self.assertContains(self.client.post(subscriber.confirm_path()), "Inscription confirmée")
        subscriber.refresh_from_db()
        self.assertIsNotNone(subscriber.confirmed_at)

        page = self.client.get(subscriber.unsubscribe_path())
        self.assertContains(page, "Me désabonner")
        subscriber.refresh_from_db()
        self.assertIsNone(subscriber.unsubscribed_at)  # a GET (a link preview) changes nothing
        # RFC 8058: the mail program POSTs, without a CSRF token or cookie.
        client = self.client_class(enforce_csrf_checks=True)
        response = client.post(
            subscriber.unsubscribe_path(),
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        self.assertEqual(response.status_code, 200)
        subscriber.refresh_from_db()
        self.assertIsNotNone(subscriber.unsubscribed_at)

    def test_confirm_and_unsubscribe_tokens_are_separate_and_not_stored(self):
        self.sign_up()
        subscriber = Subscriber.objects.get()
        confirm_token = subscriber.token(CONFIRM)
        unsubscribe_token = subscriber.token(UNSUBSCRIBE)
        self.assertNotEqual(confirm_token, unsubscribe_token)
        # The stored key opens nothing by itself, and neither token opens the other's page.
        for path in (
            f"/infolettre/confirmer/{subscriber.key}/",
            f"/infolettre/desabonnement/{subscriber.key}/",
            f"/infolettre/confirmer/{unsubscribe_token}/",
            f"/infolettre/desabonnement/{confirm_token}/",
        ):
            with self.subTest(path=path):
                self.assertEqual(self.client.post(path).status_code, 404)
        subscriber.refresh_from_db()
        self.assertEqual((subscriber.confirmed_at, subscriber.unsubscribed_at), (None, None))
        row = Subscriber.objects.filter(pk=subscriber.pk).values().get()
        self.assertNotIn(confirm_token, str(row))
        self.assertNotIn(unsubscribe_token, str(row))

    def test_thirty_sign_ups_for_one_address_send_one_email(self):
        for n in range(30):
            self.sign_up("cible@exemple.ca", ip=f"198.51.100.{n}")
        self.assertEqual(Subscriber.objects.count(), 1)
        self.assertEqual(len(self.sent_confirmations()), 1)

    def test_one_client_address_is_limited(self):
        statuses = [
            self.sign_up(f"personne{n}@exemple.ca", ip="192.0.2.9").status_code for n in range(12)
        ]
        self.assertEqual(statuses[:10], [302] * 10)
        self.assertEqual(statuses[10:], [429, 429])
        response = self.sign_up("encore@exemple.ca", ip="192.0.2.9")
        self.assertContains(response, "Trop de demandes", status_code=429)
        self.assertEqual(Subscriber.objects.count(), 10)
        # Another client is not affected.
        self.assertEqual(self.sign_up("autre@exemple.ca", ip="192.0.2.10").status_code, 302)

    @override_settings(CLIENT_IP_HEADER="HTTP_X_REAL_IP")
    def test_client_address_comes_from_the_configured_proxy_header_only(self):
        for n in range(10):
            self.client.post(
                "/infolettre/",
                {
                    "email": f"p{n}@exemple.ca",
                    "consent": "on",
                    "started": a_person_started(self.client),
                },
                REMOTE_ADDR="10.0.0.1",
                HTTP_X_REAL_IP="192.0.2.50",
                HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",  # not trusted: ignored
            )
        blocked = self.client.post(
            "/infolettre/",
            {"email": "x@exemple.ca", "consent": "on", "started": a_person_started(self.client)},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_REAL_IP="192.0.2.50",
            HTTP_X_FORWARDED_FOR="192.0.2.99",
        )
        self.assertEqual(blocked.status_code, 429)
        # Same proxy, another client behind it.
        allowed = self.client.post(
            "/infolettre/",
            {"email": "y@exemple.ca", "consent": "on", "started": a_person_started(self.client)},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_REAL_IP="192.0.2.51",
        )
        self.assertEqual(allowed.status_code, 302)

    def test_honeypot_is_answered_like_a_success_and_stores_nothing(self):
        response = self.sign_up(website="http://spam.example")
        self.assertRedirects(response, "/infolettre/merci/", fetch_redirect_response=False)
        self.assertFalse(Subscriber.objects.exists())
        self.assertEqual(self.sent_confirmations(), [])

    def test_a_form_sent_too_fast_comes_back_once_with_the_address(self):
        data = {
            "email": "vite@exemple.ca",
            "consent": "on",
            "started": a_person_started(self.client, 0),
        }
        response = self.client.post("/infolettre/", data)
        self.assertContains(response, "cliquez de nouveau")
        self.assertContains(response, 'value="vite@exemple.ca"')
        self.assertFalse(Subscriber.objects.exists())
        # Sent again at once from that page: accepted.
        again = response.context["again"]
        response = self.client.post("/infolettre/", {**data, "again": again})
        self.assertRedirects(response, "/infolettre/merci/", fetch_redirect_response=False)
        self.assertTrue(Subscriber.objects.filter(email="vite@exemple.ca").exists())
        # A pass from the day before does not open the door any more.
        stale = {**data, "email": "hier@exemple.ca", "again": a_person_started(self.client, 7200)}
        self.assertContains(self.client.post("/infolettre/", stale), "cliquez de nouveau")

    def test_a_missing_or_forged_start_is_refused_however_often_it_is_sent(self):
        for started in (None, "1.x", signing.dumps(0, salt="newsletter.form-started")):
            data = {"email": "robot@exemple.ca", "consent": "on"}
            if started is not None:
                data["started"] = started
            for _ in range(3):
                response = self.client.post("/infolettre/", data)
                self.assertContains(response, "a expiré", status_code=400)
                self.assertContains(response, 'value="robot@exemple.ca"', status_code=400)
                # No way through is offered: the page carries no « again » pass.
                self.assertNotContains(response, 'name="again"', status_code=400)
        self.assertFalse(Subscriber.objects.exists())
        # The page it came back with has a fresh start for this visitor: a person gets
        # through by sending it.
        fresh = response.context["started"]
        with mock.patch("time.time", return_value=time.time() + 30):
            response = self.client.post("/infolettre/", {**data, "started": fresh})
        self.assertRedirects(response, "/infolettre/merci/", fetch_redirect_response=False)

    def test_a_start_is_worth_nothing_in_another_session(self):
        # The attacker loads the form once and hands its start (and its pass) to robots.
        attacker = self.client_class()
        page = attacker.get("/infolettre/")
        started = page.context["started"]
        self.assertEqual(
            attacker.post(
                "/infolettre/", {"email": "a@exemple.ca", "consent": "on", "started": started}
            ).status_code,
            200,  # too fast for its own visitor: comes back once
        )
        robot = self.client_class()
        robot.get("/infolettre/")  # a session (a CSRF secret) of its own
        with mock.patch("time.time", return_value=time.time() + 30):
            response = robot.post(
                "/infolettre/", {"email": "robot@exemple.ca", "consent": "on", "started": started}
            )
        self.assertContains(response, "a expiré", status_code=400)
        self.assertFalse(Subscriber.objects.exists())
        # The visitor it was made for still gets through with it.
        with mock.patch("time.time", return_value=time.time() + 30):
            response = attacker.post(
                "/infolettre/", {"email": "a@exemple.ca", "consent": "on", "started": started}
            )
        self.assertRedirects(response, "/infolettre/merci/", fetch_redirect_response=False)

    def test_addresses_with_hidden_characters_are_refused_in_french(self):
        cases = {
            "parent@exe\u202emple.ca": "invisibles",  # bidi override
            "parent@exe\u200bmple.ca": "invisibles",  # zero-width space
            "parent@exemple.ca\u200d": "invisibles",  # zero-width joiner at the end
            "parent@exe\u0000mple.ca": "invisibles",
            "parent@e" + "\u0301" * 300 + "xemple.ca": "signes combinés",
        }
        for email, message in cases.items():
            with self.subTest(email=email[:30]):
                response = self.sign_up(email=email)
                self.assertContains(response, message, status_code=400)
                self.assertContains(response, "retapez-la", status_code=400)
        self.assertFalse(Subscriber.objects.exists())

    def test_addresses_are_stored_in_nfc(self):
        decomposed = "parent@e\u0301cole.ca"  # « é » typed as e + combining acute
        self.sign_up(email=decomposed)
        self.assertEqual(Subscriber.objects.get().email, "parent@\u00e9cole.ca")

    def test_an_address_signs_up_once(self):
        self.sign_up("parent@exemple.ca")
        self.sign_up("PARENT@exemple.ca")
        self.assertEqual(Subscriber.objects.count(), 1)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Subscriber.objects.create(email="Parent@EXEMPLE.ca", consent_text="x")

    def test_coming_back_after_unsubscribing_gets_new_links(self):
        self.sign_up("retour@exemple.ca")
        subscriber = Subscriber.objects.get()
        old_unsubscribe = subscriber.unsubscribe_path()
        self.client.post(old_unsubscribe)
        self.sign_up("retour@exemple.ca", ip="198.51.100.200")
        subscriber.refresh_from_db()
        self.assertIsNone(subscriber.unsubscribed_at)
        self.assertNotEqual(subscriber.unsubscribe_path(), old_unsubscribe)
        self.assertEqual(self.client.get(old_unsubscribe).status_code, 404)

    def test_bad_input_gets_french_messages_and_the_text_back(self):
        response = self.sign_up(email="pas-une-adresse", consent="")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "n’est pas valide", status_code=400)
        self.assertContains(response, "Cochez la case de consentement", status_code=400)
        self.assertContains(response, 'value="pas-une-adresse"', status_code=400)
        self.assertFalse(Subscriber.objects.exists())

    def test_a_file_or_an_oversized_body_is_refused_in_french(self):
        upload = io.BytesIO(b"x" * 1000)
        upload.name = "cv.pdf"
        response = self.client.post(
            "/infolettre/",
            {
                "email": "f@exemple.ca",
                "consent": "on",
                "started": a_person_started(self.client),
                "f": upload,
            },
        )
        self.assertContains(response, "Demande refusée", status_code=400)
        response = self.client.post(
            "/infolettre/",
            {"email": "g@exemple.ca", "consent": "on", "website": "x" * (300 * 1024)},
        )
        self.assertContains(response, "Envoi trop volumineux", status_code=413)
        self.assertFalse(Subscriber.objects.exists())

    def test_unknown_tokens_are_404(self):
        self.assertEqual(self.client.get("/infolettre/confirmer/inconnu/").status_code, 404)
        self.assertEqual(self.client.post("/infolettre/desabonnement/inconnu/").status_code, 404)

    def test_subscribers_are_not_in_the_search_index(self):
        Subscriber.objects.create(email="indexe@exemple.ca", consent_text=CONSENT_TEXT)
        from wagtail.search.models import IndexEntry

        self.assertFalse(IndexEntry.objects.filter(content_type__app_label="newsletter").exists())
        results = get_search_backend().search("indexe", Page)
        self.assertEqual(list(results), [])

    def test_privacy_policy_is_linked_from_the_form(self):
        from collectif.models import SiteSettings
        from home.models import HomePage
        from tests.home.factories import StandardPageFactory

        home = HomePage.objects.get()
        policy = StandardPageFactory(parent=home, title="Politique de confidentialité")
        settings = SiteSettings.for_site(home.get_site())
        settings.privacy_page = policy
        settings.save()
        response = self.client.get("/infolettre/")
        self.assertContains(response, f'href="{policy.url}"', count=3)  # footer, 2 forms


class SubscriberAdminTests(TestCase):
    def test_admin_lists_and_exports_subscribers_as_the_list_shows_them(self):
        import datetime

        from django.utils import timezone

        Subscriber.objects.create(
            email="=cmd@exemple.ca",
            consent_text=CONSENT_TEXT,
            created_at=datetime.datetime(2026, 1, 15, 17, 30, tzinfo=datetime.UTC),
        )
        admin = get_user_model().objects.create_superuser("admin", "a@exemple.ca", "x")
        self.client.force_login(admin)
        listing = self.client.get("/admin/snippets/newsletter/subscriber/")
        self.assertContains(listing, "=cmd@exemple.ca")
        self.assertContains(listing, "Désabonné le")
        export = self.client.get("/admin/snippets/newsletter/subscriber/?export=csv")
        text = b"".join(export.streaming_content).decode()
        self.assertTrue(text.startswith("\ufeff"))
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        self.assertEqual(
            rows[0], ["Courriel", "Statut", "Inscrit le", "Confirmé le", "Désabonné le"]
        )
        self.assertEqual(rows[1][0], "'=cmd@exemple.ca")
        # 17:30 UTC is 12:30 in Montréal (EST).
        self.assertEqual(rows[1][2], "2026-01-15 12:30")
        self.assertEqual(timezone.get_current_timezone_name(), "America/Toronto")


class ConfirmationTaskTests(TestCase):
    def test_a_task_run_again_does_not_send_twice(self):
        from datetime import timedelta

        from django.utils import timezone

        from newsletter.tasks import send_confirmation

        subscriber = Subscriber.objects.create(email="a@exemple.ca", consent_text=CONSENT_TEXT)
        requested = timezone.now().isoformat()
        send_confirmation.call(subscriber.pk, "http://site.example", requested)
        send_confirmation.call(subscriber.pk, "http://site.example", requested)  # requeued
        self.assertEqual(len(mail.outbox), 1)
        subscriber.refresh_from_db()
        self.assertIsNotNone(subscriber.confirmation_sent_at)
        # A later sign-up (an hour on) gets its own email.
        later = (timezone.now() + timedelta(seconds=1)).isoformat()
        send_confirmation.call(subscriber.pk, "http://site.example", later)
        self.assertEqual(len(mail.outbox), 2)
