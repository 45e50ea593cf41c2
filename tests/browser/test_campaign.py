"""A party answers through its private link, from its first visit to the confirmation email."""

import re
from datetime import timedelta

from django.core import mail
from django.utils import timezone

import pytest
from playwright.sync_api import expect

from campaigns.models import Invitation, Response, ResponseVersion
from tests.browser.campaign_support import (
    PHONE,
    QUEBEC,
    answer_box,
    flash,
    french_date,
    french_datetime,
    hold_clock,
    question,
    screenshots,
)
from tests.campaigns.worker import run_queued_tasks

pytestmark = pytest.mark.browser


def test_party_drafts_comes_back_submits_and_gets_its_confirmation(demo_site, browser, output_dir):
    invitation = Invitation.objects.select_related("party", "campaign").get(party__short_name="MH")
    campaign = invitation.campaign
    questionnaire = campaign.questionnaires.get()
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, **QUEBEC)
    page = context.new_page()
    # The automatic draft fires only when the test says so: typing slowly on a busy machine
    # makes no version more than the test expects.
    hold_clock(page)

    # The private link opens the party's home for the campaign.
    page.goto(demo_site.url + invitation.private_path)
    expect(page.locator("h1")).to_have_text("Élections québecoises 2022")
    expect(page.get_by_text("Espace privé de Mouvement Horizon (parti fictif)")).to_be_visible()
    expect(page.locator(".party-home__item")).to_contain_text("Statut : à remplir")
    expect(page.get_by_text("Date limite pour répondre")).to_contain_text(
        french_datetime(campaign.closes_at)
    )
    page.get_by_role("link", name=re.compile("Répondre aux questions")).click()
    expect(page).to_have_url(demo_site.url + invitation.questionnaire_path(questionnaire))
    expect(page.locator("h1")).to_have_text("Agir ensemble")

    # A first draft.
    expect(page.get_by_role("group", name=re.compile(r"^Question \d —"))).to_have_count(3)
    answer_box(page, 1).fill("Un brouillon sur la synergie.")
    expect(question(page, 1).get_by_text("2971 caractères restants sur 3000")).to_be_visible()
    # The counter describes its field; only nearing the limit is announced.
    expect(answer_box(page, 1)).to_have_accessible_description(
        re.compile("2971 caractères restants sur 3000")
    )
    expect(page.locator("[data-char-count-live]")).to_have_count(0)
    answer_box(page, 1).fill("x" * 2990)
    expect(page.locator("[data-char-count-live]")).to_have_text("10 caractères restants sur 3000")
    answer_box(page, 1).fill("x" * 3002)
    expect(page.locator("[data-char-count-live]")).to_have_text(
        "2 caractères de trop (maximum 3000)"
    )
    answer_box(page, 1).fill("Un brouillon sur la synergie.")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(flash(page)).to_have_text("Brouillon enregistré. Vous pouvez revenir avec ce lien.")
    response = Response.objects.get(party=invitation.party, questionnaire=questionnaire)
    assert response.status == Response.DRAFT and response.submitted_at is None

    # The party comes back later with the same link: the draft is there.
    page.goto(demo_site.url + invitation.private_path)
    expect(page.locator(".party-home__item")).to_contain_text("Statut : brouillon enregistré le")
    page.get_by_role("link", name=re.compile("Répondre aux questions")).click()
    expect(answer_box(page, 1)).to_have_value("Un brouillon sur la synergie.")

    # It answers the second question with an explanation and announces the third for later.
    answer_box(page, 2).fill("Chaque réseau aura un rôle clair.")
    question(page, 2).get_by_label("Explication (facultative)").fill(
        "Un mandat écrit pour chacun."
    )
    later = timezone.localdate() + timedelta(days=30)
    question(page, 3).get_by_role("radio", name="Réponse à venir").check()
    question(page, 3).get_by_label(re.compile("^Date prévue de la réponse")).fill(
        later.isoformat()
    )
    page.get_by_label("Nom de la personne qui répond pour le parti").fill("Dominique Démo")
    screenshots(page, output_dir, "formulaire-parti")

    page.get_by_role("button", name="Soumettre les réponses").click()
    expect(flash(page)).to_have_text(
        "Merci! Vos réponses sont soumises (version 1). Une confirmation est envoyée à "
        "contact@mouvement-horizon.example."
    )
    expect(page.get_by_text("Dernière soumission le")).to_contain_text("par Dominique Démo")
    page.screenshot(path=output_dir / "parti-merci.png", full_page=True)
    submitted_page = page.content()

    response.refresh_from_db()
    assert response.status == Response.SUBMITTED and response.submitted_by == "Dominique Démo"
    assert [(v.kind, v.submission_number) for v in response.versions.order_by("number")] == [
        (ResponseVersion.DRAFT, None),
        (ResponseVersion.SUBMITTED, 1),
    ]
    submitted = response.submitted_answers
    assert [a["status"] for a in submitted] == ["answered", "answered", "pending"]
    assert submitted[1]["explanation"] == "Un mandat écrit pour chacun."

    # The confirmation goes out once the queued task runs: with the link to come back, the
    # deadline and a copy of the answers, in French.
    assert [m for m in mail.outbox if invitation.party.contact_email in m.to] == []
    run_queued_tasks()
    (confirmation,) = [m for m in mail.outbox if invitation.party.contact_email in m.to]
    body = confirmation.body
    assert demo_site.url + invitation.questionnaire_path(questionnaire) in body
    assert f"jusqu’au {french_datetime(campaign.closes_at)}" in body
    assert f"→ Réponse à venir (d’ici le {french_date(later)})." in body
    assert "Un brouillon sur la synergie." in body
    assert "Explication : Un mandat écrit pour chacun." in body
    submission = response.versions.get(kind=ResponseVersion.SUBMITTED)
    assert f"soumises par Dominique Démo le {french_datetime(submission.saved_at)}" in body

    # The message is said once: a screen reader must not announce it twice.
    assert submitted_page.count("Merci! Vos réponses sont soumises") == 1
    context.close()


