import csv
import io

from django.test import SimpleTestCase, TestCase

from openpyxl import load_workbook

from campaigns.exports import to_csv, to_xlsx
from campaigns.records import TEAM, campaign_table
from collectif.exports import neutralise
from tests.campaigns.factories import (
    InvitationFactory,
    QuestionFactory,
    QuestionnaireFactory,
    save_answers,
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

    def test_csv_cells_never_start_a_formula(self):
        data = to_csv(["Titre"], [[value] for value in HOSTILE]).decode("utf-8-sig")
        cells = [row[0] for row in csv.reader(io.StringIO(data))][1:]
        self.assertEqual(cells, ["'" + value for value in HOSTILE])

    def test_xlsx_cells_are_text_with_the_typed_value(self):
        workbook = load_workbook(io.BytesIO(to_xlsx(["Titre"], [[value] for value in HOSTILE])))
        cells = [row[0] for row in workbook.active.iter_rows(min_row=2)]
        self.assertEqual([c.data_type for c in cells], ["s"] * len(HOSTILE))
        # XML keeps a carriage return as a line feed; the cell is text all the same.
        self.assertEqual([c.value for c in cells], [v.replace("\r", "\n") for v in HOSTILE])


class CampaignTableTests(TestCase):
    def test_one_row_per_party_and_questionnaire_one_column_per_question(self):
        questionnaire = QuestionnaireFactory()
        questions = [
            QuestionFactory(questionnaire=questionnaire, label=label)
            for label in ("Synergie", "Rôles")
        ]
        answered, silent = (InvitationFactory(campaign=questionnaire.campaign) for _ in range(2))
        save_answers(
            questionnaire, questions, answered.party, **{questions[0].clean_name: HOSTILE[0]}
        )

        header, rows = campaign_table(questionnaire.campaign, TEAM)
        self.assertEqual(
            header[-4:],
            ["Synergie", "Synergie (explication)", "Rôles", "Rôles (explication)"],
        )
        by_party = {row[0]: row for row in rows}
        self.assertEqual(by_party[answered.party.name][2], "soumise")
        self.assertEqual(by_party[answered.party.name][-4::2], [HOSTILE[0], "Réponse 2"])
        self.assertEqual(by_party[silent.party.name][2], "n’a pas répondu")

        workbook = load_workbook(io.BytesIO(to_xlsx(header, rows)))
        cell = workbook.active.cell(row=2 + rows.index(by_party[answered.party.name]), column=6)
        self.assertEqual((cell.value, cell.data_type), (HOSTILE[0], "s"))
