"""`Answer` without a database: what is public of each status, and the stored round trip.

Mutation testing (make mutation MODULE=campaigns/answers.py
TESTS=tests/campaigns/test_answers.py) kills every mutant but two, equivalent ones:
`french_date` given no format, or None, falls back to the site's DATE_FORMAT
(collectif/formats/fr_CA), which is the same « j F Y »."""

import datetime
from types import SimpleNamespace

from django.test import SimpleTestCase

from campaigns.answers import (
    ANSWERED,
    DECLINED,
    MISSING,
    PENDING,
    Answer,
    answers_by_key,
    french_date,
    french_datetime,
)

DAY = datetime.date(2026, 12, 17)
FULL = {
    "key": "q_abc",
    "title": "Places en CPE",
    "question": "Combien de places créerez-vous?",
    "kind": "singleline",
    "text": "Dix mille",
    "explanation": "D’ici 2030",
    "pending_until": DAY,
}


class StoredTests(SimpleTestCase):
    def test_every_field_survives_the_round_trip(self):
        answer = Answer(status=PENDING, **FULL)
        stored = answer.stored()
        self.assertEqual(
            stored,
            {
                "key": "q_abc",
                "title": "Places en CPE",
                "question": "Combien de places créerez-vous?",
                "kind": "singleline",
                "status": PENDING,
                "answer": "Dix mille",
                "explanation": "D’ici 2030",
                "pending_until": "2026-12-17",
            },
        )
        self.assertEqual(Answer.from_stored(stored), answer)

    def test_no_date_is_stored_as_none_and_read_back_as_none(self):
        answer = Answer(key="q", status=ANSWERED)
        self.assertIsNone(answer.stored()["pending_until"])
        self.assertIsNone(Answer.from_stored(answer.stored()).pending_until)
        self.assertIsNone(Answer.from_stored({"key": "q", "pending_until": ""}).pending_until)

    def test_an_old_stored_answer_reads_with_defaults(self):
        """The first versions stored only the key and the text."""
        answer = Answer.from_stored({"key": "q", "answer": None, "status": None})
        self.assertEqual(
            answer,
            Answer(key="q", title="", question="", kind="multiline", status=ANSWERED, text=""),
        )
        self.assertEqual(Answer.from_stored({"key": "q", "explanation": None}).explanation, "")
        self.assertEqual(Answer.from_stored({"key": "q"}), Answer(key="q"))

    def test_answers_by_key(self):
        stored = [Answer(key="a", text="1").stored(), Answer(key="b", text="2").stored()]
        self.assertEqual(
            answers_by_key(stored),
            {"a": Answer(key="a", text="1"), "b": Answer(key="b", text="2")},
        )
        self.assertEqual(answers_by_key(None), {})


class PublicTests(SimpleTestCase):
    def test_an_answer_shows_its_text_and_explanation_only(self):
        answer = Answer(status=ANSWERED, **FULL)
        self.assertIs(answer.public(), answer)

    def test_an_explanation_alone_is_an_answer(self):
        answer = Answer(key="q", status=ANSWERED, explanation="Nuancé")
        self.assertEqual(answer.public(), answer)

    def test_an_empty_answer_is_missing(self):
        public = Answer(key="q", status=ANSWERED, text="  ", explanation=" \n").public()
        self.assertEqual(public.status, MISSING)
        self.assertEqual((public.text, public.explanation), ("", ""))

    def test_a_declined_question_keeps_nothing_typed_before_nor_a_date(self):
        public = Answer(status=DECLINED, **FULL).public()
        self.assertEqual(
            (public.status, public.text, public.explanation, public.pending_until),
            (DECLINED, "", "", None),
        )
        self.assertEqual(
            (public.key, public.title, public.question), ("q_abc", FULL["title"], FULL["question"])
        )

    def test_an_answer_to_come_keeps_its_date_only(self):
        public = Answer(status=PENDING, **FULL).public()
        self.assertEqual(
            (public.status, public.text, public.explanation, public.pending_until),
            (PENDING, "", "", DAY),
        )

    def test_a_missing_answer_stays_missing(self):
        public = Answer(status=MISSING, **FULL).public()
        self.assertEqual((public.status, public.text, public.pending_until), (MISSING, "", None))


class MissingTests(SimpleTestCase):
    def test_a_question_never_answered_has_its_current_wording(self):
        question = SimpleNamespace(
            clean_name="q_abc", label="Places", text="Combien?", field_type="yesno"
        )
        self.assertEqual(
            Answer.missing(question),
            Answer(key="q_abc", title="Places", question="Combien?", kind="yesno", status=MISSING),
        )


class LabelTests(SimpleTestCase):
    def test_what_a_reader_reads_of_each_status(self):
        cases = {
            ANSWERED: ("a répondu", "Nous répondons", "Dix mille"),
            DECLINED: ("a décliné", "Nous déclinons cette question", "a décliné"),
            PENDING: (
                "réponse à venir",
                "Réponse à venir",
                "réponse à venir (d’ici le 17 décembre 2026)",
            ),
            MISSING: ("n’a pas répondu", "n’a pas répondu", "n’a pas répondu"),
        }
        for status, (label, choice, summary) in cases.items():
            with self.subTest(status=status):
                answer = Answer(status=status, **FULL)
                self.assertEqual(answer.status_label, label)
                self.assertEqual(answer.choice_label, choice)
                self.assertEqual(answer.summary, summary)
                self.assertEqual(answer.is_answered, status == ANSWERED)

    def test_an_answer_to_come_without_a_date(self):
        self.assertEqual(Answer(key="q", status=PENDING).pending_label, "réponse à venir")
        self.assertEqual(Answer(key="q", status=PENDING).summary, "réponse à venir")

    def test_plain_text_joins_the_explanation_of_an_answer_only(self):
        self.assertEqual(Answer(status=ANSWERED, **FULL).plain_text(), "Dix mille\nD’ici 2030")
        self.assertEqual(Answer(key="q", text="Oui").plain_text(), "Oui")
        self.assertEqual(Answer(key="q", explanation="Nuancé").plain_text(), "Nuancé")
        self.assertEqual(Answer(status=DECLINED, **FULL).plain_text(), "a décliné")

    def test_a_reworded_question_is_noticed_but_not_a_respaced_one(self):
        answer = Answer(key="q", question="Combien de places?")
        self.assertTrue(answer.differs_from(SimpleNamespace(text="Combien de places en CPE?")))
        self.assertFalse(answer.differs_from(SimpleNamespace(text="  Combien de places? ")))
        self.assertFalse(Answer(key="q").differs_from(SimpleNamespace(text="Autre")))


class DateTests(SimpleTestCase):
    def test_dates_in_french_and_in_the_sites_time_zone(self):
        self.assertEqual(french_date(DAY), "17 décembre 2026")
        moment = datetime.datetime(2026, 12, 17, 22, 3, tzinfo=datetime.UTC)
        self.assertEqual(french_datetime(moment), "17 décembre 2026 à 17 h 03")
        self.assertEqual(french_date(None), "")
        self.assertEqual(french_datetime(None), "")
