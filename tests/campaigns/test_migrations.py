"""The data migrations give the rows they find the meaning the code expects."""

import importlib

from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import TestCase

from campaigns.models import Response, ResponseVersion
from tests.campaigns.factories import InvitationFactory, QuestionnaireFactory

MIGRATION = "0004_private_links_versions_explanations"


class NumberExistingVersionsTests(TestCase):
    """0004: before drafts were kept, every version was a submission."""

    def test_old_versions_become_numbered_submissions_and_the_team_may_publish(self):
        invitation = InvitationFactory()
        questionnaire = QuestionnaireFactory(campaign=invitation.campaign)
        response = Response.objects.create(questionnaire=questionnaire, party=invitation.party)
        untouched = Response.objects.create(
            questionnaire=QuestionnaireFactory(campaign=invitation.campaign),
            party=invitation.party,
        )
        for number in (1, 2, 3):
            ResponseVersion.objects.create(
                response=response, number=number, kind=ResponseVersion.DRAFT
            )
        publish = Permission.objects.get(codename="publish_campaign")
        team = Group.objects.get(name="Campagnes")
        team.permissions.remove(publish)

        module = importlib.import_module(f"campaigns.migrations.{MIGRATION}")
        # The models as 0004 saw them, beside today's content types and permissions.
        loader = MigrationLoader(connection)
        leaves = [
            node for node in loader.graph.leaf_nodes() if node[0] in ("auth", "contenttypes")
        ]
        state = loader.project_state([("campaigns", MIGRATION), *leaves])
        module.number_existing_versions(state.apps, connection.schema_editor())

        versions = ResponseVersion.objects.filter(response=response).order_by("number")
        self.assertEqual(
            [(v.kind, v.submission_number) for v in versions],
            [("submitted", 1), ("submitted", 2), ("submitted", 3)],
        )
        response.refresh_from_db()
        untouched.refresh_from_db()
        self.assertEqual(response.revision, 3)  # its last version's number
        self.assertEqual(untouched.revision, 0)  # no version: nothing to count
        self.assertIn(publish, team.permissions.all())


class CountSubmissionsTests(TestCase):
    """0010: each response learns how many of its versions are submissions, so that the next
    submission's number is read from its row."""

    def test_each_response_counts_its_submitted_versions_only(self):
        invitation = InvitationFactory()
        questionnaire = QuestionnaireFactory(campaign=invitation.campaign)
        response = Response.objects.create(questionnaire=questionnaire, party=invitation.party)
        drafts_only = Response.objects.create(
            questionnaire=QuestionnaireFactory(campaign=invitation.campaign),
            party=invitation.party,
        )
        kinds = [ResponseVersion.SUBMITTED, ResponseVersion.DRAFT, ResponseVersion.SUBMITTED]
        for number, kind in enumerate(kinds, start=1):
            ResponseVersion.objects.create(response=response, number=number, kind=kind)
        ResponseVersion.objects.create(response=drafts_only, number=1, kind="draft")
        Response.objects.update(submission_count=99)

        module = importlib.import_module("campaigns.migrations.0010_response_submission_count")
        loader = MigrationLoader(connection)
        state = loader.project_state(("campaigns", "0010_response_submission_count"))
        module.count_submissions(state.apps, connection.schema_editor())

        response.refresh_from_db()
        drafts_only.refresh_from_db()
        self.assertEqual((response.submission_count, drafts_only.submission_count), (2, 0))

    def test_the_count_is_made_again_after_a_deploy_server_by_server(self):
        from io import StringIO

        from django.core.management import call_command

        invitation = InvitationFactory()
        questionnaire = QuestionnaireFactory(campaign=invitation.campaign)
        # A server still running the code of before the count creates a response: the
        # database gives the column its default.
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO campaigns_response (questionnaire_id, party_id, status, answers,"
                " respondent_name, submitted_answers, submitted_by, revision, created_at,"
                " updated_at) VALUES (%s, %s, 'submitted', '[]', '', '[]', '', 2, %s, %s)",
                [questionnaire.pk, invitation.party_id, "2026-12-07 12:00", "2026-12-07 12:00"],
            )
        response = Response.objects.get(questionnaire=questionnaire)
        self.assertEqual(response.submission_count, 0)
        # …and saves two submissions without counting them.
        for number in (1, 2):
            ResponseVersion.objects.create(
                response=response, number=number, kind=ResponseVersion.SUBMITTED
            )
        out = StringIO()
        call_command("count_submissions", stdout=out)
        response.refresh_from_db()
        self.assertEqual(response.submission_count, 2)
        self.assertIn("Soumissions recomptées; réponses : 1.", out.getvalue())
