"""One trustworthy record: every output of a campaign's answers agrees on what is public."""

import io
import json
from datetime import timedelta
from pathlib import Path

from django.core import mail
from django.test import Client, TestCase
from django.utils import timezone

from wagtail.models import ModelLogEntry
from wagtail.search import index

from openpyxl import load_workbook

from campaigns.models import Invitation, Response, ResponseVersion
from campaigns.submissions import Sent, save_response
from tests.campaigns.factories import (
    CampaignOnThemeTestData,
    QuestionFactory,
    answer_data,
    current_revision,
    post_answers,
    team_member,
)
from tests.campaigns.worker import run_queued_tasks
from tests.home.factories import build_site_tree

PUBLISHED = ["zèbre publié", "Explication publiée", "Nuancé", "Nuance expliquée"]
NEVER_PUBLIC = ["girafe déclinée", "Explication déclinée", "panda à venir", "Brouillon secret"]
NAMES = ["Nom Secret Un", "Nom Secret Deux"]


class OneRecordTests(CampaignOnThemeTestData, TestCase):
    """The same responses (answered with explanations, declined with text, to come with text,
    draft only, no response, reworded question) fed to every output."""

    parties = 4

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.questions = [cls.questions[0], QuestionFactory(questionnaire=cls.questionnaire)]
        cls.questionnaire.questions.exclude(pk__in=[q.pk for q in cls.questions]).delete()
        cls.questions[1].field_type = "yesno"
        cls.questions[1].save()
        first, second = (q.clean_name for q in cls.questions)
        answered, declined, draft, _nothing = cls.invitations
        client = cls.client_class()
        post_answers(
            client,
            answered,
            cls.questions,
            action="submit",
            name=NAMES[0],
            **{
                first: "Un zèbre publié",
                f"{first}__explanation": "Explication publiée",
                second: "Nuancé",
                f"{second}__explanation": "Nuance expliquée",
            },
        )
        post_answers(
            client,
            declined,
            cls.questions,
            action="submit",
            name=NAMES[1],
            **{
                first: "Une girafe déclinée",
                f"{first}__status": "declined",
                f"{first}__explanation": "Explication déclinée",
                second: "Oui",
                f"{second}__status": "pending",
                f"{second}__explanation": "Un panda à venir",
                f"{second}__pending_until": (timezone.localdate() + timedelta(days=9)).isoformat(),
            },
        )
        post_answers(client, draft, cls.questions, **{first: "Brouillon secret", second: "Oui"})
        cls.original_wording = cls.questions[0].text
        cls.questions[0].text = "Une formulation toute neuve?"
        cls.questions[0].save()
        cls.campaign.publish_results(user=None)
        index.insert_or_update_object(cls.theme)

    def outputs(self):
        """Every place the answers reach, as text."""
        slug = self.campaign.slug
        run_queued_tasks()
        emails = "\n".join(m.subject + m.body for m in mail.outbox)
        self.client.force_login(team_member())
        team_csv = b"".join(
            self.client.get(f"/admin/campagnes-reponses/?campaign={self.campaign.pk}&export=csv")
        ).decode("utf-8-sig")
        xlsx = self.client.get(
            f"/admin/campagnes-reponses/?campaign={self.campaign.pk}&export=xlsx"
        )
        sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
        team_xlsx = "\n".join(
            " ".join(str(c or "") for c in row) for row in sheet.iter_rows(values_only=True)
        )
        self.client.logout()
        public = {
            "page": self.client.get(self.theme.url).content.decode(),
            "open_csv": self.client.get(f"/campagnes/{slug}/reponses.csv").content.decode(
                "utf-8-sig"
            ),
            "open_json": json.dumps(
                self.client.get(f"/campagnes/{slug}/reponses.json").json(), ensure_ascii=False
            ),
            "search_index": self.theme.specific.published_answers_text(),
            "search_page": self.client.get("/recherche/", {"q": "zèbre"}).content.decode(),
        }
        team = {"team_csv": team_csv, "team_xlsx": team_xlsx, "emails": emails}
        return public, team

    def test_every_output_agrees_on_what_is_public(self):
        public, team = self.outputs()
        for name, text in {**public, **team}.items():
            with self.subTest(output=name):
                for published in PUBLISHED:
                    if name == "search_page" and published != "zèbre publié":
                        continue  # an excerpt shows the words around the query only
                    self.assertIn(published, text.replace("<mark>", "").replace("</mark>", ""))
                for secret in NEVER_PUBLIC[:3]:
                    self.assertNotIn(secret, text)
        for name, text in public.items():
            with self.subTest(output=name, rule="drafts and names never public"):
                self.assertNotIn("Brouillon secret", text)
                for person in NAMES:
                    self.assertNotIn(person, text)
        with self.subTest(rule="the team knows who answered"):
            self.assertIn(NAMES[0], team["team_csv"])
            self.assertIn(NAMES[0], team["team_xlsx"])
        self.assertEqual(
            self.client.get("/recherche/", {"q": "girafe"})
            .content.decode()
            .count("girafe</mark>"),
            0,
        )

    def test_statuses_agree_between_page_open_data_and_exports(self):
        public, team = self.outputs()
        due = (timezone.localdate() + timedelta(days=9)).isoformat()
        for name in ("page", "open_json", "team_csv", "team_xlsx"):
            with self.subTest(output=name):
                text = {**public, **team}[name]
                self.assertIn("a décliné", text)
                self.assertIn("réponse à venir", text)
                self.assertIn(due if name == "open_json" else "(d’ici le", text)
                # The public reads a missing answer; the team also sees the draft.
                self.assertIn("brouillon" if name.startswith("team") else "n’a pas répondu", text)
        # The open CSV gives each status as a code in its own column, the date in ISO 8601.
        for code in ("declined", "pending", "missing", due):
            self.assertIn(code, public["open_csv"])
        self.assertNotIn("a décliné", public["open_csv"])

    def test_the_public_sees_each_answer_under_the_wording_it_answered(self):
        page = self.client.get(self.theme.url).content.decode()
        self.assertIn("question reformulée le", page)
        self.assertIn(self.original_wording, page)
        document = self.client.get(f"/campagnes/{self.campaign.slug}/reponses.json").json()
        answer = document["questionnaires"][0]["reponses"][0]["reponses"][0]
        self.assertEqual(answer["question_repondue"], self.original_wording)
        self.assertIsNotNone(document["questionnaires"][0]["questions"][0]["reformulee_le"])


