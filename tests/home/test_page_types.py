from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from boussole.models import BoussoleIndexPage, ThemePage
from home.models import HomePage, StandardPage
from pillars.models import PillarPage, PlatformPage
from tests.home.factories import build_site_tree


class PageTreeRulesTests(WagtailPageTestCase):
    """The page tree of DESIGN.md: each page type only where it belongs."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()

    def test_home_page_children(self):
        self.assertAllowedSubpageTypes(HomePage, {PlatformPage, BoussoleIndexPage, StandardPage})
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_pillar_pages_live_only_under_the_platform(self):
        self.assertAllowedParentPageTypes(PillarPage, {PlatformPage})
        self.assertAllowedSubpageTypes(PillarPage, set())
        self.assertCanCreateAt(PlatformPage, PillarPage)
        self.assertCanNotCreateAt(HomePage, PillarPage)
        self.assertCanNotCreateAt(BoussoleIndexPage, PillarPage)

    def test_theme_pages_live_only_under_the_boussole(self):
        self.assertAllowedParentPageTypes(ThemePage, {BoussoleIndexPage})
        self.assertAllowedSubpageTypes(ThemePage, set())
        self.assertCanCreateAt(BoussoleIndexPage, ThemePage)
        self.assertCanNotCreateAt(PlatformPage, ThemePage)
        self.assertCanNotCreateAt(HomePage, ThemePage)

    def test_standard_pages(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertCanCreateAt(StandardPage, StandardPage)
        self.assertCanNotCreateAt(PlatformPage, StandardPage)

    def test_singletons_cannot_be_created_twice(self):
        home = self.tree["home"]
        for model in (PlatformPage, BoussoleIndexPage):
            self.assertFalse(model.can_create_at(home), model)
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))
        self.assertEqual(
            (HomePage.max_count, PlatformPage.max_count, BoussoleIndexPage.max_count), (1, 1, 1)
        )


class EditorCreatesPagesTests(WagtailPageTestCase):
    """An editor creates each page type through the admin's own form."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()

    def setUp(self):
        self.login()

    def test_create_pillar_with_measures(self):
        self.assertCanCreate(
            self.tree["platform"],
            PillarPage,
            nested_form_data(
                {
                    "title": "Nouveau pilier",
                    "slug": "nouveau-pilier",
                    "intro": "Un chapeau.",
                    "measures": streamfield(
                        [
                            (
                                "measure",
                                {
                                    "title": "Une mesure",
                                    "description": rich_text("<p>Pourquoi.</p>"),
                                    "image": {"image": "", "decorative": "", "alt_text": ""},
                                    "links": streamfield([]),
                                },
                            )
                        ]
                    ),
                }
            ),
        )
        pillar = PillarPage.objects.get(slug="nouveau-pilier")
        self.assertEqual(pillar.measure_summaries, [("Une mesure", "une-mesure")])

    def test_create_theme(self):
        self.assertCanCreate(
            self.tree["boussole"],
            ThemePage,
            nested_form_data(
                {
                    "title": "Nouveau thème",
                    "slug": "nouveau-theme",
                    "intro": rich_text("<p>Ce que nous croyons.</p>"),
                    "findings_heading": "Le Collectif constate que :",
                    "findings": streamfield([]),
                    "body": streamfield([("heading", {"text": "Une section", "level": "h2"})]),
                }
            ),
        )

    def test_create_standard_page(self):
        self.assertCanCreate(
            self.tree["home"],
            StandardPage,
            nested_form_data(
                {
                    "title": "Politique de confidentialité",
                    "slug": "confidentialite",
                    "intro": "",
                    "body": streamfield([("paragraph", rich_text("<p>Vos données.</p>"))]),
                }
            ),
        )


class PagesRenderTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()

    def test_every_page_type_is_routable_and_renderable(self):
        pages = [
            self.tree["home"],
            self.tree["platform"],
            self.tree["pillars"][0],
            self.tree["boussole"],
            self.tree["themes"][0],
            self.tree["standard"],
        ]
        for page in pages:
            with self.subTest(page=type(page).__name__):
                self.assertPageIsRoutable(page)
                self.assertPageIsRenderable(page)

    def assertPageShows(self, page, *texts):
        response = self.client.get(page.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<h1", count=1)
        for text in texts:
            self.assertContains(response, text)
        return response

    def test_home_shows_vision_pillars_and_members(self):
        from tests.home.factories import MemberOrganisationFactory

        MemberOrganisationFactory(name="Maison fictive des familles")
        pillar = self.tree["pillars"][0]
        self.assertPageShows(
            self.tree["home"],
            "Que le Québec offre à chaque enfant",
            "Une meilleure compréhension des enjeux.",
            "L’enfant au coeur des préoccupations",
            "Tout le monde peut contribuer",
            "Maison fictive des familles",
            f'href="{pillar.url}#mesure-numero-1"',
        )

    def test_pillar_shows_its_measures_in_order(self):
        pillar = self.tree["pillars"][0]
        response = self.assertPageShows(pillar, "Mesure numéro 1", "Description de la mesure 2.")
        html = response.content.decode()
        self.assertLess(html.index('id="mesure-numero-1"'), html.index('id="mesure-numero-2"'))
        self.assertContains(response, 'href="https://www.quebec.ca/"')

    def test_theme_shows_findings_and_principles(self):
        self.assertPageShows(
            self.tree["themes"][0],
            "La collaboration est une pierre angulaire.",
            "Cohérence des partenariats.",
            "Élections 2022",
        )

    def test_menu_and_breadcrumbs(self):
        response = self.assertPageShows(self.tree["pillars"][0])
        self.assertContains(response, 'aria-label="Menu principal"')
        self.assertContains(response, '<a href="/plateforme/">La plateforme</a>', html=True)
        self.assertContains(response, 'href="#contenu"')
        self.assertNotContains(response, 'style="')

    def test_draft_pages_are_not_public(self):
        pillar = self.tree["pillars"][0]
        pillar.unpublish()
        self.assertEqual(self.client.get(pillar.url or "/plateforme/pilier/").status_code, 404)
        self.assertNotContains(self.client.get("/plateforme/"), pillar.title)
