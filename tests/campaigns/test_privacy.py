"""Campaigns under the site's privacy and abuse rules (collectif/privacy.py, ratelimit.py)."""

from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from wagtail.models import ModelLogEntry

from campaigns.models import Response, ResponseVersion
from tests.campaigns.factories import (
    FAILING_SMTP,
    CampaignOnThemeTestData,
    answer_data,
    post_answers,
    team_member,
)
from tests.campaigns.worker import run_queued_tasks


class RespondentNamesTests(CampaignOnThemeTestData, TestCase):
    parties = 1

    def test_names_are_erased_a_year_after_the_campaign_closed_answers_stay(self):
        post_answers(
            self.client, self.invitations[0], self.questions, action="submit", name="Alex Nommé"
        )
        call_command("purge_personal_data", stdout=StringIO())
        self.assertEqual(Response.objects.get().submitted_by, "Alex Nommé")  # still open

        self.campaign.closes_at = timezone.now() - timedelta(days=366)
        self.campaign.opens_at = self.campaign.closes_at - timedelta(days=30)
        self.campaign.save()
        call_command("purge_personal_data", stdout=StringIO())
        response = Response.objects.get()
        self.assertEqual((response.submitted_by, response.respondent_name), ("", ""))
        self.assertEqual(ResponseVersion.objects.get().respondent_name, "")
        entry = ModelLogEntry.objects.get(action="campaigns.submitted")
        self.assertNotIn("Alex Nommé", str(entry.data))
        self.assertEqual(response.submitted_answers[0]["answer"], "Réponse 1")


class EmailSubjectTests(CampaignOnThemeTestData, TestCase):
    parties = 1

    def test_a_title_with_a_line_break_does_not_break_the_mail(self):
        self.questionnaire.title = "Agir\nensemble\r\nBcc: intrus@exemple.ca"
        self.questionnaire.save()
        post_answers(self.client, self.invitations[0], self.questions, action="submit")
        run_queued_tasks()
        [confirmation] = mail.outbox
        self.assertNotIn("\n", confirmation.subject)
        self.assertIn("Agir ensemble Bcc: intrus@exemple.ca", confirmation.subject)
        self.assertEqual(confirmation.bcc, [])


class FailedEmailsOnTheBoardTests(CampaignOnThemeTestData, TestCase):
    parties = 1

    @override_settings(**FAILING_SMTP)
    def test_an_abandoned_confirmation_shows_on_the_board(self):
        from django_tasks_db.models import DBTaskResult

        from campaigns import tasks

        post_answers(self.client, self.invitations[0], self.questions, action="submit")
        for _ in range(tasks.MAX_ATTEMPTS):
            DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
            run_queued_tasks()
        self.client.force_login(team_member())
        board = self.client.get(f"/admin/snippets/campaigns/campaign/tableau/{self.campaign.pk}/")
        self.assertContains(board, "Courriels non envoyés")
        self.assertContains(board, f"Confirmation de réponses pour {self.invitations[0].party}")


class PartyRateLimitTests(CampaignOnThemeTestData, TestCase):
    parties = 1

    @override_settings(RATE_LIMITS={"party-post": (3, 3600), "party-post-ip": (100, 3600)})
    def test_a_flood_of_posts_from_one_link_gets_the_french_429(self):
        url = self.invitations[0].questionnaire_path(self.questionnaire)
        statuses = [
            self.client.post(url, answer_data(self.questions, base_revision=n)).status_code
            for n in range(5)
        ]
        self.assertEqual(statuses[:3], [303, 303, 303])
        self.assertEqual(statuses[3:], [429, 429])
        page = self.client.post(url, answer_data(self.questions))
        self.assertContains(page, "Trop de", status_code=429)
        self.assertEqual(ResponseVersion.objects.count(), 3)
