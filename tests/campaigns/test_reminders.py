"""Inviting every party, reminding those who have not submitted, and extending one party's
deadline, done by a plain member of « Campagnes »."""

from datetime import timedelta
from unittest import mock

from django.core import mail
from django.test import TestCase
from django.utils import timezone

from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from django_tasks_db.models import DBTaskResult

from campaigns import reminders
from campaigns.answers import french_datetime
from campaigns.models import Invitation, Reminder
from campaigns.tasks import schedule_campaign_reminders
from tests.campaigns.factories import (
    CampaignOnThemeTestData,
    answer_data,
    save_answers,
    team_member,
)
from tests.campaigns.worker import run_queued_tasks
from tests.collectif.support import assert_refused

ADMIN = "/admin/snippets/campaigns/campaign"


def run_tasks_at(when):
    """Runs the tasks due at `when`, as the worker would at that time (no waiting)."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        run_queued_tasks()


def reminder_mails():
    return [m for m in mail.outbox if m.subject.startswith("Rappel")]


def reminder_tasks():
    return DBTaskResult.objects.filter(task_path="campaigns.tasks.send_reminder")


class TeamCase(CampaignOnThemeTestData, TestCase):
    parties = 3

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.member = team_member()
        # The admin's date fields have minutes: a round deadline survives a save unchanged.
        cls.campaign.closes_at = (timezone.now() + timedelta(days=30)).replace(
            second=0, microsecond=0
        )
        cls.campaign.save()

    def setUp(self):
        self.client.force_login(self.member)

    def board(self):
        return self.client.get(f"{ADMIN}/tableau/{self.campaign.pk}/")

    def save_campaign(self, **changes):
        """The campaign's edit form, posted as the team would, with its invitations."""
        campaign = self.campaign
        local = timezone.localtime
        invitations = list(campaign.invitations.all())
        data = {
            "name": campaign.name,
            "slug": campaign.slug,
            "intro": rich_text(""),
            "opens_at": local(campaign.opens_at).strftime("%Y-%m-%d %H:%M"),
            "closes_at": local(campaign.closes_at).strftime("%Y-%m-%d %H:%M"),
            "publish_at": "",
            "reminder_offsets": campaign.reminder_offsets,
            "licence": campaign.licence,
            "invitations": inline_formset(
                [{"id": i.pk, "party": i.party_id} for i in invitations],
                initial=len(invitations),
            ),
        }
        data.update(changes)
        response = self.client.post(f"{ADMIN}/edit/{campaign.pk}/", nested_form_data(data))
        campaign.refresh_from_db()
        return response

    def extend(self, invitation, deadline, **extra):
        value = deadline if isinstance(deadline, str) else local_input(deadline)
        return self.client.post(
            f"{ADMIN}/invitation/{invitation.pk}/prolonger/", {"deadline": value}, **extra
        )


def local_input(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


class InviteAllTests(TeamCase):
    def url(self):
        return f"{ADMIN}/inviter/{self.campaign.pk}/"

    def test_invite_all_confirms_first_then_sends_once_per_party(self):
        first, second, already = self.invitations
        Invitation.objects.filter(pk=already.pk).update(
            emailed_at=timezone.now() - timedelta(days=1)
        )
        confirm = self.client.get(self.url())
        self.assertEqual(confirm.status_code, 200)
        to_send = confirm.content.decode().split("data-invite-to-send")[1].split("</ul>")[0]
        skipped = confirm.content.decode().split("data-invite-skipped")[1].split("</ul>")[0]
        self.assertIn(first.party.name, to_send)
        self.assertIn(second.party.name, to_send)
        self.assertNotIn(already.party.name, to_send)
        self.assertIn(already.party.name, skipped)
        self.assertEqual(mail.outbox, [])  # the confirmation page sends nothing

        done = self.client.post(self.url(), HTTP_HOST="collectif.example:8300", follow=True)
        self.assertContains(done, "2 invitations en cours d’envoi. 1 parti ignoré")
        # A double click, and the worker run twice: still one email per party.
        self.client.post(self.url(), HTTP_HOST="collectif.example:8300")
        run_queued_tasks()
        run_queued_tasks()

        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox),
            sorted([first.party.contact_email, second.party.contact_email]),
        )
        for invitation in (first, second):
            body = next(m.body for m in mail.outbox if m.to == [invitation.party.contact_email])
            self.assertIn(f"http://collectif.example:8300{invitation.private_path}", body)
            self.assertIn(french_datetime(self.campaign.closes_at), body)
        entries = ModelLogEntry.objects.filter(action="campaigns.link_emailed")
        self.assertEqual(entries.count(), 2)
        self.assertEqual({e.user for e in entries}, {self.member})
        self.assertTrue(all(Invitation.objects.filter(pk=first.pk).values_list("emailed_at")))
        # Nothing stored opens a private link: the queued tasks carry the address, no token.
        for result in DBTaskResult.objects.all():
            self.assertNotIn(first.token, str(result.args_kwargs))
        # Everyone has the link now: the page says so and sends nothing more.
        self.assertContains(self.client.get(self.url()), "Aucun parti à inviter")
        self.client.post(self.url())
        run_queued_tasks()
        self.assertEqual(len(mail.outbox), 2)

    def test_two_tasks_for_one_party_send_one_email(self):
        from campaigns.tasks import send_invitation_email

        invitation = self.invitations[0]
        send_invitation_email.enqueue(invitation.pk, "http://a.example", self.member.pk)
        send_invitation_email.enqueue(invitation.pk, "http://a.example", self.member.pk)
        run_queued_tasks()
        self.assertEqual(len(mail.outbox), 1)


