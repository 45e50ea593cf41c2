from django.test import TestCase

from campaigns.forms import ResponseForm, response_form
from tests.campaigns.factories import QuestionFactory, QuestionnaireFactory, answer_data


class QuestionKindsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        questionnaire = QuestionnaireFactory()
        cls.yesno = QuestionFactory(questionnaire=questionnaire, field_type="yesno")
        cls.choice = QuestionFactory(
            questionnaire=questionnaire, field_type="radio", choices="Bientôt\nPlus tard"
        )
        cls.short = QuestionFactory(
            questionnaire=questionnaire, field_type="singleline", max_length=20
        )
        cls.questions = [cls.yesno, cls.choice, cls.short]

    def form(self, action=ResponseForm.SUBMIT, **answers):
        data = answer_data(self.questions, **answers)
        return response_form(self.questions, data=data, action=action)

    def test_each_kind_makes_its_field(self):
        form = self.form(**{self.yesno.clean_name: "Nuancé", self.choice.clean_name: "Plus tard"})
        self.assertTrue(form.is_valid(), form.errors)
        answers = {a.key: a for a in form.answers()}
        self.assertEqual(answers[self.yesno.clean_name].text, "Nuancé")
        self.assertEqual(answers[self.choice.clean_name].text, "Plus tard")
        self.assertEqual(answers[self.short.clean_name].title, self.short.label)
        self.assertEqual(answers[self.short.clean_name].question, self.short.text)

    def test_choices_outside_the_list_are_refused_in_french(self):
        form = self.form(**{self.yesno.clean_name: "Peut-être", self.choice.clean_name: "Jamais"})
        self.assertFalse(form.is_valid())
        self.assertIn("Sélectionnez un choix valide", str(form.errors[self.yesno.clean_name]))

    def test_short_text_limit(self):
        form = self.form(**{self.short.clean_name: "x" * 21})
        self.assertFalse(form.is_valid())
        self.assertIn("au plus 20 caractères", str(form.errors[self.short.clean_name]))

    def test_a_draft_may_be_incomplete(self):
        form = self.form(
            action=ResponseForm.SAVE,
            name="",
            **{self.yesno.clean_name: "", self.choice.clean_name: "", self.short.clean_name: ""},
        )
        self.assertTrue(form.is_valid(), form.errors)

    def test_a_long_question_keeps_its_full_text_beside_a_short_title(self):
        long_text = "À la suite du rapport de la Commission spéciale " * 8
        question = QuestionFactory(text=long_text, label="Synergie")
        self.assertGreater(len(question.text), 255)
        question.refresh_from_db()
        self.assertEqual(question.text, long_text)
