from django.utils.functional import cached_property
from django.utils.text import slugify

from wagtail import blocks

from collectif.content.blocks import LinkBlock, OptionalImageBlock, ParagraphBlock


def measure_anchor(title):
    """The in-page anchor of a measure, so that the home page can link to it directly."""
    return slugify(title or "")[:60] or "mesure"


class MeasureValue(blocks.StructValue):
    @cached_property
    def anchor(self):
        return measure_anchor(self.get("title"))


class MeasureBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        label="Titre de la mesure",
        max_length=200,
        help_text="Ce titre s’affiche aussi sur la page d’accueil. 200 caractères max.",
    )
    description = ParagraphBlock(
        label="Description",
        required=False,
        help_text="Facultatif. Ce que la mesure demande et pourquoi.",
    )
    image = OptionalImageBlock(
        label="Image",
        help_text="Facultatif. Ajoutez un texte de remplacement ou cochez « décorative ».",
    )
    links = blocks.ListBlock(
        LinkBlock(),
        label="Liens utiles",
        default=[],
        help_text="Facultatif. Études, rapports ou pages qui appuient la mesure.",
    )

    class Meta:
        template = "pillars/blocks/measure_block.html"
        icon = "list-ul"
        label = "Mesure"
        description = "Une mesure de la plateforme : titre, description, image et liens."
        value_class = MeasureValue
        form_classname = "measure-block"
        preview_value = {
            "title": "Accès à des logements abordables",
            "description": "<p>Des logements de qualité, à un coût qui laisse aux familles "
            "les moyens de répondre aux besoins des tout-petits.</p>",
            "links": [],
        }


class MeasureStreamBlock(blocks.StreamBlock):
    measure = MeasureBlock()

    class Meta:
        # A pillar holds many measures: editors open the one they work on.
        collapsed = True
