from datetime import timedelta

from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from campaigns.models import Response, ResponseVersion
from collectif.models import SiteSettings
from tests.campaigns.factories import (
    CampaignOnThemeTestData,
    InvitationFactory,
    answer_data,
    post_answers,
)
from tests.campaigns.worker import run_queued_tasks as run_worker

FRENCH_MONTHS = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
)
FRENCH_MONTHS = FRENCH_MONTHS.split()


class PartyFlowTests(CampaignOnThemeTestData, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.invitation = cls.invitations[0]
        cls.party = cls.invitation.party

    def form_url(self, invitation=None):
        return (invitation or self.invitation).questionnaire_path(self.questionnaire)

    def post(self, **kwargs):
        return post_answers(self.client, self.invitation, self.questions, **kwargs)

    def test_private_link_opens_the_party_home(self):
        response = self.client.get(self.invitation.private_path)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.party.name)
        self.assertContains(response, "à remplir")
        self.assertContains(response, f'href="{self.form_url()}"')
        self.assertContains(response, f'href="{self.theme.url}"')
        self.assertEqual(response["X-Robots-Tag"], "noindex, nofollow")
        self.assertIn("no-store", response["Cache-Control"])
        self.invitation.refresh_from_db()
        self.assertIsNotNone(self.invitation.opened_at)

    def test_wrong_or_revoked_token_is_a_404(self):
        self.assertEqual(self.client.get("/campagnes/acces/pas-un-jeton/").status_code, 404)
        old_path, old_form = self.invitation.private_path, self.form_url()
        self.invitation.renew_link()
        self.assertEqual(self.client.get(old_path).status_code, 404)
        self.assertEqual(self.client.get(old_form).status_code, 404)
        self.assertEqual(self.client.post(old_form, answer_data(self.questions)).status_code, 404)
        self.assertEqual(self.client.get(self.invitation.private_path).status_code, 200)

    def test_token_of_another_campaign_finds_no_form(self):
        other = InvitationFactory()
        url = reverse("campaigns:answer", args=[other.token, self.questionnaire.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_forged_tokens_open_nothing(self):
        token = self.invitation.token
        pk, signature = token.split("-")
        forged = [
            f"{pk}-{signature[:-1]}0" if signature[-1] != "0" else f"{pk}-{signature[:-1]}1",
            f"{int(pk, 36) + 1:x}-{signature}",
            signature,
            f"{pk}-",
            "zzzzzzzzzzzzzzzzzz-" + signature,
            token.upper(),
        ]
        for candidate in forged:
            with self.subTest(candidate=candidate):
                url = reverse("campaigns:party_home", args=[candidate])
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_public_sees_questions_not_forms(self):
        response = self.client.get(self.theme.url)
        self.assertContains(response, self.questions[0].text)
        self.assertContains(response, "Pour les partis politiques :")
        self.assertNotContains(response, "Soumettre les réponses")
        self.assertNotContains(response, "Les réponses des partis")

    def test_save_draft_come_back_prefilled(self):
        response = self.post(action="save", **{self.questions[0].clean_name: "Un premier jet"})
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response["Location"].startswith(self.form_url()))
        saved = Response.objects.get(party=self.party)
        self.assertEqual((saved.status, saved.submitted_at), ("draft", None))
        # Every saved draft is kept in the history, apart from the submissions.
        draft = ResponseVersion.objects.get()
        self.assertEqual((draft.kind, draft.submission_number), ("draft", None))

        page = self.client.get(self.form_url())
        self.assertContains(page, "Brouillon enregistré")
        self.assertContains(page, "Un premier jet</textarea>")

    def test_submit_correct_and_keep_every_version(self):
        SiteSettings.objects.update_or_create(
            site_id=self.theme.get_site().pk,
            defaults={"notification_email": "equipe@collectif.example"},
        )
        self.assertEqual(self.post(action="submit").status_code, 303)
        self.assertEqual(
            self.post(action="submit", **{self.questions[1].clean_name: "Corrigée"}).status_code,
            303,
        )
        saved = Response.objects.get(party=self.party)
        self.assertEqual(saved.status, "submitted")
        versions = list(saved.versions.order_by("number"))
        self.assertEqual([v.number for v in versions], [1, 2])
        self.assertEqual([v.submission_number for v in versions], [1, 2])
        self.assertEqual(versions[0].answers[1]["answer"], "Réponse 2")
        self.assertEqual(versions[1].answers[1]["answer"], "Corrigée")
        self.assertEqual(versions[1].respondent_name, "Camille Fictive")
        # Mail goes out through the queue, after the commit.
        self.assertEqual(len(mail.outbox), 0)
        run_worker()
        confirmations = [m for m in mail.outbox if m.to == [self.party.contact_email]]
        notifications = [m for m in mail.outbox if m.to == ["equipe@collectif.example"]]
        self.assertEqual((len(confirmations), len(notifications)), (2, 2))
        self.assertIn("Corrigée", confirmations[1].body)
        self.assertIn(self.questions[0].text, confirmations[0].body)
        # The party keeps its record: its private link, and dates in French.
        self.assertIn(f"http://testserver{self.form_url()}", confirmations[0].body)
        closes = timezone.localtime(self.campaign.closes_at)
        self.assertIn(date_format(closes, "j F Y"), confirmations[0].body)
        self.assertIn(FRENCH_MONTHS[closes.month - 1], confirmations[0].body)
        self.assertIn("http://testserver/admin/", notifications[0].body)
        run_worker()
        self.assertEqual(len(mail.outbox), 4)

    def test_submission_shows_a_confirmation(self):
        response = self.post(action="submit")
        page = self.client.get(response["Location"])
        self.assertContains(page, "Merci! Vos réponses")
        self.assertContains(page, self.party.contact_email)
        self.assertContains(page, "Dernière soumission le")

    def test_rejected_submission_keeps_the_text_and_says_why(self):
        response = self.post(
            action="submit",
            name="",
            **{
                self.questions[0].clean_name: "",
                self.questions[1].clean_name: "Mon texte précieux",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Indiquez votre nom pour soumettre", status_code=400)
        self.assertContains(response, "Répondez à cette question", status_code=400)
        self.assertContains(response, "Mon texte précieux</textarea>", status_code=400)
        self.assertFalse(Response.objects.exists())

    def test_character_limit_is_enforced_on_the_server(self):
        long_answer = "é" * 3001
        response = self.post(action="save", **{self.questions[0].clean_name: long_answer})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "au plus 3000 caractères", status_code=400)
        self.assertContains(response, long_answer, status_code=400)
        self.assertContains(response, 'data-max-length="3000"', status_code=400)
        self.assertFalse(Response.objects.exists())

    def test_long_hostile_and_emoji_answers_are_kept_as_typed(self):
        question = self.questions[0]
        question.max_length = None
        question.save()
        answers = {
            self.questions[0].clean_name: "x" * 50_000,
            self.questions[
                1
            ].clean_name: '<script>alert("x")</script> =HYPERLINK("http://evil.example")',
            self.questions[2].clean_name: "Des familles heureuses 👶🏽🍼 — « oui »",
        }
        self.assertEqual(self.post(action="submit", **answers).status_code, 303)
        stored = {a["key"]: a["answer"] for a in Response.objects.get().submitted_answers}
        self.assertEqual(stored, answers)
        self.campaign.publish_results(user=None)
        page = self.client.get(self.theme.url).content.decode()
        self.assertNotIn('<script>alert("x")</script>', page)
        self.assertIn("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;", page)
        self.assertIn("👶🏽🍼", page)

    def test_decline_and_answer_to_come(self):
        first, second, third = (q.clean_name for q in self.questions)
        in_ten_days = (timezone.localdate() + timedelta(days=10)).isoformat()
        response = self.post(
            action="submit",
            **{
                first: "",
                f"{first}__status": "declined",
                second: "",
                f"{second}__status": "pending",
                f"{second}__pending_until": "",
            },
        )
        self.assertContains(response, "Indiquez la date prévue", status_code=400)
        self.post(
            action="submit",
            **{
                first: "",
                f"{first}__status": "declined",
                second: "",
                f"{second}__status": "pending",
                f"{second}__pending_until": in_ten_days,
            },
        )
        self.campaign.publish_results(user=None)
        page = self.client.get(self.theme.url)
        self.assertContains(page, "a décliné")
        in_ten_days_fr = date_format(timezone.localdate() + timedelta(days=10), "j F Y")
        self.assertContains(page, f"réponse à venir (d’ici le {in_ten_days_fr})")
        # The other invited party did not answer.
        self.assertContains(page, "n’a pas répondu")

    def test_closed_campaign_refuses_posts_and_shows_the_record(self):
        self.post(action="submit", **{self.questions[0].clean_name: "Première version"})
        self.post(action="submit", **{self.questions[0].clean_name: "Version corrigée"})
        Response.objects.all().delete()
        self.post(action="submit", **{self.questions[0].clean_name: "Version finale"})
        self.campaign.closes_at = timezone.now() - timedelta(minutes=1)
        self.campaign.save()
        page = self.client.get(self.form_url())
        self.assertContains(page, "La période de réponse est terminée")
        self.assertNotContains(page, 'name="action"')
        # The party's record: what it submitted, read-only, with the date of the version.
        self.assertContains(page, "Vos réponses soumises")
        self.assertContains(page, "Version finale")
        self.assertContains(page, "soumise le")
        self.assertContains(page, "data-print")
        Response.objects.all().delete()
        response = self.post(action="submit", **{self.questions[0].clean_name: "Trop tard"})
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "vos réponses n’ont pas été enregistrées", status_code=403)
        self.assertContains(response, "Trop tard</textarea>", status_code=403)
        self.assertFalse(Response.objects.exists())

    def test_not_yet_open_campaign_refuses_posts(self):
        self.campaign.opens_at = timezone.now() + timedelta(days=1)
        self.campaign.save()
        self.assertContains(self.client.get(self.form_url()), "Les questionnaires ouvriront le")
        self.assertEqual(self.post(action="save").status_code, 403)
        self.assertFalse(Response.objects.exists())

    def test_rewording_a_question_keeps_answers_and_their_snapshot(self):
        self.post(action="submit")
        question = self.questions[0]
        key, original_text = question.clean_name, question.text
        question.label = "Titre reformulé"
        question.text = "Une question reformulée?"
        question.save()
        question.refresh_from_db()
        self.assertEqual(question.clean_name, key)
        answer = Response.objects.get().submitted_answers[0]
        self.assertEqual(answer["question"], original_text)
        self.assertEqual(answer["answer"], "Réponse 1")


class PublicationTests(CampaignOnThemeTestData, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.campaign_fields = {"publish_at": timezone.now() + timedelta(days=3)}
        super().setUpTestData()

    def submit(self, invitation, **answers):
        return post_answers(self.client, invitation, self.questions, action="submit", **answers)

    def test_nothing_is_public_before_the_publication_date(self):
        self.submit(self.invitations[0])
        post_answers(
            self.client,
            self.invitations[1],
            self.questions,
            **{self.questions[0].clean_name: "Brouillon secret"},
        )
        page = self.client.get(self.theme.url)
        self.assertNotContains(page, "Réponse 1")
        self.assertNotContains(page, "Brouillon secret")
        for fmt in ("csv", "json"):
            url = f"/campagnes/{self.campaign.slug}/reponses.{fmt}"
            self.assertEqual(self.client.get(url).status_code, 404)

    def test_answers_are_public_from_the_publication_date_drafts_never(self):
        self.submit(self.invitations[0])
        post_answers(
            self.client,
            self.invitations[1],
            self.questions,
            **{self.questions[0].clean_name: "Brouillon secret"},
        )
        self.campaign.publish_at = timezone.now() - timedelta(minutes=1)
        self.campaign.save()
        page = self.client.get(self.theme.url)
        self.assertContains(page, "Réponse 1")
        self.assertContains(page, self.invitations[0].party.name)
        self.assertContains(page, "n’a pas répondu")
        self.assertNotContains(page, "Brouillon secret")
        # Question by question (phones) and parties as columns (wide screens).
        self.assertContains(page, "<caption>", count=len(self.questions) + 1)
        document = self.client.get(f"/campagnes/{self.campaign.slug}/reponses.json").json()
        answers = document["questionnaires"][0]["reponses"]
        self.assertEqual({a["statut"] for a in answers}, {"submitted", "missing"})
        self.assertEqual({a["statut_libelle"] for a in answers}, {"soumise", "n’a pas répondu"})
        self.assertNotIn("Brouillon secret", str(document))
        csv = self.client.get(f"/campagnes/{self.campaign.slug}/reponses.csv")
        self.assertEqual(csv["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("Réponse 1", csv.content.decode("utf-8-sig"))
