from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.test import SimpleTestCase, TestCase, override_settings
from django.utils import timezone

from campaigns.models import Invitation, ResponseVersion
from tests.campaigns.factories import FAILING_SMTP, CampaignOnThemeTestData, post_answers
from tests.campaigns.worker import run_queued_tasks
from tests.collectif.support import assert_refused


class CampaignAdminTests(CampaignOnThemeTestData, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        User = get_user_model()
        cls.team = User.objects.create_user("equipe", "equipe@example.org", "x")
        cls.team.groups.add(Group.objects.get(name="Campagnes"))
        cls.editor = User.objects.create_user("redaction", "redaction@example.org", "x")
        cls.editor.groups.add(Group.objects.get(name="Rédaction"))

    def test_exports_are_formula_safe(self):
        post_answers(
            self.client,
            self.invitations[0],
            self.questions,
            action="submit",
            **{self.questions[0].clean_name: "=1+1"},
        )
        self.client.force_login(self.team)
        base = f"/admin/campagnes-reponses/?campaign={self.campaign.pk}&export="
        csv = self.client.get(base + "csv")
        self.assertEqual(csv.status_code, 200)
        self.assertIn("attachment;", csv["Content-Disposition"])
        self.assertIn("'=1+1", b"".join(csv.streaming_content).decode("utf-8-sig"))
        import io

        from openpyxl import load_workbook

        xlsx = self.client.get(base + "xlsx")
        sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
        values = [(c.value, c.data_type) for row in sheet.iter_rows() for c in row]
        self.assertIn(("=1+1", "s"), values)

    def test_only_the_campaign_group_sees_responses(self):
        post_answers(self.client, self.invitations[0], self.questions, action="submit")
        self.client.force_login(self.editor)
        urls = [
            "/admin/campagnes-reponses/",
            f"/admin/campagnes-reponses/?campaign={self.campaign.pk}&export=csv",
            f"/admin/snippets/campaigns/campaign/tableau/{self.campaign.pk}/",
            f"/admin/snippets/campaigns/campaign/publier/{self.campaign.pk}/",
            f"/admin/snippets/campaigns/campaign/edit/{self.campaign.pk}/",
        ]
        # Wagtail refuses a logged-in member without the permission by sending it back to the
        # dashboard with a message (302 to /admin/), never by showing the screen.
        for url in urls:
            with self.subTest(url=url):
                self.assertRedirects(
                    self.client.get(url), "/admin/", fetch_redirect_response=False
                )
        for action in ("renouveler", "envoyer"):
            url = (
                f"/admin/snippets/campaigns/campaign/invitation/{self.invitations[0].pk}/{action}/"
            )
            with self.subTest(url=url):
                self.assertRedirects(
                    self.client.post(url), "/admin/", fetch_redirect_response=False
                )
        self.assertNotContains(self.client.get("/admin/"), "/admin/campagnes-reponses/")
        self.client.post(f"/admin/snippets/campaigns/campaign/publier/{self.campaign.pk}/")
        self.campaign.refresh_from_db()
        self.assertFalse(self.campaign.results_published)
        self.client.logout()
        self.assertEqual(self.client.get(urls[2]).status_code, 302)

    def test_the_dashboard_shows_the_open_campaigns_to_the_campaign_team_only(self):
        self.client.force_login(self.team)
        response = self.client.get("/admin/")
        self.assertContains(response, "Campagnes en cours")
        self.assertContains(
            response,
            f'<a href="/admin/snippets/campaigns/campaign/tableau/{self.campaign.pk}/">'
            f"{self.campaign.name}</a>",
            html=True,
        )
        self.client.force_login(self.editor)
        response = self.client.get("/admin/")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Campagnes en cours")
        self.assertNotContains(response, "/tableau/")

    def test_the_team_copies_a_campaign_for_the_next_election(self):
        from wagtail.models import ModelLogEntry

        from campaigns.models import Campaign, Question, Response

        post_answers(self.client, self.invitations[0], self.questions, action="submit")
        self.campaign.reminder_offsets = "7, 2"
        self.campaign.save()
        url = f"/admin/snippets/campaigns/campaign/copier/{self.campaign.pk}/"
        data = {
            "name": "Élections 2030",
            "slug": "elections-2030",
            "opens_at": "1 septembre 2030 9 h 00",
            "closes_at": "1 août 2030 17 h 00",
            "publish_at": "",
        }
        # Another group may not copy (attacker's side); nothing is created.
        self.client.force_login(self.editor)
        # Wagtail sends a member without the permission back to the dashboard (302).
        assert_refused(self.client.post(url, {**data, "closes_at": "1 octobre 2030 17 h"}))
        self.assertEqual(Campaign.objects.count(), 1)
        self.client.force_login(self.team)
        self.assertContains(self.client.get(url), "Copier la campagne")
        # A deadline before the opening: a 400 with the campaign's own message, text kept.
        response = self.client.post(url, data)
        self.assertContains(response, "La date limite doit suivre l’ouverture.", status_code=400)
        self.assertContains(response, 'value="Élections 2030"', status_code=400)
        self.assertEqual(Campaign.objects.count(), 1)

        data["closes_at"] = "1 octobre 2030 17 h 00"
        response = self.client.post(url, data)
        copy = Campaign.objects.get(slug="elections-2030")
        self.assertRedirects(response, f"/admin/snippets/campaigns/campaign/tableau/{copy.pk}/")
        self.assertEqual(copy.reminder_offsets, "7, 2")
        self.assertEqual(
            list(copy.invitations.values_list("party", flat=True)),
            list(self.campaign.invitations.values_list("party", flat=True)),
        )
        self.assertFalse(copy.invitations.filter(opened_at__isnull=False).exists())
        (questionnaire,) = copy.questionnaires.all()
        self.assertEqual(questionnaire.title, self.questionnaire.title)
        copied = list(questionnaire.questions.all())
        self.assertEqual([q.text for q in copied], [q.text for q in self.questions])
        self.assertFalse({q.clean_name for q in copied} & {q.clean_name for q in self.questions})
        self.assertFalse(Response.objects.filter(questionnaire__campaign=copy).exists())
        # The old campaign keeps everything, and its private links still work.
        self.assertEqual(self.questionnaire.questions.count(), len(self.questions))
        self.assertEqual(Question.objects.count(), 2 * len(self.questions))
        self.assertEqual(Response.objects.filter(questionnaire=self.questionnaire).count(), 1)
        self.assertEqual(Invitation.for_token(self.invitations[0].token), self.invitations[0])
        entry = ModelLogEntry.objects.get(action="campaigns.copied")
        self.assertEqual((entry.object_id, entry.user), (str(copy.pk), self.team))
        self.assertEqual(entry.message, f"Campagne créée par copie de « {self.campaign.name} »")
        # The slug is the copy's own: a second copy under the same slug is refused.
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Campaign.objects.count(), 2)

    def test_the_team_sees_its_menu_and_renews_by_post_only(self):
        self.client.force_login(self.team)
        self.assertContains(self.client.get("/admin/"), "/admin/campagnes-reponses/")
        url = f"/admin/snippets/campaigns/campaign/invitation/{self.invitations[0].pk}/renouveler/"
        self.assertEqual(self.client.get(url).status_code, 405)
        response = self.client.post(url, follow=True)
        self.assertContains(response, "L’ancien lien ne fonctionne plus")

    @override_settings(**FAILING_SMTP)
    def test_invitation_with_a_failing_mail_server_says_so(self):
        self.client.force_login(self.team)
        url = f"/admin/snippets/campaigns/campaign/invitation/{self.invitations[0].pk}/envoyer/"
        response = self.client.post(url, follow=True)
        self.assertContains(response, "Le courriel n’a pas pu partir")
        self.assertIsNone(Invitation.objects.get(pk=self.invitations[0].pk).emailed_at)


