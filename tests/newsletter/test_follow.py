"""« Suivre cette campagne »: the newsletter's double opt-in for one campaign, one email when
the answers are published, at most one digest a day of corrections, one-click unsubscribe."""

import json
from datetime import timedelta
from io import StringIO
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.test import Client, TestCase
from django.utils import timezone

from wagtail.models import Site

from campaigns.models import Campaign, ResponseVersion
from collectif.models import SiteSettings
from newsletter.forms import FOLLOW_CONSENT_TEXT
from newsletter.models import UNSUBSCRIBE, Follower, Subscriber
from newsletter.tasks import announce_due_publications, queue_correction_digests
from tests.campaigns.factories import CampaignOnThemeTestData, post_answers
from tests.campaigns.worker import run_queued_tasks
from tests.collectif.mail_support import assert_site_email
from tests.collectif.support import assert_refused
from tests.newsletter.factories import a_person_started

CONTACT = "bonjour@collectif.example"


class FollowTestData(CampaignOnThemeTestData):
    parties = 1

    def setUp(self):
        settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
        settings.contact_email = CONTACT
        settings.save()

    def follow(self, email="Lecteur@Exemple.ca", consent="on", ip="203.0.113.9", **extra):
        data = {
            "email": email,
            "consent": consent,
            "started": a_person_started(self.client),
            **extra,
        }
        return self.client.post(f"/infolettre/suivre/{self.campaign.slug}/", data, REMOTE_ADDR=ip)

    def confirmed_follower(self, email="lecteur@exemple.ca"):
        return Follower.objects.create(
            campaign=self.campaign,
            email=email,
            consent_text=FOLLOW_CONSENT_TEXT,
            confirmed_at=timezone.now() - timedelta(days=1),
        )

    def emails_to(self, address):
        run_queued_tasks()
        return [m for m in mail.outbox if address in m.to]

    def publish(self):
        post_answers(self.client, self.invitations[0], self.questions, action="submit")
        ResponseVersion.objects.update(saved_at=timezone.now() - timedelta(hours=3))
        with self.captureOnCommitCallbacks(execute=True):
            self.campaign.publish_results(user=None)


