from wagtail import blocks

from collectif.content.blocks import BaseStreamBlock


class ImpactBlock(blocks.StructBlock):
    text = blocks.TextBlock(
        label="Impact visé",
        max_length=400,
        help_text="Un changement attendu d’ici cinq ans. 400 caractères max.",
    )

    class Meta:
        template = "home/blocks/impact_block.html"
        icon = "pick"
        label = "Impact"
        description = "Un des impacts que le Collectif s’engage à générer."
        preview_value = {
            "text": "Une capacité renforcée à se mobiliser et à faire entendre la voix des "
            "tout-petits et de leur famille dans l’espace public."
        }


class ImpactStreamBlock(blocks.StreamBlock):
    impact = ImpactBlock()

    class Meta:
        block_counts = {"impact": {"max_num": 8}}


class StandardStreamBlock(BaseStreamBlock):
    pass