class FailingMailServerTests(CampaignOnThemeTestData, TestCase):
    parties = 1

    def test_a_failing_mail_server_loses_nothing_and_sends_once(self):
        from django_tasks_db.models import DBTaskResult

        with override_settings(**FAILING_SMTP):
            response = post_answers(
                self.client, self.invitations[0], self.questions, action="submit"
            )
            self.assertEqual(response.status_code, 303)
            self.assertEqual(self.client.get(response["Location"]).status_code, 200)
            run_queued_tasks()
        version = ResponseVersion.objects.get()
        self.assertIsNone(version.confirmation_sent_at)
        self.assertEqual(len(mail.outbox), 0)
        retry = (
            DBTaskResult.objects.ready().count(),
            DBTaskResult.objects.filter(status="READY", run_after__gt=timezone.now()).count(),
        )
        self.assertEqual(retry, (0, 1))

        # The mail server is back, and the retry falls due.
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        run_queued_tasks()
        run_queued_tasks()
        self.assertEqual([m.to for m in mail.outbox], [[self.invitations[0].party.contact_email]])
        version.refresh_from_db()
        self.assertIsNotNone(version.confirmation_sent_at)
        # The retry kept the address the party used.
        self.assertIn("http://testserver/campagnes/acces/", mail.outbox[0].body)


