"""Blocks shared by several page types. Blocks only one app uses live in that app's blocks.py."""

from django.core.exceptions import ValidationError
from django.utils.functional import cached_property

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock, ImageBlockComparison

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]


class OptionalImageComparison(ImageBlockComparison):
    """Wagtail's comparison of an ImageBlock, for an image that may be absent: when a whole
    block is added or deleted, its parent hands over the raw value, None for no image, which
    Wagtail's own class cannot show (a 500 in History › Compare)."""

    def htmlvalue(self, val):
        if val is None:
            val = self.block._image_to_struct_value(None)
        return super().htmlvalue(val)


class OptionalImageBlock(ImageBlock):
    """An image with its alternative text, that editors may leave empty."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def get_comparison_class(self):
        return OptionalImageComparison


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(
        label="Texte du titre",
        max_length=120,
        help_text="120 caractères max.",
    )
    level = blocks.ChoiceBlock(
        label="Niveau",
        choices=[("h2", "Titre de section (H2)"), ("h3", "Sous-titre (H3)")],
        default="h2",
        help_text="Utilisez H2 pour une nouvelle section et H3 pour une sous-section.",
    )

    class Meta:
        template = "collectif/blocks/heading_block.html"
        icon = "title"
        label = "Titre"
        description = "Un titre qui ouvre une section de la page."
        preview_value = {"text": "Tout le monde peut contribuer", "level": "h2"}


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        template = "collectif/blocks/paragraph_block.html"
        icon = "pilcrow"
        label = "Paragraphe"
        description = "Du texte avec gras, italique, listes et liens."
        preview_value = "<p>Chacun et chacune a un rôle à jouer auprès des <b>tout-petits</b>.</p>"


class FigureBlock(blocks.StructBlock):
    image = ImageBlock(label="Image")
    caption = blocks.CharBlock(
        label="Légende",
        required=False,
        max_length=250,
        help_text="Facultatif. Affichée sous l’image. 250 caractères max.",
    )

    class Meta:
        template = "collectif/blocks/figure_block.html"
        icon = "image"
        label = "Image"
        description = "Une image avec son texte de remplacement et une légende facultative."


class LinkValue(blocks.StructValue):
    @cached_property
    def href(self):
        page = self.get("page")
        if page:
            return page.url
        return self.get("url") or ""

    @cached_property
    def text(self):
        page = self.get("page")
        return self.get("label") or (page.title if page else self.get("url"))


class LinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(
        label="Texte du lien",
        required=False,
        max_length=120,
        help_text="Facultatif pour une page du site (son titre est utilisé). 120 caractères max.",
    )
    page = blocks.PageChooserBlock(
        label="Page du site", required=False, help_text="Choisissez une page de ce site…"
    )
    url = blocks.URLBlock(
        label="Adresse externe",
        required=False,
        help_text="… ou collez l’adresse complète d’un autre site (https://…).",
    )

    def clean(self, value):
        value = super().clean(value)
        if self.is_deferred_validation:
            # A draft (and the editor's autosave) may hold a link being written; publishing
            # checks it. Refusing it here answered every autosave with a 400.
            return value
        if value.get("page") and value.get("url"):
            raise StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        "Choisissez une page du site ou une adresse externe, pas les deux."
                    )
                }
            )
        if not value.get("page") and not value.get("url"):
            raise StructBlockValidationError(
                block_errors={
                    "page": ValidationError("Choisissez une page du site ou une adresse externe.")
                }
            )
        if value.get("url") and not value.get("label"):
            raise StructBlockValidationError(
                block_errors={
                    "label": ValidationError("Donnez un texte au lien vers un autre site.")
                }
            )
        return value

    class Meta:
        template = "collectif/blocks/link_block.html"
        icon = "link"
        label = "Lien"
        description = "Un lien vers une page du site ou vers un autre site."
        value_class = LinkValue
        preview_value = {"label": "Portail Québec.ca", "url": "https://www.quebec.ca"}


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label="Citation", help_text="Le texte cité, sans guillemets.")
    attribution = blocks.CharBlock(
        label="Source", required=False, max_length=150, help_text="Facultatif. 150 caractères max."
    )

    class Meta:
        template = "collectif/blocks/quote_block.html"
        icon = "openquote"
        label = "Citation"
        description = "Une citation mise en évidence, avec sa source."
        preview_value = {
            "text": "Chacun et chacune a un rôle à jouer auprès des tout-petits.",
            "attribution": "Collectif petite enfance",
        }


class BaseStreamBlock(blocks.StreamBlock):
    """The content blocks every free-form body offers."""

    heading = HeadingBlock(group="Texte")
    paragraph = ParagraphBlock(group="Texte")
    quote = QuoteBlock(group="Texte")
    figure = FigureBlock(group="Médias")
    embed = EmbedBlock(
        group="Médias",
        label="Vidéo ou média externe",
        icon="media",
        description="Collez l’adresse d’une vidéo YouTube ou Vimeo.",
        template="collectif/blocks/embed_block.html",
        help_text="Adresse d’une vidéo YouTube, Vimeo ou d’un autre service compatible.",
    )
