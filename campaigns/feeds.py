"""Atom feeds of what changes in public: a campaign's own feed (`/campagnes/<slug>/flux.atom`)
and the entries the site's feed (collectif/content/feeds.py) takes from every campaign. They
read the public record through `records.public_changes`: never a draft, nothing under
embargo."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from . import records
from .answers import french_date
from .models import Campaign

MAX_ENTRIES = 50


def change_entries(campaign):
    """The feed entries of a campaign's public changes, newest first."""
    entries = []
    path = reverse("campaigns:campaign", args=[campaign.slug])
    for change in reversed(records.public_changes(campaign)):
        kind, at, party = change["kind"], change["at"], change["party"]
        questions = "; ".join(f"« {title} »" for title in change["questions"])
        if kind == records.PUBLISHED:
            title = f"{campaign.name} : les réponses des partis sont publiées"
            description = (
                f"Les réponses des partis aux questions du Collectif petite enfance pour "
                f"« {campaign.name} » sont publiées depuis le {french_date(at)}."
            )
            key = "publication"
        elif kind == records.CORRECTED:
            title = f"{campaign.name} : {party.name} a corrigé sa réponse"
            description = (
                f"{party.name} a corrigé le {french_date(at)} sa réponse au questionnaire "
                f"« {change['questionnaire'].title} » : {questions}. Le texte publié "
                "auparavant reste affiché sous la réponse."
            )
            key = f"correction/{change['questionnaire'].pk}/{party.pk}"
        else:
            title = f"{campaign.name} : {party.name} a répondu"
            description = (
                f"{party.name} a répondu le {french_date(at)} au questionnaire "
                f"« {change['questionnaire'].title} »."
            )
            key = f"reponse/{change['questionnaire'].pk}/{party.pk}"
        entries.append(
            {
                "title": title,
                "description": description,
                "path": path,
                "at": at,
                # Stable whatever the host: a feed reader shows each change once.
                "id": f"campagne/{campaign.slug}/{key}/{at.isoformat()}",
            }
        )
    return entries


class EntryFeed(Feed):
    """A feed of entries as `change_entries` makes them (title, description, path, at, id)."""

    feed_type = Atom1Feed
    author_name = "Collectif petite enfance"

    def item_title(self, entry):
        return entry["title"]

    def item_description(self, entry):
        return entry["description"]

    def item_link(self, entry):
        return entry["path"]

    def item_guid(self, entry):
        return f"tag:collectifpetiteenfance.org,2026:{entry['id']}"

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return entry["at"]

    def item_updateddate(self, entry):
        return entry["at"]


class CampaignFeed(EntryFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Campaign, slug=slug)

    def title(self, campaign):
        return f"{campaign.name} — Collectif petite enfance"

    def subtitle(self, campaign):
        return "La publication des réponses des partis, puis chacune de leurs corrections."

    def link(self, campaign):
        return reverse("campaigns:campaign", args=[campaign.slug])

    def feed_url(self, campaign):
        return reverse("campaigns:feed", args=[campaign.slug])

    def items(self, campaign):
        return change_entries(campaign)[:MAX_ENTRIES]
