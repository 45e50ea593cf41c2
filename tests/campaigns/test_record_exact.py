"""The record of one campaign at fixed times, every output compared whole: the theme page's
table, the open data (its JSON document, its long and wide rows), the public changes of the
feeds, the search text and the team's spreadsheet cells. The open data's names and values are
a public contract (journalists' scripts read them): a renamed key, a lost date or a draft
that leaks fails here.

The scenario: party A submits before the publication, corrects one answer after it, then
keeps corrections in draft; party B answers after the publication and declines a question,
with a text typed before declining; party C never answers; party D submits before the
publication, again at the very moment of the publication, then once more through the team.
The second question is reworded afterwards. A second questionnaire of the same campaign has
one question that nobody answers; another campaign, still under embargo, has an answer.

Mutation testing of campaigns/records.py (docs/performance.md, « Tests de mutation »): this
module was written against the survivors of a run without it (749 of 795 killed); of those
survivors, 14 were applied by hand, and 12 are killed here. The two left change nothing a
reader can see:
- `published_versions` ordered by number alone: the versions are grouped per response after
  the query, in the order of their numbers either way;
- `public_changes` taking a first submission made at the very microsecond of the publication
  as part of it rather than as an answer given afterwards."""

import datetime
from contextlib import contextmanager
from unittest import mock

from django.test import TestCase
from django.utils import timezone

from campaigns import records
from campaigns.answers import ANSWERED, DECLINED, MISSING
from campaigns.forms import response_form
from campaigns.models import ResponseVersion
from campaigns.reading import TEAM, Reading
from campaigns.submissions import save_response
from tests.campaigns.factories import (
    InvitationFactory,
    QuestionFactory,
    QuestionnaireFactory,
    answer_data,
    campaign_on_theme,
    current_revision,
    save_answers,
    team_member,
)
from tests.home.factories import build_site_tree

TZ = timezone.get_fixed_timezone(-300)
SUBMITTED_A = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=TZ)
PUBLISHED = datetime.datetime(2026, 11, 5, 12, 0, tzinfo=TZ)
ANSWERED_B = datetime.datetime(2026, 11, 6, 10, 30, tzinfo=TZ)
CORRECTED_A = datetime.datetime(2026, 11, 7, 8, 15, tzinfo=TZ)
DRAFT_A = datetime.datetime(2026, 11, 8, 8, 0, tzinfo=TZ)
BEFORE_D = datetime.datetime(2026, 11, 1, 9, 0, tzinfo=TZ)
TEAM_D = datetime.datetime(2026, 11, 8, 9, 0, tzinfo=TZ)
REWORDED = datetime.datetime(2026, 11, 9, 14, 0, tzinfo=TZ)


@contextmanager
def at(moment):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


class ExactRecordTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        theme = build_site_tree()["themes"][0]
        cls.campaign, cls.first, cls.questions, invitations = campaign_on_theme(
            theme,
            parties=4,
            questions=2,
            opens_at=SUBMITTED_A - datetime.timedelta(days=10),
            closes_at=DRAFT_A + datetime.timedelta(days=10),
        )
        cls.a, cls.b, cls.c, cls.d = (i.party for i in invitations)
        cls.second = QuestionnaireFactory(campaign=cls.campaign, title="Deuxième")
        cls.other = QuestionFactory(questionnaire=cls.second, label="Autre")
        q1, q2 = cls.questions
        with at(BEFORE_D):
            save_answers(cls.first, cls.questions, cls.d, **{q1.clean_name: "D d’abord"})
        with at(SUBMITTED_A):
            save_answers(cls.first, cls.questions, cls.a, **{q1.clean_name: "Oui, dès 2027"})
        with at(PUBLISHED):
            cls.campaign.publish_results(user=None)
            save_answers(cls.first, cls.questions, cls.d, **{q1.clean_name: "D au moment"})
        with at(ANSWERED_B):
            save_answers(
                cls.first,
                cls.questions,
                cls.b,
                **{
                    q1.clean_name: "Peut-être",
                    q2.clean_name: "texte tapé avant de décliner",
                    f"{q2.clean_name}__status": DECLINED,
                    f"{q2.clean_name}__explanation": "expliqué avant de décliner",
                },
            )
        with at(CORRECTED_A):
            save_answers(cls.first, cls.questions, cls.a, **{q1.clean_name: "Oui, dès 2026"})
        with at(DRAFT_A):
            save_answers(
                cls.first, cls.questions, cls.a, action="save", **{q1.clean_name: "Brouillon"}
            )
        with at(TEAM_D):
            data = answer_data(
                cls.questions,
                action="submit",
                base_revision=current_revision(cls.first, cls.d),
                **{q1.clean_name: "D par l’équipe"},
            )
            form = response_form(cls.questions, data=data, action="submit")
            assert form.is_valid(), form.errors
            save_response(cls.first, cls.d, form.sent(), entered_by=team_member())
        with at(REWORDED):
            cls.old_text = q2.text
            q2.text = "Une question reformulée?"
            q2.save()
        cls.questions = list(cls.first.questions.all())
        embargoed = QuestionnaireFactory(title="Sous embargo")
        secret = QuestionFactory(questionnaire=embargoed)
        cls.embargoed = embargoed
        party = InvitationFactory(campaign=embargoed.campaign).party
        save_answers(embargoed, [secret], party, **{secret.clean_name: "secret"})
        cls.campaign.refresh_from_db()

    def versions(self, party):
        return list(
            ResponseVersion.objects.filter(
                response__party=party, kind=ResponseVersion.SUBMITTED
            ).order_by("number")
        )

    def test_the_theme_page_table(self):
        q1, q2 = self.questions
        table = records.published_table(self.first, self.questions)
        invited = [self.a, self.b, self.c, self.d]
        self.assertEqual(set(table["parties"]), set(invited))
        self.assertEqual(table["all_parties"], table["parties"])
        self.assertEqual(
            (table["campaign"], table["questionnaire"], table["questions"], table["selection"]),
            (self.campaign, self.first, self.questions, None),
        )
        self.assertEqual(table["narrowed_questions"], set())
        first, second = table["table"]
        self.assertEqual((first["question"], first["reworded_on"]), (q1, ""))
        self.assertEqual((second["question"], second["reworded_on"]), (q2, "9 novembre 2026"))
        rows = {row["party"]: row for row in first["rows"]}
        a = rows[self.a]
        self.assertEqual((a["answer"].status, a["answer"].text), (ANSWERED, "Oui, dès 2026"))
        self.assertEqual(a["earlier_wording"], "")
        self.assertEqual(a["modified_on"], "7 novembre 2026")
        self.assertEqual(a["modified_at"], CORRECTED_A)
        self.assertIs(a["entered_by_team"], False)
        [earlier] = a["earlier"]
        self.assertEqual(earlier["answer"].text, "Oui, dès 2027")
        self.assertEqual(earlier["published_at"], SUBMITTED_A)
        self.assertEqual(earlier["published_on"], "2 novembre 2026")
        self.assertIn("2027", str(earlier["diff"]))
        b = rows[self.b]
        self.assertEqual((b["answer"].text, b["modified_on"], b["earlier"]), ("Peut-être", "", []))
        self.assertEqual((b["modified_at"], b["entered_by_team"]), (None, False))
        c = rows[self.c]
        self.assertEqual(
            (c["answer"].status, c["earlier"], c["entered_by_team"]), (MISSING, [], False)
        )
        # D: the version current at the publication, the one made at its very moment, then the
        # team's: three published texts, newest first below the current one.
        d = rows[self.d]
        self.assertEqual(d["answer"].text, "D par l’équipe")
        self.assertIs(d["entered_by_team"], True)
        self.assertEqual((d["modified_at"], d["modified_on"]), (TEAM_D, "8 novembre 2026"))
        self.assertEqual(
            [(e["answer"].text, e["published_at"]) for e in d["earlier"]],
            [("D au moment", PUBLISHED), ("D d’abord", BEFORE_D)],
        )
        second_rows = {row["party"]: row for row in second["rows"]}
        declined = second_rows[self.b]["answer"]
        self.assertEqual(
            (declined.status, declined.text, declined.explanation), (DECLINED, "", "")
        )
        # A answered the question before it was reworded: the wording it answered is shown.
        self.assertEqual(second_rows[self.a]["earlier_wording"], self.old_text)
        self.assertEqual(second_rows[self.b]["earlier_wording"], self.old_text)
        self.assertEqual(second_rows[self.c]["earlier_wording"], "")

    def test_a_comparison_narrows_the_table_to_what_it_compares(self):
        q1, q2 = self.questions
        query = {"partis": [str(self.b.pk)], "questions": [q2.clean_name]}
        selection = records.Selection(_Query(query))
        table = records.published_table(self.first, self.questions, selection)
        self.assertEqual(table["parties"], [self.b])
        self.assertEqual([part["question"] for part in table["table"]], [q2])
        self.assertEqual(table["narrowed_questions"], {q2.clean_name})
        self.assertEqual(
            selection.query_string([self.a.pk, self.b.pk], [q1.clean_name, q2.clean_name]),
            f"partis={self.b.pk}&questions={q2.clean_name}",
        )
        # A question of another questionnaire narrows nothing here.
        other = records.Selection(_Query({"questions": [self.other.clean_name]}))
        table = records.published_table(self.first, self.questions, other)
        self.assertEqual([part["question"] for part in table["table"]], self.questions)
        self.assertEqual(table["narrowed_questions"], set())

    def test_the_open_data_document(self):
        q1, q2 = self.questions
        first_a, corrected_a = self.versions(self.a)
        [version_b] = self.versions(self.b)
        document = records.open_data_document(self.campaign)
        self.assertEqual(
            {k: v for k, v in document.items() if k != "questionnaires"},
            {
                "campagne_id": self.campaign.pk,
                "campagne": self.campaign.name,
                "identifiant": self.campaign.slug,
                "date_limite": records.iso_datetime(self.campaign.closes_at),
                "publiee_le": "2026-11-05T12:00:00-05:00",
            },
        )
        first, second = document["questionnaires"]
        self.assertEqual(
            {k: v for k, v in first.items() if k != "reponses"},
            {
                "questionnaire_id": self.first.pk,
                "titre": self.first.title,
                "questions": [
                    {
                        "question_id": q.clean_name,
                        "cle": q.clean_name,
                        "titre": q.label,
                        "texte": q.text,
                        "reformulee_le": None if q == q1 else "2026-11-09T14:00:00-05:00",
                    }
                    for q in self.questions
                ],
            },
        )
        by_party = {entry["parti_id"]: entry for entry in first["reponses"]}
        a, b, c = (by_party[p.pk] for p in (self.a, self.b, self.c))
        self.assertEqual(
            {k: v for k, v in a.items() if k != "reponses"},
            {
                "parti_id": self.a.pk,
                "parti": self.a.name,
                "sigle": self.a.short_name,
                "reponse_id": corrected_a.response_id,
                "statut": "submitted",
                "statut_libelle": "soumise",
                "version_id": corrected_a.pk,
                "version_numero": 2,
                "soumise_le": "2026-11-07T08:15:00-05:00",
                "versions_publiees": [
                    {
                        "version_id": first_a.pk,
                        "version_numero": 1,
                        "soumise_le": "2026-11-02T09:00:00-05:00",
                    },
                    {
                        "version_id": corrected_a.pk,
                        "version_numero": 2,
                        "soumise_le": "2026-11-07T08:15:00-05:00",
                    },
                ],
            },
        )
        self.assertEqual(
            a["reponses"][0],
            {
                "question_id": q1.clean_name,
                "cle": q1.clean_name,
                "question_repondue": q1.text,
                "statut": ANSWERED,
                "statut_libelle": "a répondu",
                "reponse": "Oui, dès 2026",
                "explication": "",
                "reponse_prevue_le": None,
                "modifiee_le": "2026-11-07T08:15:00-05:00",
                "versions_publiees_precedentes": [
                    {
                        "publiee_le": "2026-11-02T09:00:00-05:00",
                        "question_id": q1.clean_name,
                        "cle": q1.clean_name,
                        "question_repondue": q1.text,
                        "statut": ANSWERED,
                        "statut_libelle": "a répondu",
                        "reponse": "Oui, dès 2027",
                        "explication": "",
                        "reponse_prevue_le": None,
                    }
                ],
            },
        )
        self.assertEqual(
            (b["version_id"], b["soumise_le"], b["reponses"][1]["statut"]),
            (version_b.pk, "2026-11-06T10:30:00-05:00", DECLINED),
        )
        self.assertEqual((b["reponses"][1]["reponse"], b["reponses"][1]["explication"]), ("", ""))
        self.assertEqual(b["reponses"][1]["modifiee_le"], None)
        self.assertEqual(
            {k: c[k] for k in ("reponse_id", "statut", "version_id", "soumise_le")},
            {"reponse_id": None, "statut": "missing", "version_id": None, "soumise_le": None},
        )
        self.assertEqual(c["versions_publiees"], [])
        self.assertEqual([r["statut"] for r in c["reponses"]], [MISSING, MISSING])
        # The second questionnaire: nobody answered, every party listed.
        self.assertEqual([r["statut"] for r in second["reponses"]], ["missing"] * 4)
        d = by_party[self.d.pk]
        self.assertEqual(
            [v["soumise_le"] for v in d["versions_publiees"]],
            [
                "2026-11-01T09:00:00-05:00",
                "2026-11-05T12:00:00-05:00",
                "2026-11-08T09:00:00-05:00",
            ],
        )
        self.assertEqual(d["reponses"][0]["modifiee_le"], "2026-11-08T09:00:00-05:00")
        self.assertEqual(
            [e["reponse"] for e in d["reponses"][0]["versions_publiees_precedentes"]],
            ["D au moment", "D d’abord"],
        )

    def test_the_long_and_wide_rows(self):
        q1, _ = self.questions
        record = records.open_data_record(self.campaign)
        long = records.long_rows(self.campaign, record)
        rows_a = [
            r for r in long if r["parti_id"] == self.a.pk and r["question_id"] == q1.clean_name
        ]
        self.assertEqual(
            [
                (r["version_numero"], r["version_courante"], r["reponse"], r["soumise_le"])
                for r in rows_a
            ],
            [
                (1, False, "Oui, dès 2027", "2026-11-02T09:00:00-05:00"),
                (2, True, "Oui, dès 2026", "2026-11-07T08:15:00-05:00"),
            ],
        )
        row = rows_a[1]
        self.assertEqual(
            {k: row[k] for k in ("questionnaire", "question_titre", "question_texte")},
            {
                "questionnaire": self.first.title,
                "question_titre": q1.label,
                "question_texte": q1.text,
            },
        )
        self.assertEqual(
            (row["question_repondue"], row["question_reformulee_le"], row["explication"]),
            (q1.text, None, ""),
        )
        self.assertEqual((row["statut"], row["reponse_prevue_le"]), (ANSWERED, None))
        never = [
            r
            for r in long
            if r["parti_id"] == self.c.pk and r["questionnaire_id"] == self.first.pk
        ]
        self.assertEqual(
            [
                (r["version_id"], r["version_numero"], r["version_courante"], r["soumise_le"])
                for r in never
            ],
            [(None, None, False, None)] * 2,
        )
        # Under the wording each party answered, with the date of the rewording.
        q2_of_a = next(
            r
            for r in long
            if r["parti_id"] == self.a.pk
            and r["question_id"] == self.questions[1].clean_name
            and r["version_courante"]
        )
        self.assertEqual(
            (
                q2_of_a["question_repondue"],
                q2_of_a["question_texte"],
                q2_of_a["question_reformulee_le"],
            ),
            (self.old_text, "Une question reformulée?", "2026-11-09T14:00:00-05:00"),
        )
        wide = records.wide_rows(self.campaign, record)
        self.assertEqual(len(wide), 8)  # 4 parties × 2 questionnaires
        row_a = next(
            r
            for r in wide
            if r["parti_id"] == self.a.pk and r["questionnaire_id"] == self.first.pk
        )
        self.assertEqual(row_a[f"{q1.clean_name}__reponse"], "Oui, dès 2026")
        self.assertEqual(row_a[f"{self.other.clean_name}__statut"], None)

    def test_the_public_changes_of_the_feeds(self):
        q1, _ = self.questions
        changes = records.public_changes(self.campaign)
        self.assertEqual(
            [
                (c["kind"], c["at"], c["party"], c["questionnaire"], c["questions"])
                for c in changes
            ],
            [
                (records.PUBLISHED, PUBLISHED, None, None, []),
                (records.CORRECTED, PUBLISHED, self.d, self.first, [q1.label]),
                (
                    records.ANSWERED_LATER,
                    ANSWERED_B,
                    self.b,
                    self.first,
                    [q.label for q in self.questions],
                ),
                (records.CORRECTED, CORRECTED_A, self.a, self.first, [q1.label]),
                (records.CORRECTED, TEAM_D, self.d, self.first, [q1.label]),
            ],
        )

    def test_the_search_text_and_the_team_cells(self):
        # Never what a campaign under embargo holds, even asked with a public one.
        self.assertEqual(records.public_search_text([self.embargoed]), "")
        lines = records.public_search_text([self.first, self.embargoed]).split("\n")
        self.assertEqual(
            sorted(lines),
            sorted(
                [
                    f"{self.a.name} : Oui, dès 2026",
                    f"{self.a.name} : Réponse 2",
                    f"{self.b.name} : Peut-être",
                    f"{self.d.name} : D par l’équipe",
                    f"{self.d.name} : Réponse 2",
                ]
            ),
        )
        columns = records.question_columns([self.first, self.second])
        self.assertEqual(
            [heading for _, _, heading in columns],
            [f"{self.first.title} — {q.label}" for q in self.questions] + ["Deuxième — Autre"],
        )
        self.assertEqual(
            [heading for _, _, heading in records.question_columns([self.first])],
            [q.label for q in self.questions],
        )
        reading = Reading(self.campaign, TEAM)
        response_a = self.a.responses.get(questionnaire=self.first)
        cells = records.answer_cells(columns, self.first.pk, reading.answers(response_a))
        # The team reads its last submission (the draft after it waits), and nothing under the
        # other questionnaire's columns.
        self.assertEqual(cells, ["Oui, dès 2026", "", "Réponse 2", "", "", ""])


class _Query(dict):
    def getlist(self, name):
        return self.get(name, [])
