import re

from django.test import TestCase, override_settings

from tests.home.factories import build_site_tree


class SiteWideTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree(pillars=2)

    def test_sitemap_lists_every_public_page_and_each_answers(self):
        response = self.client.get("/sitemap.xml")
        self.assertEqual(response.status_code, 200)
        urls = re.findall(r"<loc>http://testserver(/[^<]*)</loc>", response.content.decode())
        # The pages, then the « Données ouvertes » page.
        self.assertEqual(len(urls), 1 + 1 + 2 + 1 + 1 + 1 + 1)
        for url in urls:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_sitemap_leaves_out_unpublished_pages(self):
        self.tree["standard"].unpublish()
        self.assertNotContains(self.client.get("/sitemap.xml"), "/a-propos/")

    def test_robots_txt_points_to_the_sitemap(self):
        response = self.client.get("/robots.txt")
        self.assertEqual(response["Content-Type"], "text/plain")
        self.assertContains(response, "Sitemap: http://testserver/sitemap.xml")
        self.assertContains(response, "Disallow: /admin/")

    def test_unknown_page_gets_a_french_404(self):
        response = self.client.get("/n-existe-pas/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "Page introuvable", status_code=404)
        self.assertContains(response, 'lang="fr-CA"', status_code=404)

    @override_settings(DEBUG=False)
    def test_server_error_page_is_french_and_standalone(self):
        from django.template.loader import render_to_string

        html = render_to_string("500.html")
        self.assertIn("Une erreur est survenue", html)
        self.assertNotIn("{%", html)

    def test_admin_speaks_french(self):
        from django.contrib.auth import get_user_model

        admin = get_user_model().objects.create_superuser("redaction", "r@example.org", "x")
        self.client.force_login(admin)
        response = self.client.get("/admin/")
        self.assertContains(response, 'lang="fr')
        self.assertContains(response, "Pages")
        response = self.client.get(f"/admin/pages/{self.tree['platform'].pk}/")
        self.assertContains(response, "Visualiser la version publiée")
        self.assertContains(response, "Pilier")

    def test_pages_have_no_inline_script_or_style(self):
        for page in (self.tree["home"], self.tree["pillars"][0], self.tree["themes"][0]):
            html = self.client.get(page.url).content.decode()
            # A JSON-LD block is data, never run: the only script element without a source.
            self.assertNotRegex(
                html, r'<script(?![^>]*\bsrc=)(?! type="application/ld\+json">)[^>]*>'
            )
            self.assertNotIn('style="', html)
            self.assertNotRegex(html, r"\son[a-z]+=")


class BlockPreviewTests(TestCase):
    def test_block_preview_uses_the_site_styles(self):
        from django.contrib.auth import get_user_model

        admin = get_user_model().objects.create_superuser("redaction", "r@example.org", "x")
        self.client.force_login(admin)
        from pillars.models import PillarPage

        measure_block = PillarPage._meta.get_field("measures").stream_block.child_blocks["measure"]
        response = self.client.get(
            "/admin/block-preview/", {"id": measure_block.definition_prefix}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "/static/css/site.css")
        self.assertContains(response, "Accès à des logements abordables")


class DebugUrlsTests(TestCase):
    """`make run` serves with DEBUG on, which adds the static and media URLs."""

    def setUp(self):
        import importlib

        from django.urls import clear_url_caches

        import collectif.urls

        def reload_urls():
            clear_url_caches()
            importlib.reload(collectif.urls)

        with override_settings(DEBUG=True):
            reload_urls()
        self.addCleanup(reload_urls)

    def test_favicon_under_debug(self):
        response = self.client.get("/favicon.ico")
        self.assertEqual(response.status_code, 301)
        self.assertTrue(response["Location"].endswith("img/favicon.svg"))
        self.assertEqual(self.client.get(response["Location"]).status_code, 200)
