import re
import time

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


# Lighthouse's threshold of a « good » layout stability is 0.1; we hold the pages to half.
MAX_LAYOUT_SHIFT = 0.05
# The page's layout shifts so far, read at once from the buffer (takeRecords).
LAYOUT_SHIFT = """() => {
  const observer = new PerformanceObserver(() => {});
  observer.observe({type: "layout-shift", buffered: true});
  const entries = observer.takeRecords();
  observer.disconnect();
  return entries.filter((e) => !e.hadRecentInput).reduce((sum, e) => sum + e.value, 0);
}"""


@pytest.mark.parametrize("path", ["/", "/plateforme/conditions-de-vie/", "/boussole/"])
def test_phone_pages_do_not_shift_while_loading(demo_site, phone, path):
    """The menu is closed by CSS from the first paint: the script closing it moved the page.
    The script is held back, as on a slow phone network, so that it runs after the first
    paint (the shift measured 0.056 then)."""

    def slow_network(route):
        time.sleep(1)
        route.continue_()

    phone.route("**/js/site.js", slow_network)
    phone.goto(demo_site.url + path, wait_until="load")
    shift = phone.evaluate(LAYOUT_SHIFT)
    assert shift < MAX_LAYOUT_SHIFT, shift
    expect(phone.get_by_role("navigation", name="Menu principal")).to_be_hidden()


def test_without_javascript_the_menu_opens_from_its_link(browser, demo_site):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(demo_site.url + "/")
    menu = page.get_by_role("navigation", name="Menu principal")
    expect(menu).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(menu).to_be_visible()
    menu.get_by_role("link", name="La plateforme").click()
    expect(page).to_have_url(re.compile(r"/plateforme/$"))
    context.close()
