"""An editor writes a pillar, previews it and submits it to review; a reviewer publishes it.
The screenshots illustrate docs/guide-redaction.md, so the guide shows the admin as it is."""

import re
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

import pytest
from playwright.sync_api import expect

from pillars.models import PillarPage, PlatformPage
from tests.browser.admin_support import log_in_as

pytestmark = pytest.mark.browser

GUIDE_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"


def test_editor_writes_reviewer_publishes(demo_site, browser):
    users = get_user_model().objects
    for username, group in (("redactrice", "Rédaction"), ("reviseur", "Révision")):
        users.create_user(username, f"{username}@example.org", "mot-de-passe-1").groups.add(
            Group.objects.get(name=group)
        )
    get_image_model().objects.create(
        title="Enfants au parc", file=get_test_image_file(filename="parc.png", size=(800, 500))
    )
    platform = PlatformPage.objects.get()
    GUIDE_IMAGES.mkdir(parents=True, exist_ok=True)

    context, page = log_in_as(browser, demo_site.url, "redactrice")
    page.goto(f"{demo_site.url}/admin/pages/add/pillars/pillarpage/{platform.pk}/")
    page.locator("#id_title").fill("Santé mentale des tout-petits")
    page.locator("#id_intro").fill("Des mesures pour le bien-être psychologique des enfants.")
    measures = page.locator("#panel-child-contenu-measures-section")

    measures.locator("button[title='Insérer un bloc']").first.click()
    page.locator("#measures-0-value-title").fill("Accès rapide aux services en santé mentale")
    measures.locator("[contenteditable=true]").first.click()
    page.keyboard.type("Des services offerts sans liste d’attente aux familles.")
    measures.get_by_role("button", name="Choisir une image").first.click()
    page.get_by_role("link", name=re.compile("Enfants au parc")).first.click()
    page.locator("#measures-0-value-image-alt_text").fill("Trois enfants jouent dans un parc.")

    measures.locator("button[title='Insérer un bloc']").last.click()
    page.locator("#measures-1-value-title").fill("Formation des éducatrices et éducateurs")
    page.screenshot(path=GUIDE_IMAGES / "01-nouveau-pilier.png")

    page.get_by_role("button", name="Enregistrer le brouillon").first.click()
    # Created, or updated when the editor's autosave was quicker than the button.
    expect(page.locator(".messages")).to_contain_text(re.compile("créée|mise à jour"))
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))

    page.get_by_role("button", name="Afficher/masquer la prévisualisation").click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.locator("h1")).to_have_text("Santé mentale des tout-petits")
    page.screenshot(path=GUIDE_IMAGES / "02-apercu.png")

    page.get_by_role("button", name="Plus d’actions").click()
    page.get_by_role("button", name="Soumettre à Révision avant publication").click()
    expect(page.locator(".messages")).to_contain_text("soumis")
    pillar = PillarPage.objects.get(slug="sante-mentale-des-tout-petits")
    assert not pillar.live and len(pillar.latest_revision.as_object().measures) == 2
    # The public does not see it before review.
    anonymous = browser.new_page()
    public_url = demo_site.url + "/plateforme/sante-mentale-des-tout-petits/"
    assert anonymous.goto(public_url).status == 404
    context.close()

    context, page = log_in_as(browser, demo_site.url, "reviseur")
    page.goto(f"{demo_site.url}/admin/pages/{pillar.pk}/edit/")
    page.screenshot(path=GUIDE_IMAGES / "03-revision.png")
    page.get_by_role("button", name="Plus d’actions").click()
    page.get_by_role("button", name="Approuver et publier").click()
    expect(page.locator(".messages")).to_contain_text(
        "La page « Santé mentale des tout-petits » est publiée."
    )
    expect(
        page.locator(".messages").get_by_role("link", name="Voir la page en ligne")
    ).to_have_attribute("href", re.compile(r"/plateforme/sante-mentale-des-tout-petits/$"))
    context.close()

    response = anonymous.goto(public_url)
    assert response.status == 200
    expect(anonymous.locator(".measure")).to_have_count(2)
    expect(anonymous.get_by_role("img", name="Trois enfants jouent dans un parc.")).to_be_visible()
    anonymous.screenshot(path=GUIDE_IMAGES / "04-pilier-publie.png", full_page=True)
    anonymous.close()
