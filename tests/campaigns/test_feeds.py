"""The Atom feeds of what changes in public, read by feedparser as a feed reader would."""

from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

import feedparser

from campaigns.models import Campaign, ResponseVersion
from tests.campaigns.factories import CampaignOnThemeTestData, post_answers


def parsed(response):
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


class FeedTests(CampaignOnThemeTestData, TestCase):
    parties = 2

    def feed(self, path=None):
        response = self.client.get(path or f"/campagnes/{self.campaign.slug}/flux.atom")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("application/atom+xml"))
        # A public GET without cookies: the page cache may keep it.
        self.assertFalse(response.cookies)
        return parsed(response)

    def publish_then_correct(self):
        first, second = self.invitations
        key = self.questions[0].clean_name
        post_answers(self.client, first, self.questions, action="submit", **{key: "Promesse"})
        ResponseVersion.objects.update(saved_at=timezone.now() - timedelta(hours=3))
        self.campaign.publish_results(user=None)
        Campaign.objects.filter(pk=self.campaign.pk).update(
            published_at=timezone.now() - timedelta(hours=2)
        )
        post_answers(self.client, first, self.questions, action="submit", **{key: "Corrigée"})
        post_answers(self.client, second, self.questions, action="submit")
        return first.party, second.party

    def test_nothing_before_the_answers_are_public(self):
        post_answers(self.client, self.invitations[0], self.questions, action="submit")
        self.assertEqual(self.feed().entries, [])
        site = self.feed("/flux.atom")
        self.assertFalse([e for e in site.entries if self.campaign.name in e.title])

    def test_publication_corrections_and_late_answers_newest_first(self):
        first, second = self.publish_then_correct()
        # A draft typed after the publication is no change the public sees.
        key = self.questions[1].clean_name
        post_answers(self.client, self.invitations[1], self.questions, **{key: "Brouillon secret"})
        feed = self.feed()
        titles = [entry.title for entry in feed.entries]
        self.assertEqual(
            titles,
            [
                f"{self.campaign.name} : {second.name} a répondu",
                f"{self.campaign.name} : {first.name} a corrigé sa réponse",
                f"{self.campaign.name} : les réponses des partis sont publiées",
            ],
        )
        dates = [entry.updated_parsed for entry in feed.entries]
        self.assertEqual(dates, sorted(dates, reverse=True))
        self.assertIn(self.questions[0].label, feed.entries[1].summary)
        self.assertNotIn(self.questions[1].label, feed.entries[1].summary)
        self.assertEqual(
            feed.entries[0].link, f"http://testserver/campagnes/{self.campaign.slug}/"
        )
        self.assertEqual(len({entry.id for entry in feed.entries}), 3)
        self.assertNotIn("Brouillon secret", self.client.get("/flux.atom").content.decode())

    def test_the_site_feed_has_pages_and_campaign_changes_in_order(self):
        self.publish_then_correct()
        feed = self.feed("/flux.atom")
        titles = [entry.title for entry in feed.entries]
        self.assertIn(self.theme.title, titles)
        self.assertIn(f"{self.campaign.name} : les réponses des partis sont publiées", titles)
        dates = [entry.updated_parsed for entry in feed.entries]
        self.assertEqual(dates, sorted(dates, reverse=True))

    def test_every_page_and_the_campaign_page_link_their_feeds(self):
        page = self.client.get(self.theme.url)
        self.assertContains(
            page, '<link rel="alternate" type="application/atom+xml" title="Collectif petite'
        )
        self.assertContains(page, 'href="/flux.atom"')
        campaign_page = self.client.get(f"/campagnes/{self.campaign.slug}/")
        self.assertContains(campaign_page, f'href="/campagnes/{self.campaign.slug}/flux.atom"')

    def test_an_unknown_campaign_has_no_feed(self):
        self.assertEqual(self.client.get("/campagnes/inconnue/flux.atom").status_code, 404)
