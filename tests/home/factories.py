import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from home.models import HomePage, MemberOrganisation, StandardPage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Accueil"
    slug = "accueil"
    vision = "Que le Québec offre à chaque enfant les moyens de se développer."
    impacts = factory.LazyFunction(
        lambda: [{"type": "impact", "value": {"text": "Une meilleure compréhension des enjeux."}}]
    )
    theory_intro = "Pour y arriver, le Collectif s’appuie sur sa théorie de changement."
    theory_heading = "L’enfant au coeur des préoccupations"
    theory_text = "<p>Placer la petite enfance à l’avant-plan.</p>"
    call_heading = "Tout le monde peut contribuer"
    call_text = "<p>Chacun et chacune a un rôle à jouer.</p>"
    members_heading = "Les forces du Collectif"

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Page générale {n}")
    intro = "Un chapeau de page générale."
    body = factory.LazyFunction(
        lambda: [{"type": "paragraph", "value": "<p>Le texte de la page générale.</p>"}]
    )

    class Meta:
        model = StandardPage


class MemberOrganisationFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Organisation fictive {n}")
    url = "https://example.org/"

    class Meta:
        model = MemberOrganisation


def make_site_root(home):
    from wagtail.models import Site

    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"root_page": home, "hostname": "testserver", "port": 80},
    )
    return home


def build_site_tree(pillars=2, measures=2, themes=1):
    """A published page tree like the real one: home, platform with pillars, boussole with
    themes, a general page. Returns the pages by name."""
    from wagtail.models import Page

    from tests.boussole.factories import BoussoleIndexPageFactory, ThemePageFactory
    from tests.pillars.factories import PillarPageFactory, PlatformPageFactory, measures_data

    home = make_site_root(HomePageFactory(parent=Page.get_first_root_node()))
    platform = PlatformPageFactory(parent=home)
    pillar_pages = [
        PillarPageFactory(parent=platform, measures=measures_data(measures))
        for _ in range(pillars)
    ]
    boussole = BoussoleIndexPageFactory(parent=home)
    theme_pages = [ThemePageFactory(parent=boussole) for _ in range(themes)]
    standard = StandardPageFactory(parent=home, title="À propos", slug="a-propos")
    return {
        "home": home,
        "platform": platform,
        "pillars": pillar_pages,
        "boussole": boussole,
        "themes": theme_pages,
        "standard": standard,
    }
