import factory
import wagtail_factories

from pillars.models import PillarPage, PlatformPage


def measures_data(count, image=None):
    """Raw stream data for `count` measures, each with a description and a link."""
    return [
        {
            "type": "measure",
            "value": {
                "title": f"Mesure numéro {n}",
                "description": f"<p>Description de la mesure {n}.</p>",
                "image": (
                    {"image": image.pk, "decorative": False, "alt_text": f"Illustration {n}"}
                    if image
                    else None
                ),
                "links": [{"label": "Québec.ca", "page": None, "url": "https://www.quebec.ca/"}],
            },
        }
        for n in range(1, count + 1)
    ]


class PlatformPageFactory(wagtail_factories.PageFactory):
    title = "La plateforme"
    slug = "plateforme"
    show_in_menus = True

    class Meta:
        model = PlatformPage


class PillarPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Pilier {n}")
    intro = "Le chapeau du pilier."
    measures = factory.LazyFunction(lambda: measures_data(2))

    class Meta:
        model = PillarPage