class StaleTabTests(CampaignOnThemeTestData, TestCase):
    parties = 1

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.invitation = cls.invitations[0]
        cls.key = cls.questions[0].clean_name

    def url(self):
        return self.invitation.questionnaire_path(self.questionnaire)

    def response(self):
        return Response.objects.get(party=self.invitation.party)

    def test_a_stale_tab_cannot_replace_newer_text_and_sees_both(self):
        tab_a = answer_data(self.questions, base_revision=0, **{self.key: "Texte de l’onglet A"})
        tab_b = answer_data(self.questions, base_revision=0, **{self.key: "Texte de l’onglet B"})
        self.assertEqual(self.client.post(self.url(), tab_a).status_code, 303)
        refused = self.client.post(self.url(), tab_b)
        self.assertEqual(refused.status_code, 409)
        self.assertEqual(self.response().answers[0]["answer"], "Texte de l’onglet A")
        self.assertContains(refused, "Une version plus récente", status_code=409)
        self.assertContains(refused, "Texte de l’onglet A", status_code=409)
        self.assertContains(refused, "Texte de l’onglet B</textarea>", status_code=409)
        # The form shown again is based on the newer version: saving it is a choice.
        self.assertContains(
            refused, f'name="base_revision" value="{self.response().revision}"', status_code=409
        )
        again = {**tab_b, "base_revision": self.response().revision, "client_key": "choix"}
        self.assertEqual(self.client.post(self.url(), again).status_code, 303)
        self.assertEqual(self.response().answers[0]["answer"], "Texte de l’onglet B")
        # Nothing was lost: both texts are in the history.
        texts = [v.answers[0]["answer"] for v in self.response().versions.order_by("number")]
        self.assertEqual(texts, ["Texte de l’onglet A", "Texte de l’onglet B"])

    def test_a_stale_tab_cannot_replace_a_newer_submission(self):
        old_tab = answer_data(self.questions, action="submit", **{self.key: "Ancien"})
        post_answers(self.client, self.invitation, self.questions, action="submit")
        self.assertEqual(self.client.post(self.url(), old_tab).status_code, 409)
        self.assertEqual(self.response().submitted_answers[0]["answer"], "Réponse 1")
        self.assertEqual(self.response().versions.count(), 1)

    def test_a_replayed_post_changes_nothing_and_sends_no_second_email(self):
        data = answer_data(self.questions, action="submit")
        self.assertEqual(self.client.post(self.url(), data).status_code, 303)
        replay = self.client.post(self.url(), data, follow=True)
        self.assertContains(replay, "déjà été enregistré")
        self.assertEqual(ResponseVersion.objects.count(), 1)
        run_queued_tasks()
        self.assertEqual(
            len([m for m in mail.outbox if m.to == [self.invitation.party.contact_email]]), 1
        )

    def test_autosave_keeps_the_tab_current_and_refuses_a_stale_one(self):
        autosave = self.url() + "brouillon/"
        data = answer_data(self.questions, base_revision=0, **{self.key: "Tap"})
        first = self.client.post(autosave, data)
        self.assertEqual(first.status_code, 200)
        self.assertEqual(first.json()["revision"], 1)
        # The same tab goes on typing: its next automatic save replaces the previous one.
        data.update({self.key: "Tapé plus loin", "base_revision": 1})
        self.assertEqual(self.client.post(autosave, data).json()["revision"], 2)
        self.assertEqual(self.response().versions.count(), 1)
        self.assertEqual(self.response().answers[0]["answer"], "Tapé plus loin")
        # Its explicit save after an autosave it did not hear about is not stale.
        data.update({self.key: "Version voulue", "base_revision": 1})
        self.assertEqual(self.client.post(self.url(), data).status_code, 303)
        # Another tab, based on an older version, is refused.
        other = answer_data(self.questions, base_revision=1, **{self.key: "Autre onglet"})
        refused = self.client.post(autosave, other)
        self.assertEqual(refused.status_code, 409)
        self.assertIn("autre fenêtre", refused.json()["erreur"])
        self.assertEqual(self.response().answers[0]["answer"], "Version voulue")

    def test_an_automatic_save_never_submits(self):
        # Even a post that says « submit » to the autosave address, or a caller that asks
        # save_response for a submission while saving automatically: a draft, not public.
        data = answer_data(self.questions, action="submit", base_revision=0)
        self.assertEqual(self.client.post(self.url() + "brouillon/", data).status_code, 200)
        sent = Sent(answers=[], respondent_name="X", submit=True, base_revision=1, client_key="k")
        outcome = save_response(self.questionnaire, self.invitation.party, sent, autosave=True)
        self.assertEqual(outcome.version.kind, ResponseVersion.DRAFT)
        self.assertIsNone(self.response().submitted_at)
        self.assertFalse(self.response().versions.filter(kind=ResponseVersion.SUBMITTED).exists())

    def test_autosave_after_the_deadline_is_refused(self):
        self.campaign.closes_at = timezone.now() - timedelta(minutes=1)
        self.campaign.save()
        data = answer_data(self.questions)
        self.assertEqual(self.client.post(self.url() + "brouillon/", data).status_code, 403)
        self.assertFalse(Response.objects.exists())

    def test_the_form_page_loads_the_autosave_script(self):
        page = self.client.get(self.url())
        self.assertContains(page, "campaigns/party.js")
        self.assertContains(page, 'data-autosave-url="')
        self.assertNotContains(page, "<script>")


