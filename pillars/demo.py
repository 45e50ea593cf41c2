from collectif.content.demo import ensure_page, read_demo_data

from .models import PillarPage, PlatformPage


def load(home):
    data = read_demo_data("pillars")["platform"]
    platform, _ = ensure_page(home, PlatformPage, {**data, "show_in_menus": True})
    for pillar in data["pillars"]:
        ensure_page(
            platform,
            PillarPage,
            pillar,
            intro=pillar.get("intro", ""),
            measures=[
                {"type": "measure", "value": {"title": title, "description": "", "links": []}}
                for title in pillar["measures"]
            ],
        )
    return platform
