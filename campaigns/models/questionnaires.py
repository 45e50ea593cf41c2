"""Questionnaires and their questions, written by the team with Wagtail's form builder."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel
from wagtail.contrib.forms.models import AbstractFormField
from wagtail.fields import RichTextField
from wagtail.search import index

from collectif.content.blocks import RICH_TEXT_FEATURES

from ..admin_forms import QuestionnaireForm


class Questionnaire(ClusterableModel):
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name="campagne",
        related_name="questionnaires",
        on_delete=models.PROTECT,
    )
    title = models.CharField(
        "titre", max_length=150, help_text="En général le nom du thème. 150 caractères max."
    )
    intro = models.TextField(
        "introduction",
        blank=True,
        help_text="Phrase placée avant les questions, vue du public et des partis.",
    )

    panels = [
        FieldPanel("campaign"),
        FieldPanel("title"),
        FieldPanel("intro"),
        HelpPanel(
            "Placez ce questionnaire dans une page thème de la boussole avec le bloc "
            "« Questionnaire de campagne »."
        ),
        InlinePanel("questions", label="Question", min_num=1),
        FieldPanel("confirm_rewording"),
    ]
    base_form_class = QuestionnaireForm
    search_fields = [index.SearchField("title")]

    class Meta:
        ordering = ["campaign", "title"]
        verbose_name = "questionnaire"
        verbose_name_plural = "questionnaires"

    def __str__(self):
        return f"{self.title} ({self.campaign})"


class Question(AbstractFormField):
    KINDS = [
        ("multiline", "Texte long"),
        ("singleline", "Texte court"),
        ("yesno", "Oui / non / nuancé"),
        ("radio", "Choix unique"),
    ]

    questionnaire = ParentalKey(Questionnaire, related_name="questions", on_delete=models.CASCADE)
    text = models.TextField("question", help_text="Le texte complet de la question.")
    field_type = models.CharField(
        "type de réponse", max_length=16, choices=KINDS, default="multiline"
    )
    max_length = models.PositiveIntegerField(
        "limite de caractères",
        null=True,
        blank=True,
        default=3000,
        help_text="Nombre de caractères permis pour une réponse écrite. Vide : pas de limite.",
    )
    choices = models.TextField(
        "choix",
        blank=True,
        help_text="Pour « Choix unique » seulement : un choix par ligne.",
    )
    explanation_max_length = models.PositiveIntegerField(
        "limite de l’explication",
        default=1000,
        help_text="Chaque réponse peut être accompagnée d’une explication facultative, publiée "
        "à côté du choix. Nombre de caractères permis.",
    )
    commentary = RichTextField(
        "la lecture du Collectif",
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text="Facultatif. Un court commentaire du Collectif, affiché après les réponses "
        "publiées à cette question, clairement comme ses mots. Ajoutez des liens vers les "
        "mesures de la plateforme qui s’y rattachent.",
    )
    # When the wording last changed after parties had answered: the public table says so.
    reworded_at = models.DateTimeField("reformulée le", null=True, blank=True, editable=False)

    panels = [
        FieldPanel("label", heading="Titre court"),
        FieldPanel("text"),
        FieldPanel("help_text", heading="Aide pour les partis"),
        FieldRowPanel(
            [
                FieldPanel("field_type"),
                FieldPanel("max_length"),
                FieldPanel("explanation_max_length"),
            ]
        ),
        FieldPanel("choices"),
        FieldPanel("required", heading="Réponse obligatoire à la soumission"),
        FieldPanel("commentary"),
    ]

    class Meta(AbstractFormField.Meta):
        verbose_name = "question"
        verbose_name_plural = "questions"

    def __str__(self):
        return self.label

    def get_field_clean_name(self):
        # The storage key of the answers: set once, never derived from the wording, so that
        # an editor may reword a question without orphaning the answers already given.
        return f"q_{uuid.uuid4().hex[:12]}"

    def clean(self):
        super().clean()
        if self.field_type == "radio" and not self.choices.strip():
            raise ValidationError({"choices": "Indiquez les choix, un par ligne."})

    def save(self, *args, **kwargs):
        if self.pk and self.questionnaire_id:
            before = Question.objects.filter(pk=self.pk).values_list("text", flat=True).first()
            answered = self.questionnaire.responses.filter(submitted_at__isnull=False).exists()
            if before is not None and before.strip() != self.text.strip() and answered:
                self.reworded_at = timezone.now()
        super().save(*args, **kwargs)

    def choice_list(self):
        return [line.strip() for line in self.choices.splitlines() if line.strip()]
