from django.test import TestCase

from tests.home.factories import build_site_tree


class SearchPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree(pillars=2)

    def test_finds_a_published_page_by_its_title(self):
        response = self.client.get("/recherche/", {"q": "plateforme"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'href="/plateforme/"')

    def test_empty_state_keeps_the_query(self):
        response = self.client.get("/recherche/", {"q": "zzzxqw"})
        self.assertContains(response, "Aucun résultat pour « zzzxqw »")
        self.assertContains(response, 'value="zzzxqw"')

    def test_hostile_queries_never_fail(self):
        for query in ["x" * 1000, "'; DROP TABLE x; --", "(((", "a\x00b", "<script>", "%%"]:
            with self.subTest(query=query[:20]):
                response = self.client.get("/recherche/", {"q": query, "page": "abc"})
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "<script>")
