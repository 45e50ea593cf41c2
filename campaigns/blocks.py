from django.utils import timezone
from django.utils.html import strip_tags

from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from collectif.content.blocks import ParagraphBlock

from . import records
from .models import Questionnaire
from .reading import PUBLIC, Reading


class QuestionnaireChooserBlock(SnippetChooserBlock):
    """The questionnaires of a page's blocks, read in one query with their campaign and
    questions: what the page and its blocks show of them."""

    def bulk_to_python(self, values):
        found = (
            Questionnaire.objects.select_related("campaign")
            .prefetch_related("questions")
            .in_bulk([pk for pk in values if pk is not None])
        )
        return [found.get(pk) for pk in values]


class QuestionnaireBlock(blocks.StructBlock):
    questionnaire = QuestionnaireChooserBlock(
        "campaigns.Questionnaire",
        label="Questionnaire",
        help_text="Le questionnaire d’une campagne (menu Campagnes › Questionnaires).",
    )
    parties_heading = blocks.CharBlock(
        label="Titre pour les partis",
        default="Pour les partis politiques :",
        max_length=120,
        help_text="120 caractères max.",
    )
    parties_text = ParagraphBlock(
        label="Explication pour les partis",
        required=False,
        help_text="Comment les partis répondent. Affichée au public tant que la campagne dure.",
    )

    class Meta:
        template = "campaigns/blocks/questionnaire_block.html"
        icon = "form"
        label = "Questionnaire de campagne"
        description = (
            "Les questions d’une campagne : le public les lit, les partis y répondent par "
            "leur lien privé, puis les réponses s’affichent côte à côte."
        )
        group = "Campagnes"

    def get_context(self, value, parent_context=None):
        """Only renders: the page prepares each questionnaire it shows
        (`prepare_questionnaires`, in its `get_context`) and passes it as `questionnaires`.
        A block rendered alone (its preview in the admin) prepares its own."""
        context = super().get_context(value, parent_context)
        questionnaire = value["questionnaire"]
        if questionnaire is None:
            return context
        prepared = (parent_context or {}).get("questionnaires") or {}
        if questionnaire.pk not in prepared:
            prepared = prepare_questionnaires([questionnaire])
        context.update(prepared[questionnaire.pk])
        context["parties_text"] = (
            value["parties_text"] if strip_tags(value["parties_text"].source).strip() else None
        )
        return context


def prepare_questionnaires(questionnaires, selection=None, now=None):
    """{questionnaire pk: what its block shows}: its campaign, questions and calendar, and
    once the answers are public the table of the parties' answers (`records.published_table`),
    narrowed to the reader's `selection`. Questionnaires with their campaign and questions
    (select_related / prefetch_related) make no query here but the tables'."""
    now = now or timezone.now()
    prepared = {}
    for questionnaire in questionnaires:
        campaign = questionnaire.campaign
        questions = list(questionnaire.questions.all())
        reading = Reading(campaign, PUBLIC, now)
        prepared[questionnaire.pk] = {
            "questionnaire": questionnaire,
            "campaign": campaign,
            "questions": questions,
            "is_open": campaign.is_open(now),
            "not_yet_open": campaign.has_not_opened(now),
            "published": records.published_table(questionnaire, questions, selection, reading)
            if reading.answers_readable
            else None,
        }
    return prepared
