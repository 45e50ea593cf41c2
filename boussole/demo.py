from campaigns.models import Questionnaire
from collectif.content.demo import ensure_page, read_demo_data

from .models import BoussoleIndexPage, ThemePage


def load(home):
    data = read_demo_data("boussole")
    index, _ = ensure_page(home, BoussoleIndexPage, {**data["index"], "show_in_menus": True})
    for theme in data["themes"]:
        ensure_page(
            index,
            ThemePage,
            theme,
            intro=theme["intro"],
            findings_heading=theme["findings_heading"],
            findings=[
                {
                    "type": "finding",
                    "value": {
                        "text": f["text"],
                        "principles": [{"text": t} for t in f.get("principles", [])],
                    },
                }
                for f in theme["findings"]
            ],
            body=[_resolve(block) for block in theme["body"]],
        )
    return index


def _resolve(block):
    """A questionnaire block names its questionnaire by campaign slug and title."""
    if block["type"] != "questionnaire":
        return block
    ref = block["value"]["questionnaire"]
    questionnaire = Questionnaire.objects.get(campaign__slug=ref["campaign"], title=ref["title"])
    return {
        "type": "questionnaire",
        "value": {**block["value"], "questionnaire": questionnaire.pk},
    }
