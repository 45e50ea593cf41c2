"""Parties: the organisations the Collectif questions, kept from one campaign to the next."""

from django.db import models

from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.search import index


class Party(models.Model):
    """A political party, or any organisation the Collectif questions; kept across campaigns."""

    name = models.CharField("nom", max_length=150, unique=True, help_text="150 caractères max.")
    short_name = models.CharField(
        "nom court", max_length=30, help_text="Sigle ou nom court, pour les tableaux. 30 max."
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="logo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    website = models.URLField("site web", blank=True)
    contact_name = models.CharField("personne-ressource", max_length=150, blank=True)
    contact_email = models.EmailField(
        "courriel de la personne-ressource",
        help_text="Le lien privé et les confirmations de réponse sont envoyés à cette adresse.",
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("short_name")]),
        FieldPanel("logo"),
        FieldPanel("website"),
        FieldRowPanel([FieldPanel("contact_name"), FieldPanel("contact_email")]),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = "parti"
        verbose_name_plural = "partis"

    def __str__(self):
        return self.name
