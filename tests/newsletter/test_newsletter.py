import csv
import io

from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import TestCase

from newsletter.forms import CONSENT_TEXT
from newsletter.models import Subscriber
from tests.campaigns.worker import run_queued_tasks
from tests.home.factories import build_site_tree


class NewsletterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_site_tree()

    def sign_up(self, email="Parent@Exemple.ca", consent="on"):
        return self.client.post("/infolettre/", {"email": email, "consent": consent})

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

    def test_double_opt_in_then_unsubscribe(self):
        response = self.sign_up()
        self.assertRedirects(response, "/infolettre/merci/")
        subscriber = Subscriber.objects.get()
        self.assertEqual((subscriber.confirmed_at, subscriber.consent_text), (None, CONSENT_TEXT))
        run_queued_tasks()
        self.assertEqual(mail.outbox[0].to, ["Parent@Exemple.ca"])
        self.assertIn(subscriber.confirm_path(), mail.outbox[0].body)
        self.assertIn(
            subscriber.unsubscribe_path(), mail.outbox[0].extra_headers["List-Unsubscribe"]
        )

        self.assertContains(self.client.get(subscriber.confirm_path()), "Inscription confirmée")
        subscriber.refresh_from_db()
        self.assertIsNotNone(subscriber.confirmed_at)

        page = self.client.get(subscriber.unsubscribe_path())
        self.assertContains(page, "Me désabonner")
        subscriber.refresh_from_db()
        self.assertIsNone(subscriber.unsubscribed_at)  # a GET (a link preview) changes nothing
        self.assertContains(self.client.post(subscriber.unsubscribe_path()), "Vous êtes désabonné")
        subscriber.refresh_from_db()
        self.assertIsNotNone(subscriber.unsubscribed_at)

    def test_an_address_signs_up_once(self):
        self.sign_up("parent@exemple.ca")
        self.sign_up("PARENT@exemple.ca")
        self.assertEqual(Subscriber.objects.count(), 1)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Subscriber.objects.create(email="Parent@EXEMPLE.ca", consent_text="x")

    def test_bad_input_gets_french_messages_and_the_text_back(self):
        response = self.sign_up(email="pas-une-adresse", consent="")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "n’est pas valide", status_code=400)
        self.assertContains(response, "Cochez la case de consentement", status_code=400)
        self.assertContains(response, 'value="pas-une-adresse"', status_code=400)
        self.assertFalse(Subscriber.objects.exists())

    def test_unknown_tokens_are_404(self):
        self.assertEqual(self.client.get("/infolettre/confirmer/inconnu/").status_code, 404)
        self.assertEqual(self.client.post("/infolettre/desabonnement/inconnu/").status_code, 404)

    def test_admin_lists_and_exports_subscribers_formula_safe(self):
        Subscriber.objects.create(email="=cmd@exemple.ca", consent_text=CONSENT_TEXT)
        admin = get_user_model().objects.create_superuser("admin", "a@exemple.ca", "x")
        self.client.force_login(admin)
        listing = self.client.get("/admin/snippets/newsletter/subscriber/")
        self.assertContains(listing, "=cmd@exemple.ca")
        export = self.client.get("/admin/snippets/newsletter/subscriber/?export=csv")
        rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
        self.assertEqual(rows[1][0], "'=cmd@exemple.ca")