class CampaignSnippetTests(TestCase):
    def test_team_creates_a_campaign_with_its_invited_parties(self):
        from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

        from campaigns.models import Campaign
        from tests.campaigns.factories import PartyFactory

        party = PartyFactory()
        team = get_user_model().objects.create_user("equipe", "equipe@example.org", "x")
        team.groups.add(Group.objects.get(name="Campagnes"))
        self.client.force_login(team)
        data = nested_form_data(
            {
                "name": "Élections municipales 2025",
                "slug": "municipales-2025",
                "intro": rich_text("<p>Bienvenue.</p>"),
                "opens_at": "2025-09-01 09:00",
                "closes_at": "2025-08-01 09:00",
                "publish_at": "",
                "licence": "cc-by-4.0",
                "invitations": inline_formset([{"party": party.pk}]),
            }
        )
        response = self.client.post("/admin/snippets/campaigns/campaign/add/", data)
        self.assertContains(response, "La date limite doit suivre l’ouverture.")
        self.assertFalse(Campaign.objects.exists())

        data["closes_at"] = "2025-10-01 09:00"
        # A row added and left empty is shown as an error, not dropped.
        with_empty_row = nested_form_data(
            {
                **{k: v for k, v in data.items() if not k.startswith("invitations-")},
                "invitations": inline_formset([{"party": party.pk}, {"party": ""}]),
            }
        )
        response = self.client.post("/admin/snippets/campaigns/campaign/add/", with_empty_row)
        self.assertContains(response, "Choisissez le parti de cette ligne")
        self.assertFalse(Campaign.objects.exists())

        response = self.client.post("/admin/snippets/campaigns/campaign/add/", data)
        self.assertEqual(response.status_code, 302)
        invitation = Campaign.objects.get().invitations.get()
        self.assertEqual(invitation.party, party)
        self.assertEqual(Invitation.for_token(invitation.token), invitation)

    def test_dates_are_typed_and_shown_in_french(self):
        from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

        from campaigns.models import Campaign
        from tests.campaigns.factories import PartyFactory

        party = PartyFactory()
        team = get_user_model().objects.create_user("equipe", "equipe@example.org", "x")
        team.groups.add(Group.objects.get(name="Campagnes"))
        self.client.force_login(team)
        data = nested_form_data(
            {
                "name": "Élections 2026",
                "slug": "elections-2026",
                "intro": rich_text("<p>Bienvenue.</p>"),
                "opens_at": "1er septembre 2026 à 9 h",
                "closes_at": "demain vers 17 h",
                "publish_at": "",
                "licence": "cc-by-4.0",
                "invitations": inline_formset([{"party": party.pk}]),
            }
        )
        response = self.client.post("/admin/snippets/campaigns/campaign/add/", data)
        self.assertContains(
            response,
            "Indiquez la date et l’heure en toutes lettres, par exemple "
            "« 15 septembre 2026 17 h 00 ».",
        )
        # What was typed comes back: the readable date in French, the other as typed.
        self.assertContains(response, 'value="1 septembre 2026 09 h 00"')
        self.assertContains(response, 'value="demain vers 17 h"')
        self.assertFalse(Campaign.objects.exists())

        data["closes_at"] = "15 Septembre 2026, 17:00"
        data["publish_at"] = "2026-09-16 08:30"
        response = self.client.post("/admin/snippets/campaigns/campaign/add/", data)
        self.assertEqual(response.status_code, 302)
        campaign = Campaign.objects.get()
        local = [timezone.localtime(d) for d in (campaign.opens_at, campaign.closes_at)]
        self.assertEqual([(d.month, d.day, d.hour) for d in local], [(9, 1, 9), (9, 15, 17)])
        edit = self.client.get(f"/admin/snippets/campaigns/campaign/edit/{campaign.pk}/")
        self.assertContains(edit, 'value="15 septembre 2026 17 h 00"')
        self.assertContains(edit, 'value="16 septembre 2026 08 h 30"')
        # The picker reads and writes the same French text.
        self.assertContains(edit, '"format": "j F Y H \\\\h i"')


class FrenchDateTests(SimpleTestCase):
    def test_french_dates_read_as_a_person_writes_them(self):
        from datetime import datetime

        from collectif.team.widgets import parse_french_datetime

        readable = {
            "15 septembre 2026 17 h 00": datetime(2026, 9, 15, 17, 0),
            "1er oct. 2026 à 9 h": datetime(2026, 10, 1, 9, 0),
            "3 fevrier 2027 8h30": datetime(2027, 2, 3, 8, 30),
            "15\xa0juillet 2026, 17:05": datetime(2026, 7, 15, 17, 5),
            "2026-12-03 10:41": datetime(2026, 12, 3, 10, 41),
        }
        for text, expected in readable.items():
            self.assertEqual(parse_french_datetime(text), expected, text)
        # « ju » could be juin or juillet; 31 février and a word are no dates.
        for text in ("15 ju 2026 17 h", "31 février 2026 10 h", "demain", "15 septembre 2026"):
            self.assertIsNone(parse_french_datetime(text), text)