class FollowSignupTests(FollowTestData, TestCase):
    def test_the_campaign_and_theme_pages_offer_to_follow_and_stay_free_of_cookies(self):
        for path in (self.theme.url, f"/campagnes/{self.campaign.slug}/"):
            response = self.client.get(path)
            self.assertContains(
                response,
                f'action="/infolettre/suivre/{self.campaign.slug}/" method="get"',
            )
            self.assertContains(response, "Suivre cette campagne")
            self.assertFalse(response.cookies)

    def test_the_form_asks_consent_and_gives_the_typed_address_back(self):
        page = self.client.get(f"/infolettre/suivre/{self.campaign.slug}/?courriel=a@exemple.ca")
        self.assertContains(page, 'value="a@exemple.ca"')
        self.assertContains(page, FOLLOW_CONSENT_TEXT)
        self.assertContains(page, 'class="help form-privacy"')
        response = self.follow(consent="")
        self.assertContains(response, "Cochez la case de consentement", status_code=400)
        self.assertContains(response, 'value="Lecteur@Exemple.ca"', status_code=400)
        self.assertFalse(Follower.objects.exists())

    def test_a_robot_is_answered_like_a_person_and_gets_nothing(self):
        response = self.follow(website="http://spam.example")
        self.assertRedirects(response, f"/infolettre/suivre/{self.campaign.slug}/merci/")
        too_fast = self.follow(started=a_person_started(self.client, seconds_ago=0))
        self.assertContains(too_fast, "cliquez de nouveau sur « Suivre cette campagne »")
        self.assertFalse(Follower.objects.exists())
        self.assertEqual(self.emails_to("Lecteur@Exemple.ca"), [])

    def test_double_opt_in_with_one_confirmation_an_hour_and_a_one_click_exit(self):
        response = self.follow()
        self.assertRedirects(response, f"/infolettre/suivre/{self.campaign.slug}/merci/")
        self.follow()  # a second request within the hour: no second email
        follower = Follower.objects.get()
        self.assertIsNone(follower.confirmed_at)
        self.assertEqual(follower.consent_text, FOLLOW_CONSENT_TEXT)
        sent = self.emails_to("Lecteur@Exemple.ca")
        self.assertEqual(len(sent), 1)
        parsed, text, html = assert_site_email(self, sent[0], CONTACT)
        self.assertIn(self.campaign.name, parsed["Subject"])
        unsubscribe = f"http://testserver{follower.unsubscribe_path()}"
        self.assertEqual(parsed["List-Unsubscribe"].strip(), f"<{unsubscribe}>")
        self.assertEqual(parsed["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        # A mail scanner that opens the link confirms nothing; the person's click does.
        self.assertContains(self.client.get(follower.confirm_path()), "Confirmer le suivi")
        self.assertFalse(Follower.objects.filter(confirmed_at__isnull=False).exists())
        self.client.post(follower.confirm_path())
        self.assertTrue(Follower.objects.filter(confirmed_at__isnull=False).exists())
        # The mail program's one-click: a POST without a CSRF token, from the List header.
        strict = Client(enforce_csrf_checks=True)
        self.assertEqual(
            strict.post(
                follower.unsubscribe_path(),
                "List-Unsubscribe=One-Click",
                content_type="application/x-www-form-urlencoded",
            ).status_code,
            200,
        )
        self.assertIsNotNone(Follower.objects.get().unsubscribed_at)

    def test_links_open_only_their_own_follow(self):
        follower = self.confirmed_follower()
        subscriber = Subscriber.objects.create(email="lecteur@exemple.ca", consent_text="x")
        # A newsletter link (or a forged one) stops no follow, and the reverse.
        forged = follower.unsubscribe_path().replace(follower.key[:4], "AAAA")
        self.assertEqual(self.client.post(forged).status_code, 404)
        token = subscriber.token(UNSUBSCRIBE)
        self.assertEqual(self.client.post(f"/infolettre/suivi/arreter/{token}/").status_code, 404)
        self.assertIsNone(Follower.objects.get().unsubscribed_at)
        self.assertEqual(
            self.client.post(
                f"/infolettre/desabonnement/{follower.token('newsletter.follow.unsubscribe')}/"
            ).status_code,
            404,
        )
        # A GET of the link (a scanner) stops nothing.
        self.client.get(follower.unsubscribe_path())
        self.assertIsNone(Follower.objects.get().unsubscribed_at)

    def test_an_unknown_campaign_cannot_be_followed(self):
        self.assertEqual(self.client.get("/infolettre/suivre/inconnue/").status_code, 404)


class FollowEmailTests(FollowTestData, TestCase):
    def test_one_email_when_the_team_publishes_and_never_a_second(self):
        follower = self.confirmed_follower()
        Follower.objects.create(
            campaign=self.campaign, email="attente@exemple.ca", consent_text="x"
        )
        gone = self.confirmed_follower("parti@exemple.ca")
        Follower.objects.filter(pk=gone.pk).update(unsubscribed_at=timezone.now())
        post_answers(self.client, self.invitations[0], self.questions, action="submit")
        self.assertEqual(self.emails_to("lecteur@exemple.ca"), [])  # not public yet
        with self.captureOnCommitCallbacks(execute=True):
            self.campaign.publish_results(user=None)
        sent = self.emails_to("lecteur@exemple.ca")
        self.assertEqual(len(sent), 1)
        parsed, text, html = assert_site_email(self, sent[0], CONTACT)
        self.assertIn("sont publiées", parsed["Subject"])
        self.assertIn(f"http://testserver/campagnes/{self.campaign.slug}/", text)
        self.assertEqual(
            parsed["List-Unsubscribe"].strip(), f"<http://testserver{follower.unsubscribe_path()}>"
        )
        # Saved again, the scheduler's pass: nothing more.
        with self.captureOnCommitCallbacks(execute=True):
            self.campaign.save()
            announce_due_publications()
        self.assertEqual(len(self.emails_to("lecteur@exemple.ca")), 1)
        self.assertEqual(self.emails_to("attente@exemple.ca"), [])
        self.assertEqual(self.emails_to("parti@exemple.ca"), [])

    def test_the_embargo_ending_by_the_clock_tells_the_followers(self):
        self.confirmed_follower()
        post_answers(self.client, self.invitations[0], self.questions, action="submit")
        later = timezone.now() + timedelta(days=40)
        Campaign.objects.filter(pk=self.campaign.pk).update(publish_at=later)
        with self.captureOnCommitCallbacks(execute=True):
            announce_due_publications()
        self.assertEqual(self.emails_to("lecteur@exemple.ca"), [])
        with mock.patch("django.utils.timezone.now", return_value=later + timedelta(minutes=1)):
            with self.captureOnCommitCallbacks(execute=True):
                announce_due_publications()
            self.assertEqual(len(self.emails_to("lecteur@exemple.ca")), 1)

    def test_corrections_make_at_most_one_digest_a_day(self):
        self.confirmed_follower()
        self.publish()
        run_queued_tasks()
        mail.outbox.clear()
        key = self.questions[0].clean_name
        now = timezone.now()
        with mock.patch("django.utils.timezone.now", return_value=now + timedelta(hours=1)):
            post_answers(
                self.client, self.invitations[0], self.questions, action="submit", **{key: "Neuf"}
            )
        with mock.patch("django.utils.timezone.now", return_value=now + timedelta(hours=2)):
            self.assertEqual(queue_correction_digests(), 1)
            digests = self.emails_to("lecteur@exemple.ca")
        self.assertEqual(len(digests), 1)
        parsed, text, html = assert_site_email(self, digests[0], CONTACT)
        self.assertIn("une réponse corrigée", parsed["Subject"])
        self.assertIn(self.invitations[0].party.name, text)
        self.assertIn(self.questions[0].label, text)
        self.assertNotIn(self.questions[1].label, text)
        self.assertEqual(parsed["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        # A second correction the same day waits for the next day.
        with mock.patch("django.utils.timezone.now", return_value=now + timedelta(hours=3)):
            post_answers(
                self.client, self.invitations[0], self.questions, action="submit", **{key: "Bis"}
            )
        with mock.patch("django.utils.timezone.now", return_value=now + timedelta(hours=20)):
            self.assertEqual(queue_correction_digests(), 0)
        with mock.patch("django.utils.timezone.now", return_value=now + timedelta(hours=27)):
            self.assertEqual(queue_correction_digests(), 1)
            self.assertEqual(len(self.emails_to("lecteur@exemple.ca")), 2)
            # Nothing new since: no third digest.
            self.assertEqual(queue_correction_digests(now + timedelta(days=3)), 0)

    def test_a_draft_after_the_publication_makes_no_digest(self):
        self.confirmed_follower()
        self.publish()
        run_queued_tasks()
        key = self.questions[0].clean_name
        with mock.patch(
            "django.utils.timezone.now", return_value=timezone.now() + timedelta(hours=1)
        ):
            post_answers(self.client, self.invitations[0], self.questions, **{key: "Brouillon"})
        with mock.patch(
            "django.utils.timezone.now", return_value=timezone.now() + timedelta(days=2)
        ):
            self.assertEqual(queue_correction_digests(), 0)


class FollowerPrivacyTests(FollowTestData, TestCase):
    def test_followers_are_exported_erased_and_purged(self):
        self.confirmed_follower()
        out = StringIO()
        call_command("export_personal_data", "LECTEUR@exemple.ca", stdout=out)
        exported = json.loads(out.getvalue())
        self.assertEqual(exported["suivis de campagne"][0]["campagne"], self.campaign.name)
        self.assertEqual(
            exported["suivis de campagne"][0]["consentement_donne"], FOLLOW_CONSENT_TEXT
        )
        call_command("erase_personal_data", "lecteur@exemple.ca", yes=True, stdout=StringIO())
        self.assertFalse(Follower.objects.exists())

        old = Follower.objects.create(
            campaign=self.campaign,
            email="jamais@exemple.ca",
            consent_text="x",
            created_at=timezone.now() - timedelta(days=8),
        )
        kept = self.confirmed_follower()
        call_command("purge_personal_data", stdout=StringIO())
        self.assertEqual(list(Follower.objects.all()), [kept])
        self.assertNotEqual(old.pk, kept.pk)
        Campaign.objects.filter(pk=self.campaign.pk).update(
            closes_at=timezone.now() - timedelta(days=366)
        )
        call_command("purge_personal_data", stdout=StringIO())
        self.assertFalse(Follower.objects.exists())

    def test_the_editorial_team_reads_the_followers_and_cannot_write_them(self):
        follower = self.confirmed_follower()
        editor = get_user_model().objects.create_user("redaction", "r@collectif.example", "x")
        editor.groups.add(Group.objects.get(name="Rédaction"))
        self.client.force_login(editor)
        listing = self.client.get("/admin/snippets/newsletter/follower/")
        self.assertContains(listing, "lecteur@exemple.ca")
        self.assertContains(listing, self.campaign.name)
        self.assertNotContains(listing, "/admin/snippets/newsletter/follower/add/")
        for path in (
            "/admin/snippets/newsletter/follower/add/",
            f"/admin/snippets/newsletter/follower/edit/{follower.pk}/",
            f"/admin/snippets/newsletter/follower/delete/{follower.pk}/",
        ):
            # Snippet screens the group lacks: Wagtail's dashboard, with its message (302).
            assert_refused(self.client.get(path))
        inspect = self.client.get(f"/admin/snippets/newsletter/follower/inspect/{follower.pk}/")
        self.assertContains(inspect, "lecteur@exemple.ca")
        outsider = get_user_model().objects.create_user("campagnes", "c@collectif.example", "x")
        outsider.groups.add(Group.objects.get(name="Campagnes"))
        self.client.force_login(outsider)
        assert_refused(self.client.get("/admin/snippets/newsletter/follower/"))