class ReminderTests(TeamCase):
    def deadline(self):
        return self.campaign.closes_at

    def test_saving_the_campaign_plans_each_reminder_at_its_time_once(self):
        response = self.save_campaign(reminder_offsets="7, 2")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.campaign.reminder_days(), [7, 2])
        expected = {self.deadline() - timedelta(days=7), self.deadline() - timedelta(days=2)}
        self.assertEqual({t.run_after for t in reminder_tasks()}, expected)
        self.assertEqual(reminder_tasks().count(), 2 * len(self.invitations))
        self.save_campaign()  # saved again, unchanged: nothing planned twice
        self.assertEqual(reminder_tasks().count(), 2 * len(self.invitations))
        self.assertEqual(Reminder.objects.count(), 2 * len(self.invitations))
        board = self.board()
        self.assertContains(board, "Rappels : 7, 2 jours avant la date limite")
        self.assertContains(
            board, f"7 j avant : prévu le {french_datetime(self.deadline() - timedelta(days=7))}"
        )

    def test_a_party_added_later_gets_its_reminders(self):
        from tests.campaigns.factories import PartyFactory

        self.save_campaign(reminder_offsets="7")
        newcomer = PartyFactory()
        invitations = list(self.campaign.invitations.all())
        rows = [{"id": i.pk, "party": i.party_id} for i in invitations]
        self.save_campaign(
            invitations=inline_formset(rows + [{"party": newcomer.pk}], initial=len(rows))
        )
        added = Invitation.objects.get(campaign=self.campaign, party=newcomer)
        self.assertEqual(Reminder.objects.filter(invitation=added).count(), 1)
        self.assertEqual(reminder_tasks().count(), len(invitations) + 1)

    def test_reminders_reach_only_the_parties_still_expected_and_never_twice(self):
        submitted, drafting, silent = self.invitations
        self.save_campaign(reminder_offsets="7, 2")
        save_answers(self.questionnaire, self.questions, submitted.party)
        save_answers(self.questionnaire, self.questions, drafting.party, action="save")
        run_queued_tasks()  # now: only the submission's emails are due
        self.assertEqual(reminder_mails(), [])
        self.assertContains(self.board(), "Aucun autre rappel", count=1)

        seven_days = self.deadline() - timedelta(days=7, minutes=-1)
        run_tasks_at(seven_days)
        run_tasks_at(seven_days)
        sent = reminder_mails()
        self.assertEqual(
            sorted(m.to[0] for m in sent),
            sorted([drafting.party.contact_email, silent.party.contact_email]),
        )
        body = next(m.body for m in sent if m.to == [silent.party.contact_email])
        self.assertIn(f"http://testserver{silent.private_path}", body)
        self.assertIn(self.questionnaire.title, body)
        local_deadline = timezone.localtime(self.deadline())
        self.assertIn(f"{local_deadline:%H} h {local_deadline:%M}", body)
        self.assertIn(french_datetime(self.deadline()), body)
        skipped = Reminder.objects.get(invitation=submitted, days_before=7)
        self.assertEqual(skipped.skip_reason, reminders.ALL_SUBMITTED)
        self.assertIsNone(skipped.sent_at)

        run_tasks_at(self.deadline() - timedelta(days=2, minutes=-1))
        self.assertEqual(len(reminder_mails()), 4)
        entries = ModelLogEntry.objects.filter(action="campaigns.reminder_sent")
        self.assertEqual(entries.count(), 4)
        self.assertEqual({int(e.object_id) for e in entries}, {drafting.pk, silent.pk})
        board = self.board()
        self.assertContains(board, "Rappel envoyé (2 j avant la date limite")  # the journal
        self.assertContains(board, "Rappel 2 j avant : envoyé le", count=2)
        self.assertContains(board, f"Rappel 7 j avant : annulé ({reminders.ALL_SUBMITTED})")
        self.assertContains(board, "envoi automatique")

        self.save_campaign()  # saving after they went out plans nothing again
        run_tasks_at(self.deadline() - timedelta(hours=1))
        self.assertEqual(len(reminder_mails()), 4)

    def test_no_reminder_after_submission_made_since_it_was_planned(self):
        party = self.invitations[0]
        self.save_campaign(reminder_offsets="2")
        save_answers(self.questionnaire, self.questions, party.party)
        run_tasks_at(self.deadline() - timedelta(days=2, minutes=-1))
        self.assertNotIn([party.party.contact_email], [m.to for m in reminder_mails()])
        self.assertEqual(len(reminder_mails()), 2)

    def test_no_reminder_after_the_deadline(self):
        self.save_campaign(reminder_offsets="7, 2")
        # The worker was down until after the deadline: nothing goes out late.
        run_tasks_at(self.deadline() + timedelta(hours=1))
        self.assertEqual(reminder_mails(), [])
        self.assertEqual(
            set(Reminder.objects.values_list("skip_reason", flat=True)),
            {reminders.PAST_DEADLINE},
        )

    def test_a_late_worker_sends_only_the_nearest_reminder(self):
        self.save_campaign(reminder_offsets="7, 2")
        run_tasks_at(self.deadline() - timedelta(days=1))
        self.assertEqual(len(reminder_mails()), len(self.invitations))
        self.assertIn(
            "2 j", str(ModelLogEntry.objects.filter(action="campaigns.reminder_sent")[0].message)
        )

    def test_a_reminder_checks_the_deadline_again_when_it_runs(self):
        self.save_campaign(reminder_offsets="7")
        planned_for = self.deadline()
        # Moved outside the admin (a shell, an import): the task itself notices.
        self.campaign.closes_at = planned_for + timedelta(days=5)
        self.campaign.save()
        run_tasks_at(planned_for - timedelta(days=7, minutes=-1))
        self.assertEqual(reminder_mails(), [])
        self.assertEqual(
            set(Reminder.objects.values_list("skip_reason", flat=True)),
            {reminders.CHANGED_DEADLINE},
        )

    def test_offsets_already_past_are_not_planned(self):
        self.campaign.closes_at = timezone.now() + timedelta(days=3)
        self.campaign.save()
        schedule_campaign_reminders(self.campaign, base_url="http://testserver")
        self.campaign.reminder_offsets = "7, 2"
        self.campaign.save()
        schedule_campaign_reminders(self.campaign, base_url="http://testserver")
        self.assertEqual(set(Reminder.objects.values_list("days_before", flat=True)), {2})

    def test_a_removed_offset_is_skipped_and_can_come_back(self):
        self.save_campaign(reminder_offsets="7, 2")
        self.save_campaign(reminder_offsets="2")
        removed = Reminder.objects.filter(days_before=7)
        self.assertEqual(
            set(removed.values_list("skip_reason", flat=True)), {reminders.REMOVED_OFFSET}
        )
        self.save_campaign(reminder_offsets="7, 2")
        self.assertFalse(Reminder.objects.filter(skipped_at__isnull=False).exists())
        run_tasks_at(self.deadline() - timedelta(days=7, minutes=-1))
        self.assertEqual(len(reminder_mails()), len(self.invitations))

    def test_bad_offsets_get_a_french_message(self):
        for value, message in (
            ("7, deux", "nombres entiers de jours"),
            ("0", "de 1 à 60 jours"),
            ("90", "de 1 à 60 jours"),
        ):
            response = self.save_campaign(reminder_offsets=value)
            self.assertContains(response, message)
            self.assertEqual(self.campaign.reminder_offsets, "")
        self.assertFalse(Reminder.objects.exists())


