from django.db import models

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


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
        help_text="Adresse publique affichée dans le pied de page.",
    )
    notification_email = models.EmailField(
        "courriel de l’équipe",
        blank=True,
        help_text="Reçoit un avis à chaque réponse soumise par un parti. Non publié.",
    )
    newsletter_heading = models.CharField(
        "titre de l’infolettre",
        max_length=120,
        blank=True,
        help_text="Titre de la zone d’inscription à l’infolettre. 120 caractères max.",
    )

    panels = [
        FieldPanel("footer_text"),
        FieldPanel("contact_email"),
        FieldPanel("notification_email"),
        MultiFieldPanel([FieldPanel("newsletter_heading")], heading="Infolettre"),
    ]

    class Meta:
        verbose_name = "paramètres du site"
        verbose_name_plural = "paramètres du site"
