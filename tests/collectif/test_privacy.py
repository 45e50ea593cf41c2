"""Law 25: retention, access and erasure, by the management commands the team runs."""

import json
from datetime import UTC, datetime, timedelta
from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import timezone

from wagtail.contrib.search_promotions.models import Query, QueryDailyHits, SearchPromotion

from axes.models import AccessLog
from django_tasks_db.models import DBTaskResult

from campaigns.models import Party
from collectif import privacy
from newsletter.forms import CONSENT_TEXT
from newsletter.models import Subscriber
from newsletter.tasks import send_confirmation
from tests.campaigns.factories import InvitationFactory, PartyFactory
from tests.home.factories import build_site_tree

NOW = timezone.now()


def subscriber(email, created_days_ago=0, confirmed=False, unsubscribed_days_ago=None):
    created = NOW - timedelta(days=created_days_ago)
    return Subscriber.objects.create(
        email=email,
        consent_text=CONSENT_TEXT,
        created_at=created,
        confirmed_at=created if confirmed else None,
        unsubscribed_at=(
            NOW - timedelta(days=unsubscribed_days_ago)
            if unsubscribed_days_ago is not None
            else None
        ),
    )


class PurgeTests(TestCase):
    def test_purge_deletes_what_passed_its_retention_and_logs_the_run(self):
        subscriber("recent@exemple.ca", created_days_ago=6)
        subscriber("ancien@exemple.ca", created_days_ago=8)
        subscriber("abonne@exemple.ca", created_days_ago=400, confirmed=True)
        subscriber("parti-hier@exemple.ca", 100, confirmed=True, unsubscribed_days_ago=1)
        subscriber("parti-depuis@exemple.ca", 100, confirmed=True, unsubscribed_days_ago=31)

        old = send_confirmation.enqueue(1)
        DBTaskResult.objects.filter(pk=old.id).update(
            status="SUCCESSFUL", finished_at=NOW - timedelta(days=31)
        )
        fresh = send_confirmation.enqueue(2)
        DBTaskResult.objects.filter(pk=fresh.id).update(status="SUCCESSFUL", finished_at=NOW)
        waiting = send_confirmation.enqueue(3)

        promoted = Query.get("garderie")
        home = build_site_tree()["home"]
        SearchPromotion.objects.create(query=promoted, page=home, sort_order=0)
        stale = Query.get("vieille recherche")
        QueryDailyHits.objects.create(query=stale, date=(NOW - timedelta(days=91)).date(), hits=3)
        recent = Query.get("recherche recente")
        QueryDailyHits.objects.create(query=recent, date=NOW.date(), hits=1)
        Query.get("marie@exemple.ca")  # stored before the filter existed

        login = AccessLog.objects.create(username="x", ip_address="192.0.2.1", user_agent="")
        AccessLog.objects.filter(pk=login.pk).update(attempt_time=NOW - timedelta(days=91))

        out = StringIO()
        with self.assertLogs("collectif.privacy", "INFO") as logs:
            call_command("purge_personal_data", stdout=out)
        self.assertIn("Purge des données personnelles :", "\n".join(logs.output))
        self.assertIn("inscriptions à l’infolettre non confirmées : 1", out.getvalue())

        self.assertEqual(
            sorted(Subscriber.objects.values_list("email", flat=True)),
            ["abonne@exemple.ca", "parti-hier@exemple.ca", "recent@exemple.ca"],
        )
        self.assertFalse(DBTaskResult.objects.filter(pk=old.id).exists())
        self.assertTrue(DBTaskResult.objects.filter(pk=fresh.id).exists())
        self.assertTrue(DBTaskResult.objects.filter(pk=waiting.id).exists())
        self.assertEqual(
            sorted(Query.objects.values_list("query_string", flat=True)),
            ["garderie", "recherche recente"],
        )
        self.assertFalse(AccessLog.objects.exists())

    def test_the_hook_for_respondent_names_is_called(self):
        calls = []
        registered = privacy.PURGES.get(privacy.RESPONDENT_NAMES)
        if registered is None:
            with self.assertLogs("collectif.privacy", "WARNING") as logs:
                privacy.purge(NOW)
            self.assertIn("non faite", "\n".join(logs.output))

        @privacy.register_purge(privacy.RESPONDENT_NAMES)
        def purge_test(now):
            calls.append(now)
            return 4

        try:
            self.assertEqual(privacy.purge(NOW)[privacy.RESPONDENT_NAMES], 4)
        finally:
            if registered is None:
                del privacy.PURGES[privacy.RESPONDENT_NAMES]
            else:
                privacy.PURGES[privacy.RESPONDENT_NAMES] = registered
        self.assertEqual(calls, [NOW])

    def test_the_scheduler_runs_the_purge(self):
        subscriber("ancien@exemple.ca", created_days_ago=30)
        call_command("run_scheduler", once=True, stdout=StringIO())
        self.assertFalse(Subscriber.objects.exists())


