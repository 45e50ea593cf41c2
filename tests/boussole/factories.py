import factory
import wagtail_factories

from boussole.models import BoussoleIndexPage, ThemePage


class BoussoleIndexPageFactory(wagtail_factories.PageFactory):
    title = "La boussole"
    slug = "boussole"
    show_in_menus = True

    class Meta:
        model = BoussoleIndexPage


class ThemePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Thème {n}")
    intro = "<p>Ce que le Collectif croit.</p>"
    findings = factory.LazyFunction(
        lambda: [
            {
                "type": "finding",
                "value": {
                    "text": "<p>La collaboration est une pierre angulaire.</p>",
                    "principles": [{"text": "Cohérence des partenariats."}],
                },
            }
        ]
    )
    body = factory.LazyFunction(
        lambda: [{"type": "heading", "value": {"text": "Élections 2022", "level": "h2"}}]
    )

    class Meta:
        model = ThemePage
