"""Open data a researcher can cite: stable ids, status codes in their own columns, times with
their offset, a long file, a Frictionless Data Package that validates, formula-safe cells that
give back the party's exact text, a public « Données ouvertes » page."""

import csv
import io
import json
import re
import tempfile
from datetime import timedelta
from pathlib import Path

from django.test import TestCase
from django.utils import timezone

from frictionless import Package

from campaigns import licences
from campaigns.models import ResponseVersion
from tests.campaigns.factories import (
    CampaignOnThemeTestData,
    QuestionFactory,
    QuestionnaireFactory,
    post_answers,
)

HOSTILE = '=HYPERLINK("http://evil.example","clic")'
OWN_APOSTROPHE = "'Tis the season, dit le parti."
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def read_csv(response, delimiter=","):
    text = response.content.decode("utf-8")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=delimiter))


def exact(cell):
    """What a program does, as the field dictionary says: drop one leading apostrophe."""
    return cell[1:] if cell.startswith("'") else cell


class OpenDataTests(CampaignOnThemeTestData, TestCase):
    """Answered (with a formula and an apostrophe), declined, pending, corrected after the
    publication, a question reworded after the answers, a party that never answered, and a
    second questionnaire."""

    parties = 4

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.questions = cls.questions[:2]
        cls.questionnaire.questions.exclude(pk__in=[q.pk for q in cls.questions]).delete()
        first, second = (q.clean_name for q in cls.questions)
        cls.other = QuestionnaireFactory(campaign=cls.campaign, title="Services de garde")
        cls.other_questions = [QuestionFactory(questionnaire=cls.other)]
        answered, declined, corrected, _silent = cls.invitations
        client = cls.client_class()
        cls.due = timezone.localdate() + timedelta(days=9)
        post_answers(
            client,
            answered,
            cls.questions,
            action="submit",
            **{first: HOSTILE, second: OWN_APOSTROPHE, f"{second}__explanation": "+1 place"},
        )
        post_answers(
            client,
            declined,
            cls.questions,
            action="submit",
            **{
                first: "Texte tapé puis décliné",
                f"{first}__status": "declined",
                second: "Texte tapé puis à venir",
                f"{second}__status": "pending",
                f"{second}__pending_until": cls.due.isoformat(),
            },
        )
        post_answers(
            client, corrected, cls.questions, action="submit", **{first: "Promesse initiale"}
        )
        post_answers(client, answered, cls.other_questions, action="submit")
        ResponseVersion.objects.update(saved_at=timezone.now() - timedelta(days=2))
        cls.original_wording = cls.questions[0].text
        cls.questions[0].text = "Une formulation toute neuve?"
        cls.questions[0].save()
        cls.campaign.publish_results(user=None)
        post_answers(
            client, corrected, cls.questions, action="submit", **{first: "Promesse corrigée"}
        )

    def get(self, name):
        return self.client.get(f"/campagnes/{self.campaign.slug}/{name}")

    def test_the_data_package_passes_frictionless(self):
        descriptor = self.get("datapackage.json").json()
        self.assertEqual(descriptor["licenses"][0]["name"], "CC-BY-4.0")
        self.assertEqual(descriptor["created"], self.get("reponses.json").json()["publiee_le"])
        self.assertTrue(ISO_WITH_OFFSET.match(descriptor["created"]))
        self.assertEqual(
            [r["path"] for r in descriptor["resources"]],
            [
                "reponses.csv",
                "reponses-long.csv",
            ],
        )
        for resource in descriptor["resources"]:
            for field in resource["schema"]["fields"]:
                self.assertTrue(field["description"], field["name"])
        with tempfile.TemporaryDirectory() as folder:
            folder = Path(folder)
            (folder / "datapackage.json").write_text(json.dumps(descriptor))
            for resource in descriptor["resources"]:
                (folder / resource["path"]).write_bytes(self.get(resource["path"]).content)
            report = Package(str(folder / "datapackage.json")).validate()
        self.assertTrue(report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"]))

    def test_the_team_chooses_the_licence(self):
        self.campaign.licence = licences.CC0
        self.campaign.save()
        descriptor = self.get("datapackage.json").json()
        self.assertEqual(descriptor["licenses"][0]["name"], "CC0-1.0")
        self.assertIn("publicdomain/zero/1.0", descriptor["licenses"][0]["path"])

    def test_the_wide_csv_and_the_json_agree_row_by_row(self):
        document = self.get("reponses.json").json()
        rows = {
            (r["questionnaire_id"], r["parti_id"]): r for r in read_csv(self.get("reponses.csv"))
        }
        self.assertEqual(len(rows), 2 * len(self.invitations))
        seen = 0
        for questionnaire in document["questionnaires"]:
            for party in questionnaire["reponses"]:
                row = rows[(str(questionnaire["questionnaire_id"]), str(party["parti_id"]))]
                with self.subTest(questionnaire=questionnaire["titre"], party=party["parti"]):
                    self.assertEqual(row["campagne_id"], str(document["campagne_id"]))
                    self.assertEqual(row["statut_reponse"], party["statut"])
                    for name in ("reponse_id", "version_id", "version_numero", "soumise_le"):
                        self.assertEqual(row[name], str(party[name] or ""), name)
                    for answer in party["reponses"]:
                        key = answer["question_id"]
                        self.assertEqual(row[f"{key}__statut"], answer["statut"])
                        self.assertEqual(exact(row[f"{key}__reponse"]), answer["reponse"])
                        self.assertEqual(exact(row[f"{key}__explication"]), answer["explication"])
                        self.assertEqual(
                            row[f"{key}__prevue_le"], answer["reponse_prevue_le"] or ""
                        )
                        seen += 1
        self.assertEqual(seen, len(self.invitations) * 3)

    def test_the_long_csv_has_a_row_per_party_question_and_published_version(self):
        document = self.get("reponses.json").json()
        rows = read_csv(self.get("reponses-long.csv"))
        questionnaire = document["questionnaires"][0]
        by_party = {p["parti_id"]: p for p in questionnaire["reponses"]}
        corrected = by_party[self.invitations[2].party.pk]
        versions = [
            r
            for r in rows
            if r["parti_id"] == str(corrected["parti_id"])
            and r["questionnaire_id"] == str(self.questionnaire.pk)
        ]
        # Two published versions (before and after the correction) × two questions.
        self.assertEqual(len(versions), 4)
        self.assertEqual(
            {r["version_id"] for r in versions},
            {str(v["version_id"]) for v in corrected["versions_publiees"]},
        )
        current = [r for r in versions if r["version_courante"] == "true"]
        self.assertEqual({r["version_id"] for r in current}, {str(corrected["version_id"])})
        first = self.questions[0].clean_name
        texts = {(r["version_courante"], r["question_id"]): r["reponse"] for r in versions}
        self.assertEqual(texts[("true", first)], "Promesse corrigée")
        self.assertEqual(texts[("false", first)], "Promesse initiale")
        # Under the wording each version answered, beside the current one.
        earlier = next(r for r in versions if r["version_courante"] == "false")
        self.assertEqual(earlier["question_repondue"], self.original_wording)
        self.assertEqual(earlier["question_texte"], "Une formulation toute neuve?")
        self.assertTrue(ISO_WITH_OFFSET.match(earlier["question_reformulee_le"]))
        # A party that never answered: one row per question, without a version.
        silent = [r for r in rows if r["parti_id"] == str(self.invitations[3].party.pk)]
        self.assertEqual([r["statut"] for r in silent], ["missing"] * 3)
        self.assertEqual({r["version_id"] for r in silent}, {""})
        # The current rows agree with the JSON's answers.
        for party in questionnaire["reponses"]:
            for answer in party["reponses"]:
                (row,) = [
                    r
                    for r in rows
                    if r["parti_id"] == str(party["parti_id"])
                    and r["question_id"] == answer["question_id"]
                    and (r["version_courante"] == "true" or not party["version_id"])
                ]
                self.assertEqual(row["statut"], answer["statut"])
                self.assertEqual(exact(row["reponse"]), answer["reponse"])
                self.assertEqual(row["soumise_le"], party["soumise_le"] or "")

    def test_text_columns_hold_only_what_the_party_wrote(self):
        rows = read_csv(self.get("reponses-long.csv"))
        declined = [
            r
            for r in rows
            if r["parti_id"] == str(self.invitations[1].party.pk)
            and r["questionnaire_id"] == str(self.questionnaire.pk)
        ]
        self.assertEqual(
            [(r["statut"], r["reponse"], r["reponse_prevue_le"]) for r in declined],
            [("declined", "", ""), ("pending", "", self.due.isoformat())],
        )
        for name in ("reponses.csv", "reponses-long.csv"):
            text = self.get(name).content.decode()
            for label in ("a décliné", "réponse à venir", "n’a pas répondu", "d’ici le"):
                self.assertNotIn(label, text, name)
            for typed in ("Texte tapé puis décliné", "Texte tapé puis à venir"):
                self.assertNotIn(typed, text, name)

    def test_every_time_has_its_offset_and_is_the_same_in_every_file(self):
        document = self.get("reponses.json").json()
        json_times = {
            (p["parti_id"], p["version_id"]): p["soumise_le"]
            for q in document["questionnaires"]
            for p in q["reponses"]
            if p["soumise_le"]
        }
        self.assertTrue(json_times)
        for time in json_times.values():
            self.assertTrue(ISO_WITH_OFFSET.match(time), time)
        for name in ("reponses.csv", "reponses-long.csv"):
            for row in read_csv(self.get(name)):
                if row["soumise_le"] and row.get("version_courante", "true") == "true":
                    key = (int(row["parti_id"]), int(row["version_id"]))
                    self.assertEqual(row["soumise_le"], json_times[key], name)

    def test_cells_are_formula_safe_and_give_back_the_exact_text(self):
        party = str(self.invitations[0].party.pk)
        first, second = (q.clean_name for q in self.questions)
        for name, delimiter in (
            ("reponses.csv", ","),
            ("reponses-point-virgule.csv", ";"),
        ):
            row = next(
                r
                for r in read_csv(self.get(name), delimiter)
                if r["parti_id"] == party and r["questionnaire_id"] == str(self.questionnaire.pk)
            )
            with self.subTest(name):
                self.assertEqual(row[f"{first}__reponse"], "'" + HOSTILE)
                self.assertEqual(row[f"{second}__reponse"], "'" + OWN_APOSTROPHE)
                self.assertEqual(row[f"{second}__explication"], "'+1 place")
                self.assertEqual(exact(row[f"{second}__reponse"]), OWN_APOSTROPHE)
        document = self.get("reponses.json").json()
        answers = document["questionnaires"][0]["reponses"]
        texts = [a["reponse"] for p in answers for a in p["reponses"]]
        self.assertIn(HOSTILE, texts)
        self.assertIn(OWN_APOSTROPHE, texts)

    def test_the_semicolon_files_open_in_excel_in_french(self):
        for name, comma in (
            ("reponses-point-virgule.csv", "reponses.csv"),
            ("reponses-long-point-virgule.csv", "reponses-long.csv"),
        ):
            with self.subTest(name):
                response = self.get(name)
                self.assertTrue(response.content.startswith("\ufeff".encode()))
                self.assertFalse(self.get(comma).content.startswith("\ufeff".encode()))
                self.assertEqual(read_csv(response, ";"), read_csv(self.get(comma)))

    def test_every_file_may_be_read_from_any_site(self):
        for name in (
            "reponses.csv",
            "reponses-long.csv",
            "reponses-point-virgule.csv",
            "reponses-long-point-virgule.csv",
            "reponses.json",
            "datapackage.json",
        ):
            with self.subTest(name):
                response = self.get(name)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["Access-Control-Allow-Origin"], "*")
        # Nothing else of the site is opened to other sites.
        self.assertNotIn("Access-Control-Allow-Origin", self.client.get(self.theme.url))

    def test_the_open_data_page_lists_files_licence_citation_and_dictionary(self):
        response = self.client.get("/donnees-ouvertes/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        for name in (
            "reponses.csv",
            "reponses-long.csv",
            "reponses-point-virgule.csv",
            "reponses.json",
            "datapackage.json",
        ):
            self.assertIn(f"/campagnes/{self.campaign.slug}/{name}", html)
        self.assertIn("Creative Commons Attribution 4.0 International", html)
        self.assertIn("Collectif petite enfance (", html)  # the citation
        for field in (
            "parti_id",
            "version_courante",
            "question_repondue",
            "&lt;question_id&gt;__statut",
        ):
            self.assertIn(f"<code>{field}</code>", html)
        self.assertIn("retirez le premier caractère", html)
        self.assertIn(
            'href="/donnees-ouvertes/"', self.client.get(self.theme.url).content.decode()
        )


class EmbargoTests(CampaignOnThemeTestData, TestCase):
    def test_nothing_is_open_before_the_publication(self):
        post_answers(self.client, self.invitations[0], self.questions, action="submit")
        for name in ("reponses.csv", "reponses-long-point-virgule.csv", "datapackage.json"):
            with self.subTest(name):
                response = self.client.get(f"/campagnes/{self.campaign.slug}/{name}")
                self.assertEqual(response.status_code, 404)
        page = self.client.get("/donnees-ouvertes/").content.decode()
        self.assertNotIn(f"/campagnes/{self.campaign.slug}/", page)
        self.assertIn("Aucune campagne n’a encore publié", page)