class AccessAndErasureTests(TestCase):
    EMAIL = "Camille@Parti.example"

    @classmethod
    def setUpTestData(cls):
        cls.subscriber = subscriber("camille@parti.example", created_days_ago=3, confirmed=True)
        cls.party = PartyFactory(
            name="Parti de la famille", contact_name="Camille Fictive", contact_email=cls.EMAIL
        )
        cls.invitation = InvitationFactory(party=cls.party)
        cls.other = PartyFactory(contact_email="autre@parti.example")

    def test_export_writes_everything_stored_about_the_address_as_json(self):
        out = StringIO()
        with self.assertLogs("collectif.privacy", "INFO") as logs:
            call_command("export_personal_data", "camille@PARTI.example", stdout=out)
        data = json.loads(out.getvalue())
        self.assertEqual(data["infolettre"][0]["courriel"], "camille@parti.example")
        self.assertEqual(data["infolettre"][0]["statut"], "confirmé")
        self.assertEqual(data["infolettre"][0]["consentement_donne"], CONSENT_TEXT)
        [contact] = data["contacts_de_partis"]
        self.assertEqual(contact["parti"], "Parti de la famille")
        self.assertEqual(contact["personne_ressource"], "Camille Fictive")
        self.assertEqual(contact["invitations"][0]["campagne"], self.invitation.campaign.name)
        # The log says who asked without printing the address.
        self.assertNotIn("camille@", logs.output[0].lower())

    def test_erase_deletes_the_subscription_and_blanks_the_party_contact(self):
        out = StringIO()
        with self.assertLogs("collectif.privacy", "INFO") as logs:
            call_command("erase_personal_data", self.EMAIL, yes=True, stdout=out)
        self.assertIn("Effacement des données personnelles", logs.output[0])
        self.assertFalse(Subscriber.objects.exists())
        party = Party.objects.get(pk=self.party.pk)
        self.assertEqual((party.contact_name, party.contact_email), ("", ""))
        self.assertEqual(party.name, "Parti de la famille")  # the party and its answers stay
        self.assertTrue(party.invitations.exists())
        self.assertEqual(Party.objects.get(pk=self.other.pk).contact_email, "autre@parti.example")
        out = StringIO()
        call_command("export_personal_data", self.EMAIL, stdout=out)
        data = json.loads(out.getvalue())
        self.assertEqual((data["infolettre"], data["contacts_de_partis"]), ([], []))

    def test_a_bad_address_is_refused(self):
        with self.assertRaisesMessage(CommandError, "Adresse courriel invalide"):
            call_command("export_personal_data", "pas-une-adresse", stdout=StringIO())

    def test_erase_asks_for_confirmation(self):
        from unittest import mock

        with mock.patch("builtins.input", return_value="non"):
            with self.assertRaisesMessage(CommandError, "Rien n’a été effacé"):
                call_command("erase_personal_data", self.EMAIL, stdout=StringIO())
        self.assertTrue(Subscriber.objects.exists())


def test_dates_in_the_export_are_local():
    value = datetime(2026, 1, 15, 17, 30, tzinfo=UTC)
    assert privacy.when(value).startswith("2026-01-15T12:30:00-05:00")


def rows_holding(text):
    """[(table, column)] of every column of every table of the database with a row whose
    value, read as text, holds `text` (case-insensitive), on PostgreSQL and on SQLite."""
    from django.db import connection

    like = "ILIKE" if connection.vendor == "postgresql" else "LIKE"
    quote = connection.ops.quote_name
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                cursor.execute(
                    f"SELECT count(*) FROM {quote(table)} "
                    f"WHERE CAST({quote(column.name)} AS TEXT) {like} %s",
                    [f"%{text}%"],
                )
                if cursor.fetchone()[0]:
                    found.append((table, column.name))
    return found


class ErasureLeavesNothingTests(TestCase):
    """Everything the site does with a contact's address, then the erasure: no column of any
    table holds it any more."""

    EMAIL = "camille.contact@parti.example"

    def test_the_whole_database_is_searched_after_an_erasure(self):
        from campaigns.tasks import email_invitation
        from tests.campaigns.factories import campaign_on_theme, post_answers
        from tests.campaigns.worker import run_queued_tasks
        from tests.newsletter.factories import a_person_started

        theme = build_site_tree()["themes"][0]
        _, questionnaire, questions, (invitation, *_) = campaign_on_theme(theme)
        party = invitation.party
        party.contact_email = self.EMAIL.upper()
        party.save()
        # The team sends the link twice (two « Lien privé envoyé » entries), the party answers
        # and submits (its confirmation email), and the contact signs up for the newsletter.
        email_invitation(invitation, "http://testserver")
        email_invitation(invitation, "http://testserver")
        post_answers(self.client, invitation, questions, action="submit")
        self.client.post(
            "/infolettre/",
            {"email": self.EMAIL, "consent": "on", "started": a_person_started(self.client)},
        )
        run_queued_tasks()
        self.assertIn(("wagtailcore_modellogentry", "data"), rows_holding(self.EMAIL))

        out = StringIO()
        call_command("export_personal_data", self.EMAIL, stdout=out)
        sent = json.loads(out.getvalue())["liens_prives_envoyes"]
        self.assertEqual(len(sent), 2)
        self.assertEqual({entry["a"] for entry in sent}, {self.EMAIL.upper()})
        self.assertEqual(sent[0]["campagne"], invitation.campaign.name)

        call_command("erase_personal_data", self.EMAIL, yes=True, stdout=StringIO())
        self.assertEqual(rows_holding(self.EMAIL), [])
        self.assertEqual(rows_holding("camille.contact"), [])
        # The audit trail still says a link was sent, twice.
        from wagtail.models import ModelLogEntry

        self.assertEqual(ModelLogEntry.objects.filter(action="campaigns.link_emailed").count(), 2)
        out = StringIO()
        call_command("export_personal_data", self.EMAIL, stdout=out)
        self.assertEqual(json.loads(out.getvalue())["liens_prives_envoyes"], [])
