from django.utils import timezone
from django.utils.html import strip_tags

from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from collectif.blocks import ParagraphBlock

from . import records


class QuestionnaireBlock(blocks.StructBlock):
    questionnaire = SnippetChooserBlock(
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
        context = super().get_context(value, parent_context)
        questionnaire = value["questionnaire"]
        if questionnaire is None:
            return context
        campaign = questionnaire.campaign
        questions = list(questionnaire.questions.all())
        now = timezone.now()
        context.update(
            questionnaire=questionnaire,
            campaign=campaign,
            questions=questions,
            is_open=campaign.is_open(now),
            not_yet_open=campaign.has_not_opened(now),
            parties_text=value["parties_text"]
            if strip_tags(value["parties_text"].source).strip()
            else None,
        )
        if campaign.results_are_public(now):
            # The parties and questions a reader compares, read by the page from its address.
            selection = (parent_context or {}).get("selection")
            context["published"] = records.published_table(questionnaire, questions, selection)
        return context
