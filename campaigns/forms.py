"""The form a party fills in: Wagtail's form builder makes one field per question, and each
question gets a status (answer, decline, answer to come) and a date for an answer to come."""

import datetime

from django import forms
from django.utils import timezone

from wagtail.contrib.forms.forms import BaseForm, FormBuilder

ANSWERED, DECLINED, PENDING = "answered", "declined", "pending"
ANSWER_STATUSES = [
    (ANSWERED, "Nous répondons"),
    (DECLINED, "Nous déclinons cette question"),
    (PENDING, "Réponse à venir"),
]
YES_NO_CHOICES = ["Oui", "Non", "Nuancé"]


class QuestionFormBuilder(FormBuilder):
    """Fields for the kinds of answer of a question, with its character limit."""

    def get_field_options(self, field):
        options = super().get_field_options(field)
        options["label"] = field.text or field.label
        # Drafts may be incomplete: what each status requires is checked on submission.
        options["required"] = False
        return options

    def _limited(self, field, options, widget):
        if field.max_length:
            options["max_length"] = field.max_length
        options["widget"] = widget(attrs={"data-char-count": ""})
        field = forms.CharField(strip=False, **options)
        # No maxlength attribute: a browser would silently cut a pasted answer. The counter
        # warns instead, and the server refuses an answer that is too long, text kept.
        field.widget.attrs.pop("maxlength", None)
        if field.max_length:
            field.widget.attrs["data-max-length"] = field.max_length
        return field

    def create_singleline_field(self, field, options):
        return self._limited(field, options, forms.TextInput)

    def create_multiline_field(self, field, options):
        return self._limited(field, options, lambda attrs: forms.Textarea({"rows": 8, **attrs}))

    def create_yesno_field(self, field, options):
        options["choices"] = [(choice, choice) for choice in YES_NO_CHOICES]
        return forms.ChoiceField(widget=forms.RadioSelect, **options)


class ResponseForm(BaseForm):
    """Built per questionnaire by `response_form_class`."""

    SAVE, SUBMIT = "save", "submit"

    respondent_name = forms.CharField(
        label="Nom de la personne qui répond pour le parti",
        max_length=150,
        required=False,
        help_text="Obligatoire pour soumettre. Il figure dans l’historique des versions.",
    )

    def __init__(self, *args, questions=(), action=SAVE, **kwargs):
        self.questions = list(questions)
        self.action = action
        super().__init__(*args, **kwargs)

    def question_rows(self):
        """Each question with its answer, status and date fields, for the template."""
        for question in self.questions:
            key = question.clean_name
            yield {
                "question": question,
                "answer": self[key],
                "status": self[f"{key}__status"],
                "pending_until": self[f"{key}__pending_until"],
            }

    def clean(self):
        cleaned = super().clean()
        if self.action != self.SUBMIT:
            return cleaned
        if not (cleaned.get("respondent_name") or "").strip():
            self.add_error("respondent_name", "Indiquez votre nom pour soumettre les réponses.")
        for question in self.questions:
            key = question.clean_name
            status = cleaned.get(f"{key}__status") or ANSWERED
            if status == ANSWERED and question.required and not (cleaned.get(key) or "").strip():
                self.add_error(
                    key,
                    "Répondez à cette question, ou choisissez « décliner » ou "
                    "« réponse à venir ».",
                )
            if status == PENDING:
                date = cleaned.get(f"{key}__pending_until")
                if not date:
                    self.add_error(
                        f"{key}__pending_until", "Indiquez la date prévue de votre réponse."
                    )
                elif date < timezone.localdate():
                    self.add_error(f"{key}__pending_until", "Cette date est déjà passée.")
        return cleaned

    def answers(self):
        """The answers as stored: a snapshot of each question beside what the party typed."""
        snapshot = []
        for question in self.questions:
            key = question.clean_name
            date = self.cleaned_data.get(f"{key}__pending_until")
            snapshot.append(
                {
                    "key": key,
                    "title": question.label,
                    "question": question.text,
                    "kind": question.field_type,
                    "status": self.cleaned_data.get(f"{key}__status") or ANSWERED,
                    "answer": self.cleaned_data.get(key) or "",
                    "pending_until": date.isoformat() if date else None,
                }
            )
        return snapshot


def response_form_class(questions):
    fields = QuestionFormBuilder(questions).formfields
    for question in questions:
        key = question.clean_name
        fields[f"{key}__status"] = forms.ChoiceField(
            label="Votre réponse",
            choices=ANSWER_STATUSES,
            initial=ANSWERED,
            required=False,
            widget=forms.RadioSelect,
        )
        fields[f"{key}__pending_until"] = forms.DateField(
            label="Date prévue de la réponse",
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        )
    return type("QuestionnaireResponseForm", (ResponseForm,), fields)


def initial_from_answers(answers, respondent_name=""):
    initial = {"respondent_name": respondent_name}
    for answer in answers:
        key = answer["key"]
        initial[key] = answer.get("answer", "")
        initial[f"{key}__status"] = answer.get("status", ANSWERED)
        if answer.get("pending_until"):
            initial[f"{key}__pending_until"] = datetime.date.fromisoformat(answer["pending_until"])
    return initial
