from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.test import TestCase, override_settings
from django.utils import timezone

from campaigns.models import Invitation, ResponseVersion
from tests.campaigns.factories import FAILING_SMTP, CampaignOnThemeTestData, post_answers
from tests.campaigns.worker import run_queued_tasks


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
