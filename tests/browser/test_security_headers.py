"""The Content-Security-Policy breaks nothing: no violation on the public pages, nor in
Wagtail's page editor, which still works under the admin's policy."""

import re

from django.contrib.auth import get_user_model

import pytest
from playwright.sync_api import expect

from pillars.models import PillarPage

pytestmark = pytest.mark.browser


def csp_errors(page):
    errors = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    return errors


def test_public_pages_and_the_page_editor_raise_no_csp_violation(demo_site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = csp_errors(page)
    for path in (
        "/",
        "/plateforme/enfant/",
        "/boussole/agir-ensemble/",
        "/recherche/?q=enfant",
        "/infolettre/",
        "/confidentialite/",
    ):
        response = page.goto(demo_site.url + path)
        assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert errors == []

    get_user_model().objects.create_superuser("admin", "admin@exemple.ca", "mot-de-passe-1")
    page.goto(demo_site.url + "/admin/login/")
    page.locator("#id_username").fill("admin")
    page.locator("#id_password").fill("mot-de-passe-1")
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    pillar = PillarPage.objects.get(slug="enfant")
    page.goto(f"{demo_site.url}/admin/pages/{pillar.pk}/edit/")
    # The editor's scripts ran: the block editor drew its blocks, the preview panel opens.
    expect(page.locator("#id_title")).to_have_value(pillar.title)
    expect(page.locator("[data-streamfield-stream-container]").first).to_be_visible()
    page.get_by_role("button", name="Afficher/masquer la prévisualisation").click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.locator("h1")).to_have_text(pillar.title)
    page.wait_for_load_state("load")  # not "networkidle": the editor keeps polling
    assert errors == [], errors
    context.close()
