from collectif.demo import ensure_page, read_demo_data

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
            body=theme["body"],
        )
    return index
