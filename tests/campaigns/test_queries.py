from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from campaigns.models import Campaign
from collectif.delivery.cache import renew_paths
from tests.campaigns.factories import (
    CampaignOnThemeTestData,
    answer_data,
    campaign_on_theme,
    current_revision,
    save_answers,
)
from tests.home.factories import build_site_tree

# The theme page's own budget (0, see tests/pillars/test_queries.py) plus, for each
# questionnaire block: the questionnaire with its campaign (1, read with the page's body, for
# the blocks and the page's head alike), its questions (1), the invited parties (1), their
# submitted responses (1) and the submitted versions that make the public history of each
# answer (1).
THEME_WITH_PUBLISHED_ANSWERS = 0 + 5
# A campaign's public page: the campaign (1), its questionnaires (1) and their questions (1),
# the invited parties (1: what a comparison may choose among, then the tables and the share),
# the live pages that show them (3: the reference index, the pages' view restrictions, the
# pages), the submitted responses (1) and versions (1) of each questionnaire and the share
# card's fingerprint (1). The site and its settings are known (collectif/delivery/renders.py).
CAMPAIGN_PAGE = 10


class PublishedAnswersQueryTests(TestCase):
    def build(self, parties):
        theme = build_site_tree()["themes"][0]
        campaign, questionnaire, questions, invitations = campaign_on_theme(
            theme, parties=parties, questions=3, results_published=True
        )
        for invitation in invitations[::2]:
            save_answers(questionnaire, questions, invitation.party)
        return theme

    def count(self, url):
        self.client.get(url)
        renew_paths([url], "essai", proxy=False)  # the page itself is rendered again
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertContains(response, "n’a pas répondu")
        return len(queries)

    def test_query_count_does_not_grow_with_parties(self):
        theme = self.build(3)
        small = self.count(theme.url)
        self.assertEqual(small, THEME_WITH_PUBLISHED_ANSWERS)
        with self.captureOnCommitCallbacks(execute=True):
            theme.get_parent().get_parent().delete()
        theme = self.build(60)
        self.assertEqual(self.count(theme.url), small)

    def test_the_campaign_page_in_a_fixed_number_of_queries(self):
        theme = self.build(3)
        small = Campaign.objects.get()
        self.assertEqual(self.count(f"/campagnes/{small.slug}/"), CAMPAIGN_PAGE)
        large, questionnaire, questions, invitations = campaign_on_theme(
            theme, parties=30, questions=10, results_published=True
        )
        for invitation in invitations[::2]:
            save_answers(questionnaire, questions, invitation.party)
        self.assertEqual(self.count(f"/campagnes/{large.slug}/"), CAMPAIGN_PAGE)


# The dashboard's « Campagnes en cours »: the campaigns (1), their questionnaires (1), their
# invitations (1), their responses (1) and their pending reminders (1).
OPEN_CAMPAIGNS_PANEL = 5


class OpenCampaignsPanelTests(TestCase):
    def build(self, campaigns):
        from datetime import timedelta

        from django.utils import timezone

        from campaigns.models import Reminder
        from tests.campaigns.factories import (
            CampaignFactory,
            InvitationFactory,
            QuestionFactory,
            QuestionnaireFactory,
        )

        built = []
        for n in range(campaigns):
            campaign = CampaignFactory(name=f"Campagne {n}")
            questionnaire = QuestionnaireFactory(campaign=campaign)
            questions = [QuestionFactory(questionnaire=questionnaire) for _ in range(2)]
            invitations = [InvitationFactory(campaign=campaign) for _ in range(3)]
            invitations[1].opened_at = timezone.now()
            invitations[1].save()
            save_answers(questionnaire, questions, invitations[0].party)
            save_answers(questionnaire, questions, invitations[2].party, action="save")
            for invitation in invitations:
                Reminder.objects.create(
                    invitation=invitation,
                    days_before=2,
                    deadline=campaign.closes_at,
                    send_at=campaign.closes_at - timedelta(days=2 + invitation.pk % 2),
                )
            built.append(campaign)
        # A closed campaign is not listed.
        CampaignFactory(
            name="Campagne close",
            opens_at=timezone.now() - timedelta(days=60),
            closes_at=timezone.now() - timedelta(days=30),
        )
        return built

    def overview(self, count):
        from campaigns.board import open_campaigns

        with self.assertNumQueries(OPEN_CAMPAIGNS_PANEL):
            overview = open_campaigns()
        self.assertEqual(len(overview), count)
        return overview

    def test_each_open_campaign_with_its_parties_progress_in_five_queries(self):
        from campaigns.answers import french_datetime

        (campaign,) = self.build(1)
        (item,) = self.overview(1)
        self.assertEqual(item["campaign"], campaign)
        self.assertEqual(
            [item[k] for k in ("invited", "opened", "draft", "submitted")], [3, 3, 1, 1]
        )
        # The next reminder of a party that has not submitted (the first party has).
        pending = campaign.invitations.order_by("pk")[1:]
        expected = min(r.send_at for i in pending for r in i.reminders.all())
        self.assertEqual(item["next_reminder"], french_datetime(expected))

    def test_query_count_does_not_grow_with_campaigns(self):
        self.build(6)
        self.overview(6)


# A party's submission, the whole request as a server runs it (what runs once the answers
# are committed included): the invitation of the token (1), the questionnaire with its
# questions (1); then one transaction (a savepoint here, inside the test's own transaction;
# BEGIN and COMMIT in production: 2) with the response, locked (1), the new version (1), the
# response (1), the log entry (1: written as Wagtail's `log()` does, without its check that
# the content type exists) and the confirmation email's task (1). Nothing of the page the
# party comes back to: that is its GET.
SUBMISSION = 2 + 2 + 1 + 1 + 1 + 1 + 1
# A draft: the same, without the email.
DRAFT = SUBMISSION - 1
# A correction after publication (election night): once committed, the search reindexing is
# known to wait in the queue already (a mark in the cache, campaigns/indexing.py); the
# campaign's pages are renewed in the cache without a query (their addresses are kept for the
# site's generation).
CORRECTION = SUBMISSION


class SubmissionQueryTests(CampaignOnThemeTestData, TestCase):
    def post(self, action):
        data = answer_data(
            self.questions,
            action=action,
            base_revision=current_revision(self.questionnaire, self.invitations[0].party),
        )
        path = self.invitations[0].questionnaire_path(self.questionnaire)
        with CaptureQueriesContext(connection) as queries:
            with self.captureOnCommitCallbacks(execute=True):
                response = self.client.post(path, data)
        self.assertEqual(response.status_code, 303)
        return len(queries)

    def test_a_submission_and_a_draft_in_a_fixed_number_of_queries(self):
        # The party's first save creates its response (and marks its link opened).
        self.post("save")
        self.assertEqual(self.post("submit"), SUBMISSION)
        self.assertEqual(self.post("save"), DRAFT)
        # The next submissions cost the same: nothing grows with the history.
        for _ in range(3):
            self.post("save")
        self.assertEqual(self.post("submit"), SUBMISSION)

    def test_a_correction_after_publication_in_a_fixed_number_of_queries(self):
        self.post("submit")
        Campaign.objects.filter(pk=self.campaign.pk).update(results_published=True)
        # The first correction finds the campaign's pages and queues the reindexing.
        self.post("submit")
        for _ in range(3):
            self.assertEqual(self.post("submit"), CORRECTION)
        # A draft after publication renews nothing: no reindexing.
        self.assertEqual(self.post("save"), DRAFT)
