from django.db import models

from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.fields import StreamField
from wagtail.search import index

from collectif.content import navigation
from collectif.models import SitePage

from .blocks import MeasureStreamBlock, measure_anchor


class PlatformPage(SitePage):
    intro = models.TextField(
        "chapeau",
        max_length=600,
        blank=True,
        help_text="Facultatif. Présente la plateforme au-dessus des piliers. 600 caractères max.",
    )

    content_panels = [
        *SitePage.content_panels,
        FieldPanel("intro"),
        HelpPanel(
            "Les piliers sont les pages enfants de celle-ci; leur ordre dans l’arborescence "
            "est l’ordre d’affichage."
        ),
    ]
    search_fields = [*SitePage.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["pillars.PillarPage"]
    max_count = 1

    class Meta:
        verbose_name = "plateforme"
        verbose_name_plural = "plateformes"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["pillars"] = list(
            navigation.public(PillarPage.objects.live().child_of(self), request).order_by("path")
        )
        return context


class PillarPage(SitePage):
    intro = models.TextField(
        "chapeau",
        max_length=600,
        blank=True,
        help_text="Facultatif. Résume le pilier en une ou deux phrases. 600 caractères max.",
    )
    measures = StreamField(
        MeasureStreamBlock(),
        verbose_name="mesures",
        blank=True,
        help_text="Les mesures du pilier. Glissez-les pour changer leur ordre.",
    )

    content_panels = [*SitePage.content_panels, FieldPanel("intro"), FieldPanel("measures")]
    search_fields = [
        *SitePage.search_fields,
        index.SearchField("intro"),
        index.SearchField("measures"),
    ]

    parent_page_types = ["pillars.PlatformPage"]
    subpage_types = []

    class Meta:
        verbose_name = "pilier"
        verbose_name_plural = "piliers"

    @property
    def measure_summaries(self):
        """(title, anchor) of each measure, read from the raw stream so that listing the
        measures of every pillar never loads their images or linked pages."""
        titles = [
            (block.get("value") or {}).get("title", "")
            for block in self.measures.raw_data
            if block.get("type") == "measure"
        ]
        return [(title, measure_anchor(title)) for title in titles]

    def default_description(self):
        if self.intro:
            return self.intro
        titles = ", ".join(title for title, _ in self.measure_summaries)
        return f"{self.title}, pilier de la plateforme du Collectif petite enfance : {titles}."

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Image renditions come from Wagtail's rendition cache, not from the database.
        context["measures"] = list(self.measures)
        context["siblings"] = list(
            navigation.public(PillarPage.objects.live().sibling_of(self), request).order_by("path")
        )
        return context