def tab_to(page, locator, limit=120):
    """Presses Tab until `locator` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{locator} never took the focus")


def test_a_party_completes_its_form_by_keyboard_after_a_failed_submit(demo_site, browser):
    invitation = Invitation.objects.select_related("party", "campaign").get(party__short_name="MH")
    questionnaire = invitation.campaign.questionnaires.get()
    url = demo_site.url + invitation.questionnaire_path(questionnaire)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, **QUEBEC)
    hold_clock(page)
    page.goto(url)

    # « Passer au contenu », then the first answer.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Passer au contenu")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(url + "#contenu")
    tab_to(page, answer_box(page, 1))
    page.keyboard.type("Écrit au clavier.")
    tab_to(page, page.get_by_role("button", name="Soumettre les réponses"))
    page.keyboard.press("Enter")

    # Refused: the form posted to its own page, the summary has the focus and links to each
    # field in error; the page's title says it first.
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(page).to_have_url(url)
    expect(page).to_have_title(re.compile("^Erreur : "))
    expect(summary).to_have_count(1)
    expect(summary).to_have_accessible_name(
        "Les réponses n’ont pas été enregistrées : 3 champs à corriger"
    )
    links = summary.get_by_role("link")
    expect(links).to_have_count(3)
    expect(links.nth(2)).to_have_text(
        "Nom de la personne qui répond pour le parti : Indiquez votre nom pour soumettre les "
        "réponses."
    )
    expect(answer_box(page, 1)).to_have_value("Écrit au clavier.")

    # Each link takes the focus to its field, which reads its error and its counter.
    page.keyboard.press("Tab")
    expect(links.nth(0)).to_be_focused()
    page.keyboard.press("Enter")
    expect(answer_box(page, 2)).to_be_focused()
    expect(answer_box(page, 2)).to_have_accessible_description(
        re.compile(r"3000 caractères restants sur 3000.*Répondez à cette question")
    )
    page.keyboard.type("Chaque réseau aura un rôle clair.")
    tab_to(page, answer_box(page, 3))
    page.keyboard.type("Une table par région.")
    name = page.get_by_label("Nom de la personne qui répond pour le parti")
    tab_to(page, name)
    expect(name).to_have_accessible_description(
        re.compile(r"^Obligatoire pour soumettre\..*Indiquez votre nom pour soumettre")
    )
    page.keyboard.type("Dominique Démo")
    tab_to(page, page.get_by_role("button", name="Soumettre les réponses"))
    page.keyboard.press("Enter")

    # Submitted: the confirmation takes the focus.
    confirmation = flash(page)
    expect(confirmation).to_be_focused()
    expect(confirmation).to_contain_text("Merci! Vos réponses sont soumises (version 1).")
    response = Response.objects.get(party=invitation.party, questionnaire=questionnaire)
    assert response.submitted_by == "Dominique Démo"
    assert [a["answer"] for a in response.submitted_answers] == [
        "Écrit au clavier.",
        "Chaque réseau aura un rôle clair.",
        "Une table par région.",
    ]
    page.close()
