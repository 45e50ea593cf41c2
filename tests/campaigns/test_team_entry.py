"""The team never writes as a party: a logged-in team member reads a party's pages; entering
answers on the party's behalf is a deliberate step, recorded with the member's name in the
version, the journal and the party's email, and marked in the public history."""

import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client, TestCase
from django.utils import timezone

from wagtail.models import ModelLogEntry

from campaigns.models import Invitation, Response, ResponseVersion
from tests.campaigns.factories import CampaignOnThemeTestData, answer_data, post_answers
from tests.campaigns.worker import run_queued_tasks

READ_ONLY = 'data-team-banner="read_only"'
ENTERING = 'data-team-banner="entering"'
ENTER_BUTTON = "Saisir les réponses pour ce parti"


def member(group, username=None, **names):
    user = get_user_model().objects.create_user(
        username or group.lower(), f"{group.lower()}@collectif.example", "x", **names
    )
    user.groups.add(Group.objects.get(name=group))
    return user


class TeamOnPartyLinkTests(CampaignOnThemeTestData, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.invitation = cls.invitations[0]
        cls.party = cls.invitation.party
        cls.member = member("Campagnes", "sacha", first_name="Sacha", last_name="Tremblay")

    def setUp(self):
        self.client.force_login(self.member)

    @property
    def form_url(self):
        return self.invitation.questionnaire_path(self.questionnaire)

    @property
    def enter_url(self):
        return f"/campagnes/acces/{self.invitation.token}/saisie/"

    def start_entering(self):
        return self.client.post(self.enter_url, {"action": "start"})

    def versions(self):
        return ResponseVersion.objects.filter(response__party=self.party)

    # --- Read-only: what the issue was about.

    def test_a_team_member_reads_the_party_pages_read_only(self):
        post_answers(Client(), self.invitation, self.questions, **{"action": "save"})
        Invitation.objects.filter(pk=self.invitation.pk).update(opened_at=None)
        home = self.client.get(self.invitation.private_path)
        self.assertContains(home, READ_ONLY)
        self.assertContains(home, ENTER_BUTTON)
        self.assertContains(home, "Voir vos réponses")
        page = self.client.get(self.form_url)
        self.assertContains(page, READ_ONLY)
        self.assertNotContains(page, "data-party-form")
        self.assertContains(page, "Réponses enregistrées")
        self.assertContains(page, "Réponse 1")
        # Looking is not the party opening its link.
        self.invitation.refresh_from_db()
        self.assertIsNone(self.invitation.opened_at)

    def test_a_team_member_post_as_the_party_is_refused_with_the_text_back(self):
        for user in (self.member, get_user_model().objects.create_superuser("admin", "", "x")):
            self.client.force_login(user)
            with self.assertLogs("django.request", "WARNING"):
                response = post_answers(
                    self.client, self.invitation, self.questions, action="submit"
                )
            self.assertEqual(response.status_code, 403)
            self.assertContains(response, "rien n’est enregistré au nom du parti", status_code=403)
            self.assertContains(response, "Votre texte, non enregistré", status_code=403)
            self.assertContains(response, "Réponse 1", status_code=403)
            self.assertFalse(Response.objects.filter(party=self.party).exists())
            draft = self.client.post(
                f"{self.form_url}brouillon/", answer_data(self.questions, base_revision=0)
            )
            self.assertEqual(draft.status_code, 403)
            self.assertIn("Saisir les réponses pour ce parti", draft.json()["erreur"])
            self.assertFalse(Response.objects.filter(party=self.party).exists())

    def test_another_group_reads_but_may_not_enter(self):
        self.client.force_login(member("Rédaction", "redaction"))
        page = self.client.get(self.form_url)
        self.assertContains(page, READ_ONLY)
        self.assertNotContains(page, ENTER_BUTTON)
        self.assertEqual(self.client.get(self.enter_url).status_code, 403)
        self.assertEqual(self.start_entering().status_code, 403)
        self.assertEqual(
            post_answers(self.client, self.invitation, self.questions).status_code, 403
        )
        self.assertFalse(self.versions().exists())

    def test_the_party_itself_is_never_read_only(self):
        party = Client()
        self.assertNotContains(party.get(self.form_url), "data-team-banner")
        self.assertEqual(post_answers(party, self.invitation, self.questions).status_code, 303)
        self.assertEqual(self.versions().get().entered_by_name, "")
        self.assertEqual(party.get(self.enter_url).status_code, 403)

    # --- Entering for a party: deliberate, and said everywhere.

    def test_entering_is_confirmed_first_and_logged(self):
        confirm = self.client.get(self.enter_url)
        self.assertContains(confirm, "Confirmer : saisir au nom de")
        self.assertContains(confirm, "Sacha Tremblay")
        self.assertContains(self.client.get(self.form_url), READ_ONLY)  # a GET changes nothing
        response = self.start_entering()
        self.assertRedirects(response, self.invitation.private_path, status_code=303)
        entry = ModelLogEntry.objects.get(action="campaigns.entry_started")
        self.assertEqual(entry.user, self.member)
        page = self.client.get(self.form_url)
        self.assertContains(page, ENTERING)
        self.assertContains(page, "Vous saisissez au nom de")
        self.assertContains(page, "data-party-form")
        # The team saves with the buttons, each save under its name: no automatic drafts.
        self.assertNotContains(page, "data-autosave-url")

    def test_a_draft_entered_for_the_party_names_the_member_and_emails_the_party(self):
        self.start_entering()
        key = self.questions[0].clean_name
        response = post_answers(
            self.client, self.invitation, self.questions, **{key: "Dicté au téléphone"}
        )
        self.assertEqual(response.status_code, 303)
        version = self.versions().get()
        self.assertEqual(version.entered_by, self.member)
        self.assertEqual(version.entered_by_name, "Sacha Tremblay")
        entry = ModelLogEntry.objects.get(action="campaigns.draft_saved")
        self.assertEqual(entry.user, self.member)
        self.assertEqual(entry.data["entered_by"], "Sacha Tremblay")
        message = self.client.get(self.form_url)
        self.assertContains(message, "saisies par Sacha Tremblay")

        run_queued_tasks()
        (email,) = [m for m in mail.outbox if self.party.contact_email in m.to]
        self.assertIn("réponses saisies pour votre parti", email.subject)
        self.assertIn(
            "Sacha Tremblay, de l’équipe du Collectif petite enfance, a saisi", email.body
        )
        self.assertIn("Dicté au téléphone", email.body)
        self.assertIn(self.form_url, email.body)
        # A retry of the task sends nothing twice.
        run_queued_tasks()
        self.assertEqual(len([m for m in mail.outbox if self.party.contact_email in m.to]), 1)

        board = self.client.get(
            f"/admin/snippets/campaigns/campaign/tableau/{self.campaign.pk}/"
        ).content.decode()
        self.assertIn("Brouillon enregistré par Sacha Tremblay (équipe du Collectif)", board)

    def test_a_submission_entered_for_the_party_says_who_in_every_email(self):
        self.start_entering()
        response = post_answers(
            self.client,
            self.invitation,
            self.questions,
            action="submit",
            name="Dominique, par téléphone",
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.versions().get().entered_by, self.member)
        entry = ModelLogEntry.objects.get(action="campaigns.submitted")
        self.assertEqual(entry.user, self.member)
        run_queued_tasks()
        (confirmation,) = [m for m in mail.outbox if self.party.contact_email in m.to]
        self.assertIn("saisies pour votre parti par Sacha Tremblay", confirmation.body)
        board = self.client.get(
            f"/admin/snippets/campaigns/campaign/tableau/{self.campaign.pk}/"
        ).content.decode()
        self.assertIn(
            "Réponses soumises par Dominique, par téléphone (version 1), saisies par Sacha "
            "Tremblay (équipe du Collectif) au nom du parti",
            board,
        )

    def test_ending_the_entry_makes_the_pages_read_only_again(self):
        self.start_entering()
        self.client.post(self.enter_url, {"action": "stop"})
        self.assertContains(self.client.get(self.form_url), READ_ONLY)
        self.assertEqual(
            post_answers(self.client, self.invitation, self.questions).status_code, 403
        )

    def test_entering_for_one_party_is_not_entering_for_another(self):
        self.start_entering()
        other = self.invitations[1]
        page = self.client.get(other.questionnaire_path(self.questionnaire))
        self.assertContains(page, READ_ONLY)
        self.assertEqual(post_answers(self.client, other, self.questions).status_code, 403)

    def test_the_public_history_says_the_team_entered_it_without_naming_anyone(self):
        self.start_entering()
        key = self.questions[0].clean_name
        post_answers(
            self.client, self.invitation, self.questions, action="submit", **{key: "Au téléphone"}
        )
        ResponseVersion.objects.update(saved_at=timezone.now() - timedelta(days=2))
        self.campaign.publish_results(user=None)
        public = Client().get(self.theme.url).content.decode()
        self.assertIn("Au téléphone", public)
        self.assertIn("Réponse saisie par l’équipe du Collectif au nom du parti.", public)
        self.assertNotIn("Sacha", public)

        # The party corrects it itself later: the mark goes with the team's text (the page
        # is renewed once the correction is committed).
        with self.captureOnCommitCallbacks(execute=True):
            post_answers(
                Client(), self.invitation, self.questions, action="submit", **{key: "Par le parti"}
            )
        public = Client().get(self.theme.url).content.decode()
        cells = re.findall(r"<td>(?:(?!</td>).)*</td>", public, flags=re.DOTALL)
        corrected = [cell for cell in cells if "Par le parti" in cell]
        self.assertTrue(corrected)
        for cell in corrected:
            self.assertIn("Modifiée le", cell)
            self.assertNotIn("saisie par l’équipe", cell)
        # The other answers are still the text the team entered.
        unchanged = [cell for cell in cells if "Réponse 2" in cell]
        self.assertTrue(unchanged)
        for cell in unchanged:
            self.assertIn("Réponse saisie par l’équipe du Collectif au nom du parti.", cell)
