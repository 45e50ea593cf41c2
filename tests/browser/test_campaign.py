import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

import pytest
from playwright.sync_api import expect

from campaigns.models import Invitation, Response

pytestmark = pytest.mark.browser


def test_party_answers_and_the_team_exports(demo_site, browser, output_dir):
    invitation = Invitation.objects.select_related("party").get(party__short_name="MH")
    party_page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()

    # The party opens its private link, then its questionnaire.
    party_page.goto(demo_site.url + invitation.private_path)
    expect(party_page.locator("h1")).to_have_text("Élections québecoises 2022")
    expect(party_page.get_by_text("à remplir")).to_be_visible()
    party_page.get_by_role("link", name=re.compile("Répondre aux questions")).click()

    answers = party_page.locator("textarea")
    expect(answers).to_have_count(3)
    answers.nth(0).fill("Un brouillon sur la synergie.")
    expect(party_page.get_by_text("2971 caractères restants sur 3000")).to_be_visible()
    party_page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(party_page.get_by_text("Brouillon enregistré. Vous pouvez revenir")).to_be_visible()

    # It comes back later with the same link: the draft is there.
    party_page.goto(demo_site.url + invitation.private_path)
    expect(party_page.get_by_text("brouillon", exact=True)).to_be_visible()
    party_page.get_by_role("link", name=re.compile("Répondre aux questions")).click()
    expect(answers.nth(0)).to_have_value("Un brouillon sur la synergie.")
    answers.nth(1).fill("Chaque réseau aura un rôle clair.")
    answers.nth(2).fill("Des tables de concertation locales.")
    party_page.get_by_label("Nom de la personne qui répond pour le parti").fill("Dominique Démo")
    party_page.get_by_role("button", name="Soumettre les réponses").click()
    expect(party_page.get_by_text(re.compile("Merci! Vos réponses"))).to_be_visible()
    party_page.screenshot(path=output_dir / "parti-confirmation.png", full_page=True)
    assert Response.objects.get(party=invitation.party).versions.count() == 1

    # A member of the campaign team sees it on the board and downloads the export.
    team = get_user_model().objects.create_user("equipe", "equipe@example.org", "mot-de-passe-1")
    team.groups.add(Group.objects.get(name="Campagnes"))
    admin = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = admin.new_page()
    page.goto(demo_site.url + "/admin/login/")
    page.locator("#id_username").fill("equipe")
    page.locator("#id_password").fill("mot-de-passe-1")
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    page.goto(demo_site.url + "/admin/campagnes-reponses/")
    page.get_by_role("link", name="Élections québecoises 2022").click()
    row = page.locator("tr", has_text=invitation.party.name)
    expect(row.locator('[data-status="submitted"]')).to_be_visible()
    page.screenshot(path=output_dir / "tableau-de-bord.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter en XLSX").click()
    path = output_dir / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == ".xlsx" and path.stat().st_size > 4000
    admin.close()
