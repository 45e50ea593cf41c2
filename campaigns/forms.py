"""The form a party fills in: Wagtail's form builder makes one field per question; each
question also gets a status (answer, decline, answer to come), a date for an answer to come and
an optional explanation. The form carries the version it was based on and a key of its own, so
that a stale tab or a replayed post can be recognised (campaigns/submissions.py)."""

import uuid

from django import forms
from django.utils import timezone

from wagtail.contrib.forms.forms import BaseForm, FormBuilder

from .answers import ANSWERED, PARTY_CHOICES, PENDING, YES_NO_CHOICES, Answer
from .submissions import Sent


def _limited_text(widget, max_length, **options):
    field = forms.CharField(strip=False, max_length=max_length or None, **options)
    # No maxlength attribute: a browser would silently cut a pasted answer. The counter warns
    # instead, and the server refuses an answer that is too long, text kept.
    field.widget = widget
    field.widget.attrs["data-char-count"] = ""
    if max_length:
        field.widget.attrs["data-max-length"] = max_length
    return field


class QuestionFormBuilder(FormBuilder):
    """Fields for the kinds of answer of a question, with its character limit."""

    def get_field_options(self, field):
        options = super().get_field_options(field)
        options["label"] = field.text or field.label
        # Drafts may be incomplete: what each status requires is checked on submission.
        options["required"] = False
        return options

    def create_singleline_field(self, field, options):
        return _limited_text(forms.TextInput(), field.max_length, **options)

    def create_multiline_field(self, field, options):
        return _limited_text(forms.Textarea({"rows": 8}), field.max_length, **options)

    def create_yesno_field(self, field, options):
        options["choices"] = [(choice, choice) for choice in YES_NO_CHOICES]
        return forms.ChoiceField(widget=forms.RadioSelect, **options)

    def create_radio_field(self, field, options):
        options["choices"] = [(choice, choice) for choice in field.choice_list()]
        return forms.ChoiceField(widget=forms.RadioSelect, **options)


class ResponseForm(BaseForm):
    """Built per questionnaire by `response_form`."""

    SAVE, SUBMIT = "save", "submit"

    respondent_name = forms.CharField(
        label="Nom de la personne qui répond pour le parti",
        max_length=150,
        required=False,
        help_text="Obligatoire pour soumettre. Il figure dans l’historique des versions que "
        "voit l’équipe du Collectif; il n’est jamais publié.",
    )
    base_revision = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    client_key = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, questions=(), action=SAVE, **kwargs):
        self.questions = list(questions)
        self.action = action
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_key", uuid.uuid4().hex)

    def question_rows(self):
        """Each question with its fields, for the template."""
        self._describe(self["respondent_name"])
        for question in self.questions:
            key = question.clean_name
            answer, explanation = self[key], self[f"{key}__explanation"]
            self._describe(answer, counted=bool(question.max_length))
            self._describe(explanation, help=True, counted=bool(question.explanation_max_length))
            self._describe(self[f"{key}__pending_until"])
            yield {
                "question": question,
                "answer": self[key],
                "status": self[f"{key}__status"],
                "pending_until": self[f"{key}__pending_until"],
                "explanation": self[f"{key}__explanation"],
                "is_choice": question.field_type in ("yesno", "radio"),
            }

    @staticmethod
    def _describe(bound, help=False, counted=False):
        """Ties a field to its help, its character counter and its error, by the ids the
        template gives them (`<id>_helptext`, `<id>_compte`, `<id>_error`)."""
        if bound.field.widget.use_fieldset:
            return  # radios: the fieldset carries its description
        ids = []
        if help or bound.help_text:
            ids.append(f"{bound.auto_id}_helptext")
        if counted:
            ids.append(f"{bound.auto_id}_compte")
        if bound.errors:
            ids.append(f"{bound.auto_id}_error")
        bound.field.widget.attrs.pop("aria-describedby", None)
        if ids:
            bound.field.widget.attrs["aria-describedby"] = " ".join(ids)

    def error_links(self):
        """The error summary: each field in error, in the form's order, with the id to go to
        and the question it belongs to."""
        labels = {}
        for number, question in enumerate(self.questions, start=1):
            key = question.clean_name
            prefix = f"Question {number} — {question.label}"
            labels[f"{key}__status"] = f"{prefix}, votre réponse"
            labels[key] = f"{prefix}, réponse"
            labels[f"{key}__explanation"] = f"{prefix}, explication"
            labels[f"{key}__pending_until"] = f"{prefix}, date prévue"
        labels["respondent_name"] = self.fields["respondent_name"].label
        links = []
        for name in labels:  # in the order of the page: the questions, then the name
            if name not in self.errors:
                continue
            bound = self[name]
            target = bound.auto_id + ("_0" if bound.field.widget.use_fieldset else "")
            links.append(
                {
                    "id": target,
                    "label": labels.get(name, bound.label),
                    "message": " ".join(bound.errors),
                }
            )
        return links

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

    def sent(self):
        """What this valid form sent, for `submissions.save_response`."""
        return Sent(
            answers=self.answers(),
            respondent_name=self.cleaned_data.get("respondent_name") or "",
            submit=self.action == self.SUBMIT,
            base_revision=self.cleaned_data.get("base_revision") or 0,
            client_key=self.cleaned_data.get("client_key") or "",
        )

    def answers(self):
        """What the party typed, as Answers with a snapshot of each question."""
        return [self._answer(question, self.cleaned_data) for question in self.questions]

    def sent_answers(self):
        """What this tab sent, as typed, even when the form is invalid (for a conflict, or a
        refusal after the deadline)."""
        return [self._answer(question, self.data, raw=True) for question in self.questions]

    @staticmethod
    def _answer(question, values, raw=False):
        key = question.clean_name
        return Answer(
            key=key,
            title=question.label,
            question=question.text,
            kind=question.field_type,
            status=values.get(f"{key}__status") or ANSWERED,
            text=values.get(key) or "",
            explanation=values.get(f"{key}__explanation") or "",
            pending_until=None if raw else values.get(f"{key}__pending_until"),
        )


def response_form(questions, data=None, response=None, action=ResponseForm.SAVE):
    """The party's form for a questionnaire: bound to a post, or filled with its response."""
    fields = QuestionFormBuilder(questions).formfields
    for question in questions:
        key = question.clean_name
        fields[f"{key}__status"] = forms.ChoiceField(
            label="Votre réponse",
            choices=PARTY_CHOICES,
            initial=ANSWERED,
            required=False,
            widget=forms.RadioSelect,
        )
        fields[f"{key}__pending_until"] = forms.DateField(
            label="Date prévue de la réponse",
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        )
        fields[f"{key}__explanation"] = _limited_text(
            forms.Textarea({"rows": 3}),
            question.explanation_max_length,
            label="Explication (facultative)",
            required=False,
        )
    form_class = type("QuestionnaireResponseForm", (ResponseForm,), fields)
    if data is not None:
        return form_class(data, questions=questions, action=action)
    return form_class(questions=questions, initial=initial_from(response))


def initial_from(response):
    if response is None:
        return {"base_revision": 0}
    initial = {"respondent_name": response.respondent_name, "base_revision": response.revision}
    for key, answer in response.working_answers().items():
        initial[key] = answer.text
        initial[f"{key}__status"] = answer.status
        initial[f"{key}__explanation"] = answer.explanation
        if answer.pending_until:
            initial[f"{key}__pending_until"] = answer.pending_until
    return initial
