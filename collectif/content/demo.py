"""Helpers for the demo content loader: each app's demo.py reads its own YAML file and builds
its pages through the page API, keyed by slug, so that loading twice changes nothing."""

from pathlib import Path

from django.apps import apps

import yaml


def read_demo_data(app_label):
    path = Path(apps.get_app_config(app_label).path) / "demo.yaml"
    with path.open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def ensure_page(parent, model, data, **fields):
    """Returns (page, created). An existing page, found by its slug under `parent`, is left as
    the editors made it; a new one is added and published."""
    slug = data["slug"]
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific, False
    page = model(
        title=data["title"],
        slug=slug,
        seo_title=data.get("seo_title", ""),
        search_description=data.get("search_description", ""),
        show_in_menus=data.get("show_in_menus", False),
        **fields,
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True