class ExplanationTests(CampaignOnThemeTestData, TestCase):
    parties = 1

    def test_every_kind_takes_an_explanation_with_its_own_limit(self):
        question = self.questions[0]
        question.field_type = "radio"
        question.choices = "Pour\nContre"
        question.explanation_max_length = 20
        question.save()
        key = question.clean_name
        too_long = post_answers(
            self.client,
            self.invitations[0],
            self.questions,
            **{key: "Pour", f"{key}__explanation": "x" * 21},
        )
        self.assertEqual(too_long.status_code, 400)
        self.assertContains(too_long, "x" * 21, status_code=400)
        post_answers(
            self.client,
            self.invitations[0],
            self.questions,
            action="submit",
            **{key: "Pour", f"{key}__explanation": "Parce que."},
        )
        self.campaign.publish_results(user=None)
        page = self.client.get(self.theme.url)
        self.assertContains(page, "Pour")
        self.assertContains(page, "Parce que.")


class PrivateLinkTests(CampaignOnThemeTestData, TestCase):
    parties = 1

    def test_nothing_stored_opens_a_link(self):
        invitation = self.invitations[0]
        token = invitation.token
        stored = " ".join(
            str(getattr(invitation, f.attname)) for f in Invitation._meta.concrete_fields
        )
        self.assertNotIn(token.split("-")[1], stored)
        self.assertEqual(Invitation.for_token(token), invitation)
        with self.settings(SECRET_KEY="une-autre-cle"):
            self.assertIsNone(Invitation.for_token(token))

    def test_campaigns_never_import_the_page_apps(self):
        root = Path(__file__).resolve().parents[2] / "campaigns"
        for path in root.rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text()
            with self.subTest(path=path.name):
                self.assertNotRegex(text, r"(?m)^\s*(from|import) (boussole|pillars|home)\b")


