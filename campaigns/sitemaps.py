"""The public pages of the campaigns in the sitemap, beside Wagtail's pages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Campaign


class CampaignSitemap(Sitemap):
    """Every campaign's public page: its questions, then its published answers."""

    def items(self):
        return Campaign.objects.order_by("pk").only("slug")

    def location(self, campaign):
        return reverse("campaigns:campaign", args=[campaign.slug])


class OpenDataSitemap(Sitemap):
    """The « Données ouvertes » page."""

    def items(self):
        return ["open_data_index"]

    def location(self, name):
        return reverse(name)