class ExtensionTests(TeamCase):
    def test_an_extension_reschedules_that_partys_reminders(self):
        extended, other, _ = self.invitations
        self.save_campaign(reminder_offsets="7")
        new_deadline = self.campaign.closes_at + timedelta(days=10)
        response = self.extend(extended, new_deadline)
        self.assertEqual(response.status_code, 302)
        old = Reminder.objects.get(invitation=extended, deadline=self.campaign.closes_at)
        self.assertEqual(old.skip_reason, reminders.CHANGED_DEADLINE)
        new = Reminder.objects.get(invitation=extended, deadline=new_deadline)
        self.assertEqual(new.send_at, new_deadline - timedelta(days=7))
        self.assertTrue(reminder_tasks().filter(run_after=new.send_at).exists())

        run_tasks_at(self.campaign.closes_at - timedelta(days=7, minutes=-1))
        self.assertNotIn([extended.party.contact_email], [m.to for m in reminder_mails()])
        self.assertIn([other.party.contact_email], [m.to for m in reminder_mails()])

        run_tasks_at(new_deadline - timedelta(days=7, minutes=-1))
        mails = [m for m in reminder_mails() if m.to == [extended.party.contact_email]]
        self.assertEqual(len(mails), 1)
        self.assertIn(french_datetime(new_deadline), mails[0].body)

        entry = ModelLogEntry.objects.get(action="campaigns.deadline_extended")
        self.assertEqual(entry.user, self.member)
        self.assertEqual(int(entry.object_id), extended.pk)
        board = self.board()
        self.assertContains(board, "Date limite prolongée pour ce parti jusqu’au")
        self.assertContains(board, "(prolongée pour ce parti)", count=1)

    def test_the_extension_opens_the_form_for_that_party_only(self):
        extended, other, _ = self.invitations
        self.campaign.opens_at = timezone.now() - timedelta(days=10)
        self.campaign.closes_at = timezone.now() - timedelta(hours=1)
        self.campaign.save()
        new_deadline = (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
        self.assertEqual(self.extend(extended, new_deadline).status_code, 302)
        self.client.logout()

        page = self.client.get(extended.questionnaire_path(self.questionnaire))
        self.assertContains(page, french_datetime(new_deadline))
        self.assertEqual(
            self.client.post(
                extended.questionnaire_path(self.questionnaire),
                answer_data(self.questions, action="submit"),
            ).status_code,
            303,
        )
        self.assertEqual(
            self.client.post(
                other.questionnaire_path(self.questionnaire),
                answer_data(self.questions, action="submit"),
            ).status_code,
            403,
        )
        run_queued_tasks()
        confirmation = next(m for m in mail.outbox if m.to == [extended.party.contact_email])
        self.assertIn(f"jusqu’au {french_datetime(new_deadline)}", confirmation.body)
        autosave = f"{extended.questionnaire_path(self.questionnaire)}brouillon/"
        other_autosave = f"{other.questionnaire_path(self.questionnaire)}brouillon/"
        data = answer_data(self.questions, base_revision=1)
        self.assertEqual(self.client.post(other_autosave, data).status_code, 403)
        self.assertEqual(self.client.post(autosave, data).status_code, 200)

        self.client.force_login(self.member)
        board = self.board()
        self.assertContains(board, "(prolongée pour ce parti)", count=1)
        publish = self.client.get(f"{ADMIN}/publier/{self.campaign.pk}/").content.decode()
        self.assertIn(
            "encore ouverte pour les partis dont la date limite a été prolongée", publish
        )
        parties = publish.split("peuvent encore modifier")[1].split("</ul>")[0]
        self.assertIn(extended.party.name, parties)
        self.assertNotIn(other.party.name, parties)

    def test_a_refused_date_gets_a_french_message(self):
        invitation = self.invitations[0]
        for value, message in (
            ("", "Indiquez la nouvelle date limite"),
            ("demain", "date et une heure valides"),
            (local_input(self.campaign.closes_at - timedelta(days=1)), "doit suivre celle"),
        ):
            response = self.extend(invitation, value)
            self.assertEqual(response.status_code, 400)
            self.assertContains(response, message, status_code=400)
            self.assertContains(response, 'aria-invalid="true"', status_code=400)
        self.campaign.closes_at = timezone.now() - timedelta(days=2)
        self.campaign.save()
        response = self.extend(invitation, timezone.now() - timedelta(days=1))
        self.assertContains(response, "dans le futur", status_code=400)
        invitation.refresh_from_db()
        self.assertIsNone(invitation.deadline)
        self.assertFalse(ModelLogEntry.objects.filter(action="campaigns.deadline_extended"))

    def test_a_user_without_campaign_rights_cannot_extend(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        editor = get_user_model().objects.create_user("redaction", password="x")
        editor.groups.add(Group.objects.get(name="Rédaction"))
        self.client.force_login(editor)
        # Wagtail sends a member without the permission back to the dashboard (302).
        assert_refused(
            self.extend(self.invitations[0], self.campaign.closes_at + timedelta(days=1))
        )
        self.assertIsNone(Invitation.objects.get(pk=self.invitations[0].pk).deadline)
        assert_refused(self.client.post(f"{ADMIN}/inviter/{self.campaign.pk}/"))
        self.assertFalse(DBTaskResult.objects.filter(task_path__startswith="campaigns.").exists())
