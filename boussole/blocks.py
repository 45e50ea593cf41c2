from wagtail import blocks

from campaigns.blocks import QuestionnaireBlock
from collectif.content.blocks import BaseStreamBlock, ParagraphBlock


class PrincipleBlock(blocks.StructBlock):
    text = blocks.TextBlock(
        label="Principe",
        max_length=600,
        help_text="Un principe à respecter, en une ou deux phrases. 600 caractères max.",
    )

    class Meta:
        template = "boussole/blocks/principle_block.html"
        icon = "tick"
        label = "Principe"
        description = "Un principe qui découle du constat."
        preview_value = {
            "text": "Cohérence et complémentarité des partenariats intersectoriels en "
            "services sociaux avec les services de santé publique et communautaires."
        }


class FindingBlock(blocks.StructBlock):
    text = ParagraphBlock(
        label="Constat",
        help_text="Ce que le Collectif constate, avec ses sources.",
    )
    principles = blocks.ListBlock(
        PrincipleBlock(),
        label="Principes",
        default=[],
        help_text="Facultatif. Les principes qui découlent de ce constat, dans l’ordre.",
    )

    class Meta:
        template = "boussole/blocks/finding_block.html"
        icon = "doc-full"
        label = "Constat"
        description = "Un constat du Collectif, suivi au besoin de ses principes."
        preview_value = {
            "text": "<p>La collaboration est une pierre angulaire de la prévention.</p>",
            "principles": [],
        }


class FindingStreamBlock(blocks.StreamBlock):
    finding = FindingBlock()


class ThemeBodyBlock(BaseStreamBlock):
    """The theme's free content and the questionnaires of its campaigns, past and present."""

    questionnaire = QuestionnaireBlock()