class TeamTests(CampaignOnThemeTestData, TestCase):
    """A plain member of « Campagnes » does its job: follows, publishes, exports, manages links."""

    parties = 2

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.member = team_member()

    def setUp(self):
        self.client.force_login(self.member)
        # The parties answer from their own browsers: a team member's is read-only.
        self.party = Client()

    def board(self):
        return self.client.get(f"/admin/snippets/campaigns/campaign/tableau/{self.campaign.pk}/")

    def test_board_shows_progress_links_and_the_journal(self):
        post_answers(self.party, self.invitations[0], self.questions, action="submit")
        self.party.get(self.invitations[1].private_path)
        page = self.board()
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, 'data-status="submitted"')
        self.assertContains(page, 'data-status="opened"')
        self.assertContains(page, self.invitations[0].private_url(base="http://testserver"))
        self.assertContains(page, "Réponses soumises par Camille Fictive")
        self.assertContains(page, "Lien privé ouvert")
        self.assertNotContains(page, "data-placement-warning")

    def test_board_warns_about_a_questionnaire_on_no_live_page(self):
        self.theme.unpublish()
        self.assertContains(self.board(), "data-placement-warning")

    def test_publishing_early_names_the_parties_and_is_logged(self):
        confirm = self.client.get(
            f"/admin/snippets/campaigns/campaign/publier/{self.campaign.pk}/"
        )
        self.assertContains(confirm, "encore ouverte")
        for invitation in self.invitations:
            self.assertContains(confirm, invitation.party.name)
        self.assertFalse(self.campaign.results_are_public())
        self.client.post(f"/admin/snippets/campaigns/campaign/publier/{self.campaign.pk}/")
        self.campaign.refresh_from_db()
        self.assertTrue(self.campaign.results_are_public())
        self.assertEqual(self.campaign.published_by, self.member)
        entry = ModelLogEntry.objects.get(action="campaigns.published")
        self.assertEqual(entry.user, self.member)
        self.assertContains(self.board(), "Réponses publiées avant la date limite")

    def test_the_campaign_form_refuses_an_embargo_before_the_deadline(self):
        self.campaign.publish_at = self.campaign.closes_at - timedelta(days=1)
        with self.assertRaisesMessage(Exception, "Publier les réponses"):
            self.campaign.full_clean()

    def test_export_is_logged_and_offers_semicolons(self):
        post_answers(self.party, self.invitations[0], self.questions, action="submit")
        url = f"/admin/campagnes-reponses/?campaign={self.campaign.pk}&export=csv-fr"
        body = b"".join(self.client.get(url).streaming_content).decode("utf-8")
        self.assertTrue(body.startswith("\ufeffParti;Questionnaire;Statut;"))
        self.assertIn("Camille Fictive", body)
        entry = ModelLogEntry.objects.get(action="campaigns.exported")
        self.assertEqual(entry.user, self.member)

    def test_inspect_shows_every_version_and_a_diff(self):
        key = self.questions[0].clean_name
        post_answers(self.party, self.invitations[0], self.questions, **{key: "Premier jet"})
        post_answers(
            self.party,
            self.invitations[0],
            self.questions,
            action="submit",
            **{key: "Texte final"},
        )
        response = Response.objects.get()
        page = self.client.get(f"/admin/campagnes-reponses/inspect/{response.pk}/")
        self.assertContains(page, "Version 1")
        self.assertContains(page, "soumission n<sup>o</sup> 1")
        self.assertContains(page, 'Premier jet<span class="w-sr-only">]</span></del>')
        self.assertContains(page, "[ajouté : </span>Texte final")

    def test_renewing_a_link_is_logged_and_kills_the_old_one(self):
        invitation = self.invitations[0]
        old = invitation.private_path
        self.client.post(
            f"/admin/snippets/campaigns/campaign/invitation/{invitation.pk}/renouveler/"
        )
        self.assertEqual(self.client.get(old).status_code, 404)
        invitation.refresh_from_db()
        self.assertEqual(self.client.get(invitation.private_path).status_code, 200)
        self.assertTrue(ModelLogEntry.objects.filter(action="campaigns.link_renewed").exists())

    def test_emailing_a_link_uses_the_address_of_the_request(self):
        invitation = self.invitations[0]
        self.client.post(
            f"/admin/snippets/campaigns/campaign/invitation/{invitation.pk}/envoyer/",
            HTTP_HOST="collectif.example:8300",
        )
        self.assertIn(
            f"http://collectif.example:8300{invitation.private_path}", mail.outbox[0].body
        )
        self.assertTrue(ModelLogEntry.objects.filter(action="campaigns.link_emailed").exists())

    def test_the_rewording_warning(self):
        post_answers(self.party, self.invitations[0], self.questions, action="submit")
        from wagtail.test.utils.form_data import inline_formset, nested_form_data

        def form(confirm):
            questions = [
                {
                    "id": q.pk,
                    "label": q.label,
                    "text": "Reformulée?" if n == 0 else q.text,
                    "help_text": "",
                    "field_type": q.field_type,
                    "max_length": 3000,
                    "explanation_max_length": 1000,
                    "choices": "",
                    "required": "on",
                    "ORDER": n,
                }
                for n, q in enumerate(self.questions)
            ]
            data = {
                "campaign": self.campaign.pk,
                "title": self.questionnaire.title,
                "intro": "",
                "questions": inline_formset(questions, initial=len(questions)),
            }
            if confirm:
                data["confirm_rewording"] = "on"
            return nested_form_data(data)

        url = f"/admin/snippets/campaigns/questionnaire/edit/{self.questionnaire.pk}/"
        refused = self.client.post(url, form(confirm=False))
        self.assertContains(refused, "Des partis ont déjà répondu")
        self.questions[0].refresh_from_db()
        self.assertNotEqual(self.questions[0].text, "Reformulée?")
        self.client.post(url, form(confirm=True))
        self.questions[0].refresh_from_db()
        self.assertEqual(self.questions[0].text, "Reformulée?")
        self.assertIsNotNone(self.questions[0].reworded_at)

    def test_the_group_editor_offers_the_campaign_permissions(self):
        from django.contrib.auth import get_user_model

        admin = get_user_model().objects.create_superuser("admin", "a@x.example", "x")
        self.client.force_login(admin)
        page = self.client.get("/admin/groups/new/").content.decode()
        for label in ("Peut publier les réponses", "Peut exporter les réponses"):
            self.assertIn(label, page)


