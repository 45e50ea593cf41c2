from django.db import models
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.text import Truncator

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page

from collectif.delivery.renders import page_render_key, public_view_restrictions, serve_reused


class SitePage(Page):
    """What every page of the site shares: an image for sharing on social media."""

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="image de partage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Image montrée quand la page est partagée (Facebook, LinkedIn…), "
        "idéalement 1200 × 630 pixels. Vide : l’image par défaut du site.",
    )

    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug"),
                FieldPanel(
                    "seo_title",
                    help_text="Titre pour les moteurs de recherche et le partage, s’il doit "
                    "différer du titre de la page. 60 caractères environ.",
                ),
                FieldPanel(
                    "search_description",
                    help_text="Résumé de la page pour les moteurs de recherche et le partage. "
                    "160 caractères environ.",
                ),
                FieldPanel("social_image"),
            ],
            heading="Référencement et partage",
        ),
        MultiFieldPanel([FieldPanel("show_in_menus")], heading="Menu"),
    ]

    class Meta:
        abstract = True

    @cached_property
    def meta_description(self):
        """The search and sharing summary: the editors' own, or one drawn from the page."""
        text = self.search_description or self.default_description()
        return Truncator(strip_tags(text or "").strip()).chars(160)

    def default_description(self):
        return getattr(self, "intro", "")

    def render_key(self, request):
        """What this page's render depends on besides its revision and the host: nothing
        here. A page that reads its query string or the clock says so (collectif/delivery/
        renders.py reuses a render for the same key)."""
        return ""

    def serve(self, request, *args, **kwargs):
        return serve_reused(
            request,
            page_render_key(self, request),
            lambda: super(SitePage, self).serve(request, *args, **kwargs),
        )

    def get_view_restrictions(self):
        # Answered from the restrictions already read for this render when they leave the
        # page public (collectif.delivery.renders.py), otherwise by Wagtail's queries.
        known = public_view_restrictions(self)
        return known if known is not None else super().get_view_restrictions()


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """What the footer of every page says; edited in Paramètres › Paramètres du site."""

    footer_text = models.TextField(
        "texte du pied de page",
        max_length=400,
        blank=True,
        help_text="Une ou deux phrases sur le Collectif, sous son nom. 400 caractères max.",
    )
    contact_email = models.EmailField(
        "courriel de contact",
        blank=True,
        help_text="Adresse publique affichée dans le pied de page. C’est aussi l’adresse de "
        "réponse de tous les courriels du site : une personne qui répond à un courriel du "
        "site écrit à cette adresse.",
    )
    notification_email = models.EmailField(
        "courriel de l’équipe",
        blank=True,
        help_text="Reçoit un avis à chaque réponse soumise par un parti. Non publié.",
    )
    social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="image de partage par défaut",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Utilisée pour les pages qui n’ont pas leur propre image de partage.",
    )
    facebook_url = models.URLField("page Facebook", blank=True)
    instagram_url = models.URLField("compte Instagram", blank=True)
    linkedin_url = models.URLField("page LinkedIn", blank=True)
    youtube_url = models.URLField("chaîne YouTube", blank=True)
    newsletter_heading = models.CharField(
        "titre de l’infolettre",
        max_length=120,
        blank=True,
        help_text="Titre de la zone d’inscription à l’infolettre. 120 caractères max.",
    )
    privacy_officer_name = models.CharField(
        "responsable de la protection des renseignements personnels",
        max_length=150,
        blank=True,
        help_text="Nom ou titre de la personne responsable (Loi 25). Publié dans la politique "
        "de confidentialité. 150 caractères max.",
    )
    privacy_officer_email = models.EmailField(
        "courriel de la personne responsable",
        blank=True,
        help_text="Adresse où envoyer une demande d’accès, de rectification ou d’effacement. "
        "Publiée dans la politique de confidentialité.",
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="politique de confidentialité",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="La page de la politique, liée dans le pied de page et sous chaque formulaire.",
    )

    panels = [
        FieldPanel("footer_text"),
        FieldPanel("contact_email"),
        FieldPanel("notification_email"),
        MultiFieldPanel([FieldPanel("newsletter_heading")], heading="Infolettre"),
        MultiFieldPanel(
            [
                FieldPanel("privacy_page"),
                FieldPanel("privacy_officer_name"),
                FieldPanel("privacy_officer_email"),
            ],
            heading="Confidentialité (Loi 25)",
        ),
        MultiFieldPanel(
            [
                FieldPanel("social_image"),
                FieldPanel("facebook_url"),
                FieldPanel("instagram_url"),
                FieldPanel("linkedin_url"),
                FieldPanel("youtube_url"),
            ],
            heading="Réseaux sociaux",
        ),
    ]

    select_related = ["social_image", "privacy_page"]

    @property
    def social_links(self):
        links = [
            ("Facebook", self.facebook_url),
            ("Instagram", self.instagram_url),
            ("LinkedIn", self.linkedin_url),
            ("YouTube", self.youtube_url),
        ]
        return [(name, url) for name, url in links if url]

    class Meta:
        verbose_name = "paramètres du site"
        verbose_name_plural = "paramètres du site"
