"""Every email the site sends, as a mail program reads it (collectif.mail.send_email)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.test import TestCase, override_settings

from wagtail.models import Workflow

from campaigns.tasks import email_invitation
from collectif.mail import send_email
from collectif.models import SiteSettings
from tests.campaigns.factories import CampaignOnThemeTestData, post_answers
from tests.campaigns.worker import run_queued_tasks
from tests.collectif.mail_support import assert_site_email, links, parse
from tests.home.factories import build_site_tree

CONTACT = "bonjour@collectif.example"


def set_contact(address):
    settings = SiteSettings.objects.first() or SiteSettings.objects.create(
        site_id=__import__("wagtail.models", fromlist=["Site"])
        .Site.objects.get(is_default_site=True)
        .pk
    )
    settings.contact_email = address
    settings.notification_email = "equipe@collectif.example"
    settings.save()


class PartyEmailTests(CampaignOnThemeTestData, TestCase):
    parties = 1

    def setUp(self):
        set_contact(CONTACT)

    def test_the_submission_emails_have_both_parts_a_reply_to_and_absolute_links(self):
        invitation = self.invitations[0]
        post_answers(self.client, invitation, self.questions, action="submit")
        run_queued_tasks()
        self.assertEqual(len(mail.outbox), 2)
        confirmation, notification = mail.outbox
        _, text, html = assert_site_email(self, confirmation, CONTACT)
        self.assertIn("Copie de vos réponses", text)
        self.assertIn("Réponse 1", html)
        private = [href for href in links(html) if "/campagnes/acces/" in href]
        self.assertEqual(
            private, [f"http://testserver{invitation.questionnaire_path(self.questionnaire)}"]
        )
        assert_site_email(self, notification, CONTACT)

    def test_the_invitation_follows_the_address_the_team_used(self):
        email_invitation(self.invitations[0], "https://collectif.example")
        _, text, html = assert_site_email(
            self, mail.outbox[0], CONTACT, base="https://collectif.example"
        )
        self.assertIn("https://collectif.example/campagnes/acces/", text)

    def test_no_reply_to_when_the_team_set_no_contact_address(self):
        set_contact("")
        email_invitation(self.invitations[0], "http://testserver")
        parsed, _, _ = parse(mail.outbox[0])
        self.assertIsNone(parsed["Reply-To"])


class HelperTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_site_tree()

    def test_the_addresses_of_the_text_are_links_of_the_html_part(self):
        set_contact(CONTACT)
        send_email(
            "newsletter/emails/confirmation",
            {
                "confirm_url": "https://collectif.example/infolettre/confirmer/x/",
                "unsubscribe_url": "https://collectif.example/infolettre/desabonnement/x/",
            },
            ["a@exemple.ca"],
            base="https://collectif.example",
        )
        _, text, html = assert_site_email(
            self, mail.outbox[0], CONTACT, base="https://collectif.example"
        )
        self.assertIn("https://collectif.example/infolettre/confirmer/x/", links(html))

    def test_a_title_with_a_line_break_makes_a_one_line_subject(self):
        set_contact(CONTACT)
        send_email(
            "newsletter/emails/follow_published",
            {"campaign": {"name": "Élections\nBcc: x@evil.example"}, "campaign_url": "/c/"},
            ["a@exemple.ca"],
        )
        self.assertEqual(
            mail.outbox[0].subject,
            "Élections Bcc: x@evil.example : les réponses des partis sont publiées",
        )
        self.assertIsNone(parse(mail.outbox[0])[0]["Bcc"])


class AdminEmailTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        users = get_user_model().objects
        cls.editor = users.create_user("redaction", "redaction@collectif.example", "x")
        cls.editor.groups.add(Group.objects.get(name="Rédaction"))
        cls.reviewer = users.create_user("revision", "revision@collectif.example", "x")
        cls.reviewer.groups.add(Group.objects.get(name="Révision"))
        cls.owner = users.create_superuser("admin", "admin@collectif.example", "x")

    def setUp(self):
        set_contact(CONTACT)

    def test_one_review_email_per_person_for_one_submission(self):
        page = self.tree["pillars"][0]
        page.save_revision(user=self.editor)
        Workflow.objects.get(active=True).start(page, self.editor)
        by_person = sorted(address for m in mail.outbox for address in m.to)
        self.assertEqual(by_person, ["admin@collectif.example", "revision@collectif.example"])
        for message in mail.outbox:
            _, text, html = assert_site_email(self, message, CONTACT)
            self.assertIn(page.title, message.subject)
            self.assertEqual(parse(message)[0]["Auto-Submitted"], "auto-generated")

    def test_approval_tells_the_author_once_in_the_sites_look(self):
        page = self.tree["pillars"][0]
        page.save_revision(user=self.editor)
        state = Workflow.objects.get(active=True).start(page, self.editor)
        mail.outbox.clear()
        state.current_task_state.approve(user=self.owner)
        self.assertEqual([m.to for m in mail.outbox], [["redaction@collectif.example"]])
        assert_site_email(self, mail.outbox[0], CONTACT)

    @override_settings(WAGTAILADMIN_BASE_URL="http://testserver")
    def test_the_password_reset_email_is_the_sites(self):
        response = self.client.post(
            "/admin/password_reset/", {"email": "redaction@collectif.example"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(len(mail.outbox), 1)
        _, text, html = assert_site_email(self, mail.outbox[0], CONTACT)
        self.assertIn("Réinitialiser votre mot de passe", mail.outbox[0].subject)
        self.assertIn("http://testserver/admin/password_reset/confirm/", text)