class PartyLogTests(CampaignOnThemeTestData, TestCase):
    parties = 1

    def test_opening_saving_and_submitting_are_logged(self):
        invitation = self.invitations[0]
        self.client.get(invitation.private_path)
        self.client.get(invitation.private_path)
        post_answers(self.client, invitation, self.questions)
        post_answers(self.client, invitation, self.questions, action="submit", name="Alex Nommé")
        actions = list(ModelLogEntry.objects.order_by("pk").values_list("action", flat=True))
        self.assertEqual(
            actions, ["campaigns.link_opened", "campaigns.draft_saved", "campaigns.submitted"]
        )
        submitted = ModelLogEntry.objects.get(action="campaigns.submitted")
        self.assertEqual(submitted.data["respondent"], "Alex Nommé")
        for entry in ModelLogEntry.objects.all():
            # What Wagtail's own `log()` would have checked on save (a registered action).
            entry.full_clean()
            logged = entry.content_type.get_object_for_this_type(pk=entry.object_id)
            self.assertEqual(entry.label, str(logged))
        # The response's own history, in the team's admin.
        self.client.force_login(team_member())
        history = self.client.get(f"/admin/campagnes-reponses/history/{submitted.object_id}/")
        self.assertContains(history, "Réponses soumises par Alex Nommé")
        self.assertContains(history, "Brouillon enregistré par le parti")
        self.assertEqual(current_revision(self.questionnaire, invitation.party), 2)


