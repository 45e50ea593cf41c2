"""The site's Atom feed (`/flux.atom`, linked from every page's head): pages published and the
campaigns' public changes (campaigns/feeds.py), newest first."""

from django.urls import reverse

from wagtail.models import Page

from campaigns.feeds import MAX_ENTRIES, EntryFeed, change_entries
from campaigns.models import Campaign


class SiteFeed(EntryFeed):
    title = "Collectif petite enfance : nouveautés"
    subtitle = (
        "Les pages publiées du site, la publication des réponses des partis et leurs corrections."
    )

    def link(self):
        return "/"

    def feed_url(self):
        return reverse("feed")

    def items(self):
        pages = (
            Page.objects.live()
            .public()
            .filter(depth__gt=1, last_published_at__isnull=False)
            .order_by("-last_published_at")[:MAX_ENTRIES]
        )
        entries = [
            {
                "title": page.title,
                "description": page.search_description or "",
                "path": page.url,
                "at": page.last_published_at,
                "id": f"page/{page.pk}/{page.last_published_at.isoformat()}",
            }
            for page in pages
        ]
        for campaign in Campaign.objects.all():
            entries += change_entries(campaign)
        entries.sort(key=lambda entry: entry["at"], reverse=True)
        return entries[:MAX_ENTRIES]
