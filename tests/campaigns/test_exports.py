import csv
import io

from django.test import SimpleTestCase, TestCase

from openpyxl import load_workbook

from collectif.protection.exports import neutralise
from tests.campaigns.factories import (
    InvitationFactory,
    QuestionFactory,
    QuestionnaireFactory,
    save_answers,
    team_member,
)

HOSTILE = [
    '=HYPERLINK("http://evil.example","clic")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


class NeutraliseTests(SimpleTestCase):
    def test_formula_triggers_are_neutralised(self):
        for value in HOSTILE:
            self.assertTrue(neutralise(value).startswith("'"), value)
        self.assertEqual(neutralise("Une réponse 👶"), "Une réponse 👶")
        self.assertEqual(neutralise(None), "")


class TeamExportTests(TestCase):
    """The team's one export path: the responses listing's spreadsheet export."""

    def setUp(self):
        self.questionnaire = QuestionnaireFactory()
        self.questions = [
            QuestionFactory(questionnaire=self.questionnaire, label=label)
            for label in ("Synergie", "Rôles")
        ]
        self.answered = InvitationFactory(campaign=self.questionnaire.campaign)
        save_answers(
            self.questionnaire,
            self.questions,
            self.answered.party,
            **{self.questions[0].clean_name: HOSTILE[0]},
        )
        self.drafting = InvitationFactory(campaign=self.questionnaire.campaign)
        save_answers(
            self.questionnaire,
            self.questions,
            self.drafting.party,
            action="save",
            **{self.questions[0].clean_name: "Un brouillon"},
        )
        self.client.force_login(team_member())
        self.url = f"/admin/campagnes-reponses/?campaign={self.questionnaire.campaign.pk}&export="

    def test_one_row_per_response_two_columns_per_question_formulas_as_text(self):
        export = self.client.get(self.url + "xlsx")
        rows = list(
            load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.iter_rows()
        )
        header = [cell.value for cell in rows[0]]
        self.assertEqual(
            header[-4:], ["Synergie", "Synergie (explication)", "Rôles", "Rôles (explication)"]
        )
        by_party = {row[0].value: row for row in rows[1:]}
        answered = by_party[self.answered.party.name]
        self.assertEqual([c.value for c in answered][2], "soumise")
        self.assertEqual((answered[-4].value, answered[-4].data_type), (HOSTILE[0], "s"))
        self.assertEqual(answered[-2].value, "Réponse 2")
        # The team reads a draft before its first submission; the public never does.
        drafting = by_party[self.drafting.party.name]
        self.assertEqual([c.value for c in drafting][2], "brouillon")
        self.assertEqual(drafting[-4].value, "Un brouillon")

    def test_csv_cells_never_start_a_formula(self):
        export = self.client.get(self.url + "csv")
        data = b"".join(export.streaming_content).decode("utf-8-sig")
        rows = {row[0]: row for row in csv.reader(io.StringIO(data))}
        self.assertEqual(rows[self.answered.party.name][-4], "'" + HOSTILE[0])
