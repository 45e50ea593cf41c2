"""Forms of the team's admin."""

from django import forms

from wagtail.admin.forms import WagtailAdminModelForm

from collectif.team.widgets import EXAMPLE

from .answers import french_datetime


class QuestionnaireForm(WagtailAdminModelForm):
    """Warns before a wording change on a questionnaire that parties have answered: their
    answers stay shown under the wording they answered, and the public table says the question
    was reworded."""

    confirm_rewording = forms.BooleanField(
        label="Je confirme la reformulation",
        required=False,
        help_text="Nécessaire seulement pour reformuler une question à laquelle des partis ont "
        "déjà répondu.",
    )

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if not instance.pk or cleaned.get("confirm_rewording"):
            return cleaned
        if not instance.responses.filter(submitted_at__isnull=False).exists():
            return cleaned
        reworded = [
            form
            for form in self.formsets["questions"].forms
            if form.instance.pk and "text" in form.changed_data
        ]
        for form in reworded:
            form.add_error(
                "text",
                "Des partis ont déjà répondu à cette question telle qu’elle était formulée. "
                "Leurs réponses resteront affichées sous la formulation d’origine, avec la "
                "mention « question reformulée ». Cochez « Je confirme la reformulation » en "
                "bas du formulaire pour enregistrer.",
            )
        if reworded:
            self.add_error(
                "confirm_rewording",
                "Cochez cette case pour reformuler une question qui a déjà des réponses.",
            )
        return cleaned


class CampaignForm(WagtailAdminModelForm):
    """An invited party's row added and left empty is an error, not silently dropped. A date
    that cannot be read is refused with an example of what can."""

    DATE_FIELDS = ("opens_at", "closes_at", "publish_at")
    DATE_ERROR = f"Indiquez la date et l’heure en toutes lettres, par exemple « {EXAMPLE} »."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.DATE_FIELDS:
            if name in self.fields:
                self.fields[name].error_messages["invalid"] = self.DATE_ERROR

    def clean(self):
        cleaned = super().clean()
        for form in self.formsets["invitations"].extra_forms:
            deleted = form.cleaned_data.get("DELETE") if hasattr(form, "cleaned_data") else False
            if not deleted and not form.has_changed():
                form.add_error(None, "Choisissez le parti de cette ligne, ou retirez la ligne.")
                self.add_error(None, "Une ligne « Partis invités » est vide.")
        return cleaned


class DeadlineExtensionForm(forms.Form):
    """« Prolonger pour ce parti »: a later deadline for one party only."""

    deadline = forms.DateTimeField(
        label="Nouvelle date limite pour ce parti",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": "Indiquez la nouvelle date limite (date et heure).",
            "invalid": "Indiquez une date et une heure valides, par exemple 2026-12-05 17:00.",
        },
    )

    def __init__(self, *args, invitation, now, **kwargs):
        self.invitation = invitation
        self.now = now
        super().__init__(*args, **kwargs)

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        campaign_deadline = self.invitation.campaign.closes_at
        if deadline <= campaign_deadline:
            raise forms.ValidationError(
                "La nouvelle date limite doit suivre celle de la campagne (%(date)s).",
                params={"date": french_datetime(campaign_deadline)},
            )
        if deadline <= self.now:
            raise forms.ValidationError("La nouvelle date limite doit être dans le futur.")
        return deadline
