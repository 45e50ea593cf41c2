import gzip
import re

from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import TestCase

BUDGET = 60 * 1024  # HTML + CSS + JS of a page, images aside, compressed


class PageWeightTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo_content", verbosity=0)

    def weight(self, url):
        html = self.client.get(url).content
        assets = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
        total = len(gzip.compress(html))
        for asset in assets:
            with open(finders.find(asset.decode()), "rb") as stream:
                total += len(gzip.compress(stream.read()))
        return total, assets

    def test_pages_stay_light(self):
        for url in ("/", "/plateforme/enfant/", "/boussole/agir-ensemble/"):
            with self.subTest(url=url):
                total, assets = self.weight(url)
                self.assertIn(b"css/site.css", assets)
                self.assertLess(total, BUDGET)

    def test_no_third_party_asset(self):
        html = self.client.get("/").content.decode()
        self.assertNotRegex(html, r'(?:href|src)="(?:https?:)?//(?!testserver)[^"]+\.(?:css|js)')

    def test_pillar_and_theme_pages_print_cleanly(self):
        for url in ("/plateforme/enfant/", "/boussole/agir-ensemble/"):
            html = self.client.get(url).content.decode()
            self.assertRegex(
                html, r'<link rel="stylesheet" href="/static/css/print.css" media="print">'
            )
        with open(finders.find("css/print.css")) as stream:
            print_css = stream.read()
        for hidden in (".site-header", ".site-footer", ".breadcrumbs"):
            self.assertIn(hidden, print_css)
