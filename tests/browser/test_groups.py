"""A member of Rédaction, then of Révision (never a superuser), does each job of the group's
row in docs/groupes.md, in Chromium, from the admin's own menus and buttons."""

import csv
import io
import re
from pathlib import Path

from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

import pytest
from playwright.sync_api import expect

from collectif.models import SiteSettings
from home.models import MemberOrganisation
from newsletter.models import Subscriber
from tests.browser.admin_support import log_in, open_menu

pytestmark = pytest.mark.browser

GUIDE_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"


@pytest.mark.parametrize("group", ["Rédaction", "Révision"])
def test_an_editor_does_each_job_of_the_group(demo_site, browser, group, output_dir):
    # The screenshots of docs/guide-redaction.md are taken by Rédaction's run.
    images = GUIDE_IMAGES if group == "Rédaction" else output_dir
    Subscriber.objects.create(email="parent@exemple.ca", consent_text="J’accepte.")
    context, page = log_in(browser, demo_site.url, group)
    save = page.get_by_role("button", name=re.compile(r"^(Enregistrer|Créer)$")).first

    # A member organisation of « Les forces du Collectif ».
    member = MemberOrganisation.objects.order_by("sort_order", "pk").first()
    open_menu(page, "Fragments")
    page.locator("main").get_by_role("link", name=re.compile("Organisations membres")).click()
    page.get_by_role("link", name=member.name, exact=True).first.click()
    page.locator("#id_url").fill("https://organisation.example/")
    save.click()
    expect(page.locator(".messages")).to_contain_text("Modifications enregistrées")
    member.refresh_from_db()
    assert member.url == "https://organisation.example/"

    # A content setting: the footer text.
    open_menu(page, "Paramètres", "Paramètres du site")
    page.locator("#id_footer_text").fill("Le Collectif porte la voix des tout-petits.")
    save.click()
    expect(page.locator(".messages")).to_contain_text("mis à jour")
    assert SiteSettings.objects.get().footer_text == "Le Collectif porte la voix des tout-petits."

    # A promoted search result.
    open_menu(page, "Paramètres", "Résultats de recherche promus")
    page.get_by_role("link", name="Ajouter un résultat promu").first.click()
    page.locator("#id_query_string").fill("élections")
    page.locator("#id_editors_picks-ADD").click()
    page.locator("#id_editors_picks-0-external_link_url").fill(
        "https://www.electionsquebec.qc.ca/"
    )
    page.locator("#id_editors_picks-0-external_link_text").fill("Élections Québec")
    page.screenshot(path=images / "05-resultat-promu.png")
    save.click()
    expect(page.locator(".messages")).to_contain_text(re.compile("créé|Ajout"))
    assert SearchPromotion.objects.get().external_link_text == "Élections Québec"

    # A redirect.
    open_menu(page, "Paramètres", "Règles de redirection")
    page.get_by_role("link", name="Ajouter une règle de redirection").first.click()
    page.locator("#id_old_path").fill("/ancienne-plateforme/")
    page.locator("#id_redirect_link").fill(demo_site.url + "/plateforme/")
    save.click()
    expect(page.locator(".messages")).to_contain_text(re.compile("ajouté|Ajout"))
    assert Redirect.objects.filter(old_path="/ancienne-plateforme").exists()

    # The newsletter subscribers: read and export.
    open_menu(page, "Infolettre")
    expect(page.locator("main")).to_contain_text("parent@exemple.ca")
    page.screenshot(path=images / "06-infolettre.png")
    # The header's « Actions » menu holds the downloads.
    page.locator("main header").get_by_role("button", name="Actions").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger en CSV").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert any("parent@exemple.ca" in row for row in rows)

    # An image.
    open_menu(page, "Images")
    page.get_by_role("link", name=re.compile("Ajouter une image")).first.click()
    image = get_test_image_file(filename="atelier.png", size=(640, 480))
    page.locator("#fileupload").set_input_files(
        files=[{"name": "atelier.png", "mimeType": "image/png", "buffer": image.file.getvalue()}]
    )
    expect(page.locator("#upload-list .status-msg.success")).to_be_visible()
    assert get_image_model().objects.filter(file__contains="atelier").exists()
    page.screenshot(path=images / "07-image-televersee.png")
    context.close()
