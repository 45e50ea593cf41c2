import re

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_phone_reader_follows_the_menu_to_a_pillar(demo_site, phone, output_dir):
    phone.goto(demo_site.url + "/")
    expect(phone.locator("h1")).to_contain_text("que le Québec offre à chaque enfant")

    # On a phone the menu hides behind its button until asked for.
    menu_button = phone.get_by_role("button", name="Menu")
    menu = phone.get_by_role("navigation", name="Menu principal")
    expect(menu).to_be_hidden()
    phone.screenshot(path=output_dir / "accueil-telephone.png", full_page=True)
    menu_button.click()
    expect(menu_button).to_have_attribute("aria-expanded", "true")
    menu.get_by_role("link", name="La plateforme").click()

    expect(phone).to_have_url(re.compile(r"/plateforme/$"))
    phone.get_by_role("link", name="Conditions de vie").first.click()
    expect(phone).to_have_url(re.compile(r"/plateforme/conditions-de-vie/$"))
    expect(phone.locator("h1")).to_have_text("Conditions de vie")
    expect(phone.locator(".measure")).to_have_count(5)
    expect(phone.get_by_role("navigation", name="Fil d’Ariane")).to_contain_text("La plateforme")
    phone.screenshot(path=output_dir / "pilier-telephone.png", full_page=True)
    assert (output_dir / "pilier-telephone.png").stat().st_size > 10_000


def test_keyboard_user_skips_to_content(demo_site, phone):
    phone.goto(demo_site.url + "/boussole/agir-ensemble/")
    phone.keyboard.press("Tab")
    skip = phone.get_by_role("link", name="Passer au contenu")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    phone.keyboard.press("Enter")
    expect(phone).to_have_url(re.compile(r"#contenu$"))