class ReadOnlyRecordQueryTests(TestCase):
    """The party's private pages make a fixed number of queries, whatever the number of
    parties."""

    def count(self, parties):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from tests.campaigns.factories import campaign_on_theme

        theme = build_site_tree()["themes"][0]
        campaign, questionnaire, questions, invitations = campaign_on_theme(theme, parties=parties)
        for invitation in invitations:
            post_answers(self.client, invitation, questions, action="submit")
        counts = []
        for url in (invitations[0].private_path, invitations[0].questionnaire_path(questionnaire)):
            self.client.get(url)
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(url).status_code, 200)
            counts.append(len(queries))
        theme.get_parent().get_parent().delete()
        return counts

    def test_private_pages_do_not_grow_with_parties(self):
        self.assertEqual(self.count(3), PRIVATE_PAGE_BUDGETS)
        self.assertEqual(self.count(60), PRIVATE_PAGE_BUDGETS)


# The party's home: the invitation with its campaign and party (1), the questionnaires (1), the
# reference index and the live pages that show them (2), the party's responses (1), the site
# and the footer's site settings (2), the session (1).
# The questionnaire page: the invitation (1), the questionnaire with its questions (1), the
# response (1), the reference index and its live pages (2), the submitted versions (1), the
# site and the footer's site settings (2), the session (1).
PRIVATE_PAGE_BUDGETS = [8, 9]


class PublicHistoryTests(CampaignOnThemeTestData, TestCase):
    """A party that corrects a published answer gets a public mark; the earlier text stays."""

    parties = 1

    def test_a_published_answer_cannot_vanish_silently(self):
        invitation = self.invitations[0]
        key = self.questions[0].clean_name
        post_answers(
            self.client, invitation, self.questions, action="submit", **{key: "Promesse initiale"}
        )
        ResponseVersion.objects.update(saved_at=timezone.now() - timedelta(days=2))
        self.campaign.publish_results(user=None)
        page = self.client.get(self.theme.url)
        self.assertContains(page, "Promesse initiale")
        self.assertNotContains(page, "Modifiée le")

        post_answers(
            self.client,
            invitation,
            self.questions,
            action="submit",
            **{key: "Texte retiré", f"{key}__status": "declined"},
        )
        page = self.client.get(self.theme.url).content.decode()
        self.assertIn("a décliné", page)
        self.assertIn("Modifiée le", page)
        self.assertIn("<details", page)
        self.assertIn("Promesse initiale", page)  # the earlier published text, in its diff
        self.assertNotIn("Texte retiré", page)
        document = self.client.get(f"/campagnes/{self.campaign.slug}/reponses.json").json()
        answer = document["questionnaires"][0]["reponses"][0]["reponses"][0]
        self.assertEqual(answer["statut"], "declined")
        self.assertIsNotNone(answer["modifiee_le"])
        earlier = answer["versions_publiees_precedentes"]
        self.assertEqual([e["reponse"] for e in earlier], ["Promesse initiale"])
        self.assertIsNotNone(earlier[0]["publiee_le"])
        # An unchanged answer to another question carries no mark.
        self.assertEqual(
            document["questionnaires"][0]["reponses"][0]["reponses"][1]["modifiee_le"], None
        )

    def test_corrections_before_publication_are_not_marked(self):
        invitation = self.invitations[0]
        key = self.questions[0].clean_name
        post_answers(self.client, invitation, self.questions, action="submit", **{key: "Premier"})
        post_answers(self.client, invitation, self.questions, action="submit", **{key: "Second"})
        ResponseVersion.objects.update(saved_at=timezone.now() - timedelta(days=2))
        self.campaign.publish_results(user=None)
        page = self.client.get(self.theme.url)
        self.assertContains(page, "Second")
        self.assertNotContains(page, "Modifiée le")
        self.assertNotContains(page, "Premier")
