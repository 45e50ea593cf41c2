from django.db import models

from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable
from wagtail.search import index
from wagtail.url_routing import RouteResult

from collectif.content import navigation
from collectif.content.blocks import RICH_TEXT_FEATURES
from collectif.models import SitePage
from pillars.models import PillarPage, PlatformPage

from .blocks import ImpactStreamBlock, StandardStreamBlock


class MemberOrganisation(Orderable):
    """An organisation of "Les forces du Collectif", shown on the home page."""

    name = models.CharField("nom", max_length=150, help_text="Nom complet. 150 caractères max.")
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="logo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Facultatif. Un logo sur fond clair, idéalement carré ou horizontal.",
    )
    url = models.URLField(
        "site web",
        blank=True,
        help_text="Facultatif. Adresse complète du site de l’organisation (https://…).",
    )

    panels = [FieldPanel("name"), FieldPanel("logo"), FieldPanel("url")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(Orderable.Meta):
        verbose_name = "organisation membre"
        verbose_name_plural = "organisations membres"

    def __str__(self):
        return self.name


class HomePage(SitePage):
    vision = models.TextField(
        "énoncé de vision",
        max_length=400,
        help_text="La phrase qui ouvre le site. 400 caractères max.",
    )
    impacts_intro = models.CharField(
        "introduction des impacts",
        max_length=200,
        blank=True,
        help_text="Phrase placée avant la liste des impacts. 200 caractères max.",
    )
    impacts = StreamField(
        ImpactStreamBlock(),
        verbose_name="impacts visés",
        blank=True,
        help_text="Les impacts des cinq prochaines années, dans l’ordre d’affichage.",
    )
    theory_intro = models.TextField(
        "introduction de la théorie de changement",
        max_length=400,
        blank=True,
        help_text="Phrase qui mène à la théorie de changement. 400 caractères max.",
    )
    theory_heading = models.CharField(
        "titre de la théorie de changement",
        max_length=120,
        blank=True,
        help_text="120 caractères max.",
    )
    theory_text = RichTextField("théorie de changement", features=RICH_TEXT_FEATURES, blank=True)
    platform_heading = models.CharField(
        "titre de la section plateforme",
        max_length=120,
        blank=True,
        help_text="Les piliers et leurs mesures s’affichent d’eux-mêmes sous ce titre, "
        "à partir des pages de la plateforme. 120 caractères max.",
    )
    call_heading = models.CharField(
        "titre de l’appel à contribuer",
        max_length=120,
        blank=True,
        help_text="120 caractères max.",
    )
    call_text = RichTextField("appel à contribuer", features=RICH_TEXT_FEATURES, blank=True)
    members_heading = models.CharField(
        "titre de la section des membres",
        max_length=120,
        blank=True,
        help_text="Les organisations membres s’affichent d’elles-mêmes sous ce titre; "
        "gérez-les dans Fragments › Organisations membres. 120 caractères max.",
    )

    content_panels = [
        *SitePage.content_panels,
        MultiFieldPanel(
            [FieldPanel("vision"), FieldPanel("impacts_intro"), FieldPanel("impacts")],
            heading="Vision et impacts",
        ),
        MultiFieldPanel(
            [FieldPanel("theory_intro"), FieldPanel("theory_heading"), FieldPanel("theory_text")],
            heading="Théorie de changement",
        ),
        MultiFieldPanel(
            [
                HelpPanel(
                    "Les piliers viennent des pages enfants de « La plateforme ». "
                    "Pour ajouter une mesure, modifiez la page du pilier."
                ),
                FieldPanel("platform_heading"),
            ],
            heading="La plateforme",
        ),
        MultiFieldPanel(
            [FieldPanel("call_heading"), FieldPanel("call_text")],
            heading="Appel à contribuer",
        ),
        FieldPanel("members_heading", heading="Organisations membres"),
    ]

    search_fields = [
        *SitePage.search_fields,
        index.SearchField("vision"),
        index.SearchField("impacts"),
        index.SearchField("theory_text"),
        index.SearchField("call_text"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["pillars.PlatformPage", "boussole.BoussoleIndexPage", "home.StandardPage"]
    max_count = 1

    class Meta:
        verbose_name = "page d’accueil"
        verbose_name_plural = "pages d’accueil"

    def default_description(self):
        return self.vision

    def route(self, request, path_components):
        # Every page of the site is found by its address in one query, not one per level.
        if path_components:
            page = navigation.route_in_one_query(self, request, path_components)
            if page is not None:
                return RouteResult(page)
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["platform"] = navigation.public(
            PlatformPage.objects.live().child_of(self), request
        ).first()
        context["pillars"] = list(
            navigation.public(PillarPage.objects.live().descendant_of(self), request).order_by(
                "path"
            )
        )
        context["members"] = list(MemberOrganisation.objects.select_related("logo"))
        return context


class StandardPage(SitePage):
    intro = models.TextField(
        "chapeau",
        max_length=400,
        blank=True,
        help_text="Facultatif. Court paragraphe d’introduction, en gras. 400 caractères max.",
    )
    body = StreamField(
        StandardStreamBlock(),
        verbose_name="contenu",
        blank=True,
        help_text="Ajoutez des titres, paragraphes, images et citations, dans l’ordre voulu.",
    )

    content_panels = [*SitePage.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *SitePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = "page générale"
        verbose_name_plural = "pages générales"
