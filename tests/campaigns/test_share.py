"""Pages that share well: canonical address, description, OpenGraph and Twitter tags, an image
for every share (a card that says what a comparison compares, renewed when the answers change),
JSON-LD, the campaign pages in the sitemap and a title of its own for every page."""

import html
import json
import re
from datetime import timedelta
from urllib.parse import urlsplit

from django.core.files.storage import default_storage
from django.test import TestCase
from django.utils import timezone

from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

from campaigns.models import ResponseVersion
from collectif.models import SiteSettings
from tests.campaigns.factories import CampaignOnThemeTestData, post_answers

TAG = re.compile(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">')


def head(response):
    """What a social network or a search engine reads of a page."""
    text = response.content.decode()
    tags = {name: html.unescape(content) for name, content in TAG.findall(text)}
    canonical = [
        html.unescape(u) for u in re.findall(r'<link rel="canonical" href="([^"]+)">', text)
    ]
    ld = [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    ]
    alternates = re.findall(
        r'<link rel="alternate" type="([^"]+)" title="[^"]*" href="([^"]+)">', text
    )
    title = html.unescape(re.search(r"<title>(.*?)</title>", text, re.S).group(1))
    return {
        "tags": tags,
        "canonical": canonical,
        "ld": ld,
        "alternates": alternates,
        "title": title,
    }


def stored(url):
    """The file behind a card's address, in the site's media storage."""
    path = urlsplit(url).path
    return default_storage.exists(path.removeprefix("/media/"))


class ShareTests(CampaignOnThemeTestData, TestCase):
    parties = 3

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        client = cls.client_class()
        for invitation in cls.invitations[:2]:
            post_answers(client, invitation, cls.questions, action="submit")
        ResponseVersion.objects.update(saved_at=timezone.now() - timedelta(days=1))
        cls.campaign.publish_results(user=None)
        cls.parties = [i.party for i in cls.invitations]

    def campaign_url(self, query=""):
        return f"/campagnes/{self.campaign.slug}/{query}"

    def assert_shares_well(self, seen, title_part):
        tags = seen["tags"]
        self.assertEqual(len(seen["canonical"]), 1)
        self.assertEqual(tags["og:url"], seen["canonical"][0])
        self.assertIn(title_part, tags["og:title"])
        self.assertEqual(tags["twitter:title"], tags["og:title"])
        self.assertTrue(tags["description"])
        self.assertEqual(tags["og:description"], tags["description"])
        self.assertEqual(tags["twitter:card"], "summary_large_image")
        self.assertEqual(tags["twitter:image"], tags["og:image"])
        self.assertTrue(tags["og:image:alt"])
        self.assertEqual((tags["og:image:width"], tags["og:image:height"]), ("1200", "630"))
        self.assertTrue(stored(tags["og:image"]), tags["og:image"])

    def test_the_campaign_page_shares_its_answers_and_its_dataset(self):
        seen = head(self.client.get(self.campaign_url()))
        self.assert_shares_well(seen, self.campaign.name)
        self.assertEqual(seen["canonical"], [f"http://testserver{self.campaign_url()}"])
        self.assertIn("/media/partage/campagne-", seen["tags"]["og:image"])
        (dataset,) = seen["ld"]
        self.assertEqual(dataset["@type"], "Dataset")
        self.assertIn("creativecommons.org/licenses/by/4.0", dataset["license"])
        self.assertIn(
            f"http://testserver/campagnes/{self.campaign.slug}/reponses.csv",
            [d["contentUrl"] for d in dataset["distribution"]],
        )
        self.assertIn(
            (
                "application/json",
                f"http://testserver/campagnes/{self.campaign.slug}/datapackage.json",
            ),
            seen["alternates"],
        )

    def test_a_comparison_shares_what_it_compares(self):
        first, _, third = self.parties
        query = f"?partis={third.pk}&partis=junk&partis=999999&partis={first.pk}"
        seen = head(self.client.get(self.campaign_url(query)))
        self.assert_shares_well(seen, "Comparaison")
        # The canonical address keeps the chosen parties (in a stable order), nothing else.
        self.assertEqual(
            seen["canonical"],
            [f"http://testserver{self.campaign_url()}?partis={first.pk}&partis={third.pk}"],
        )
        for party in (first, third):
            self.assertIn(party.name, seen["tags"]["og:title"])
            self.assertIn(party.name, seen["tags"]["description"])
        self.assertNotIn(self.parties[1].name, seen["tags"]["og:title"])
        self.assertIn(first.name, seen["title"])
        whole = head(self.client.get(self.campaign_url()))
        self.assertNotEqual(seen["tags"]["og:image"], whole["tags"]["og:image"])
        self.assertNotEqual(seen["title"], whole["title"])

    def test_the_share_image_changes_when_the_answers_change(self):
        query = f"?partis={self.parties[0].pk}&partis={self.parties[1].pk}"
        before = head(self.client.get(self.campaign_url(query)))["tags"]["og:image"]
        again = head(self.client.get(self.campaign_url(query)))["tags"]["og:image"]
        self.assertEqual(before, again)
        # A compared party corrects its published answers: a new card, at a new address.
        post_answers(
            self.client,
            self.invitations[0],
            self.questions,
            action="submit",
            **{self.questions[0].clean_name: "Une correction"},
        )
        after = head(self.client.get(self.campaign_url(query)))["tags"]["og:image"]
        self.assertNotEqual(before, after)
        self.assertTrue(stored(after))
        self.assertTrue(stored(before))  # a network that fetched the old card still gets it
        # A party that is not compared changes nothing of this comparison's card.
        post_answers(self.client, self.invitations[2], self.questions, action="submit")
        self.assertEqual(
            head(self.client.get(self.campaign_url(query)))["tags"]["og:image"], after
        )

    def test_the_theme_page_links_its_open_data_and_shares_its_comparisons(self):
        seen = head(self.client.get(self.theme.url))
        self.assert_shares_well(seen, self.theme.title)
        self.assertEqual(seen["canonical"], [self.theme.full_url])
        self.assertIn(
            ("text/csv", f"http://testserver/campagnes/{self.campaign.slug}/reponses.csv"),
            seen["alternates"],
        )
        party = self.parties[1]
        compared = head(self.client.get(f"{self.theme.url}?partis={party.pk}&utm_source=x"))
        self.assertEqual(compared["canonical"], [f"{self.theme.full_url}?partis={party.pk}"])
        self.assertIn(party.name, compared["tags"]["og:title"])
        self.assertIn("/media/partage/campagne-", compared["tags"]["og:image"])
        self.assertNotEqual(compared["title"], seen["title"])

    def test_the_open_data_page_describes_each_dataset(self):
        seen = head(self.client.get("/donnees-ouvertes/"))
        self.assert_shares_well(seen, "Données ouvertes")
        self.assertEqual(seen["canonical"], ["http://testserver/donnees-ouvertes/"])
        self.assertEqual([d["@type"] for d in seen["ld"]], ["Dataset"])
        self.assertEqual(seen["ld"][0]["includedInDataCatalog"]["@type"], "DataCatalog")

    def test_the_page_s_own_image_then_the_site_s_default(self):
        image = Image.objects.create(
            title="Enfants au parc", file=get_test_image_file(filename="parc.png", size=(800, 500))
        )
        settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
        settings.social_image = image
        settings.save()
        standard = head(self.client.get("/a-propos/"))["tags"]
        self.assertIn("/images/", standard["og:image"])
        self.assertEqual(standard["og:image:alt"], "Enfants au parc")
        # A campaign's card says more than the default image.
        campaign = head(self.client.get(self.campaign_url()))["tags"]
        self.assertIn("/media/partage/campagne-", campaign["og:image"])
        own = Image.objects.create(
            title="Le thème", file=get_test_image_file(filename="theme.png", size=(900, 600))
        )
        self.theme.social_image = own
        self.theme.save_revision().publish()
        theme = head(self.client.get(f"{self.theme.url}?partis={self.parties[0].pk}"))["tags"]
        self.assertEqual(theme["og:image:alt"], "Le thème")

    def test_a_data_block_is_never_a_way_out_of_the_script_element(self):
        self.campaign.name = "Élections </script><script>alert(1)</script>"
        self.campaign.save()
        text = self.client.get(self.campaign_url()).content.decode()
        self.assertNotIn("<script>alert", text)
        self.assertEqual(
            head(self.client.get(self.campaign_url()))["ld"][0]["name"][:9], "Élections"
        )

    def test_campaign_pages_are_in_the_sitemap_and_every_title_is_unique(self):
        sitemap = self.client.get("/sitemap.xml").content.decode()
        urls = re.findall(r"<loc>http://testserver(/[^<]*)</loc>", sitemap)
        self.assertIn(self.campaign_url(), urls)
        self.assertIn("/donnees-ouvertes/", urls)
        urls.append(self.campaign_url(f"?partis={self.parties[0].pk}"))
        titles = {}
        for url in urls:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            titles.setdefault(head(response)["title"], []).append(url)
        self.assertEqual({t: u for t, u in titles.items() if len(u) > 1}, {})

    def test_the_home_page_describes_the_organization(self):
        seen = head(self.client.get("/"))
        self.assert_shares_well(seen, "Accueil")
        (organization,) = seen["ld"]
        self.assertEqual(organization["@type"], "Organization")
        self.assertEqual(organization["name"], "Collectif petite enfance")
        self.assertEqual(organization["url"], "http://testserver/")
        # Only the home page speaks for the Collectif.
        self.assertEqual(head(self.client.get("/a-propos/"))["ld"], [])
