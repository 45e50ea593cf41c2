"""After the deadline, a party's link shows what it submitted, read-only and printable, and a
form still open in a tab saves nothing but gives the typed text back."""

import re
from datetime import timedelta

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from campaigns.models import Campaign, Invitation, Response, ResponseVersion
from tests.browser.campaign_support import (
    DESKTOP,
    QUEBEC,
    answer_box,
    flash,
    french_datetime,
    hold_clock,
    screenshots,
)

pytestmark = pytest.mark.browser


def submit(page, texts):
    for number, text in enumerate(texts, start=1):
        answer_box(page, number).fill(text)
    page.get_by_label("Nom de la personne qui répond pour le parti").fill("Dominique Démo")
    page.get_by_role("button", name="Soumettre les réponses").click()
    expect(flash(page)).to_contain_text("Merci! Vos réponses sont soumises")


def test_after_the_deadline_the_link_shows_the_submitted_versions(demo_site, browser, output_dir):
    invitation = Invitation.objects.select_related("party", "campaign").get(party__short_name="MH")
    questionnaire = invitation.campaign.questionnaires.get()
    url = demo_site.url + invitation.questionnaire_path(questionnaire)
    context = browser.new_context(viewport=DESKTOP, **QUEBEC)
    hold_clock(context)
    page, late_tab = context.new_page(), context.new_page()

    # Two submissions while the campaign is open, then a tab left open on the form.
    page.goto(url)
    submit(page, ["Première version, question 1.", "Question 2.", "Question 3."])
    submit(page, ["Version corrigée, question 1.", "Question 2.", "Question 3."])
    late_tab.goto(url)
    first, second = ResponseVersion.objects.filter(
        response__party=invitation.party, kind=ResponseVersion.SUBMITTED
    ).order_by("number")

    # The deadline passes.
    Campaign.objects.filter(pk=invitation.campaign.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    closed_at = Campaign.objects.get(pk=invitation.campaign.pk).closes_at

    # The home says so, and leads to the record rather than a form.
    page.goto(demo_site.url + invitation.private_path)
    expect(page.get_by_text("La période de réponse est terminée depuis le")).to_contain_text(
        french_datetime(closed_at)
    )
    expect(page.get_by_role("link", name=re.compile("Répondre aux questions"))).to_have_count(0)
    page.get_by_role("link", name=re.compile("Voir vos réponses")).click()

    # The record: the last submission in full, the earlier one a click away, no form.
    expect(page).to_have_url(url)
    expect(page.locator("[data-party-form]")).to_have_count(0)
    expect(page.locator("main textarea, main input[type=radio]")).to_have_count(0)
    record = page.locator(".party-record")
    expect(record.get_by_role("heading", level=2)).to_have_text("Vos réponses soumises")
    expect(record).to_contain_text(
        f"Dernière version (no 2), soumise le {french_datetime(second.saved_at)}. "
        "C’est elle que le Collectif publie."
    )
    latest = record.locator(".party-record__answers").first
    expect(latest).to_contain_text("Version corrigée, question 1.")
    expect(latest).not_to_contain_text("Première version")
    earlier = record.locator("details")
    expect(earlier.locator("summary")).to_have_text(
        f"Version no 1, soumise le {french_datetime(first.saved_at)}"
    )
    expect(earlier.get_by_text("Première version, question 1.")).to_be_hidden()
    earlier.locator("summary").click()
    expect(earlier.get_by_text("Première version, question 1.")).to_be_visible()
    expect(record.get_by_role("button", name="Imprimer")).to_be_visible()
    screenshots(page, output_dir, "reponses-en-lecture-seule")
    page.emulate_media(media="print")
    page.screenshot(path=output_dir / "reponses-impression.png", full_page=True)
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Imprimer")).to_be_hidden()
    page.emulate_media(media="screen")

    # The tab left open: its post is refused, nothing saved, its text given back to copy.
    answer_box(late_tab, 1).fill("Écrit trop tard.")
    with late_tab.expect_response(lambda r: r.request.method == "POST") as refused:
        late_tab.get_by_role("button", name="Soumettre les réponses").click()
    assert refused.value.status == 403
    expect(flash(late_tab)).to_have_text(
        "La période de réponse est terminée : vos réponses n’ont pas été enregistrées."
    )
    unsaved = late_tab.locator(".party-form__unsaved")
    expect(unsaved.get_by_role("heading")).to_have_text("Votre texte, non enregistré")
    first_answer = unsaved.get_by_label(re.compile("^Question 1 —"))
    expect(first_answer).to_have_value("Écrit trop tard.")
    expect(first_answer).not_to_be_editable()
    expect(late_tab.locator(".party-record")).to_contain_text("Version corrigée, question 1.")
    screenshots(late_tab, output_dir, "envoi-apres-la-date-limite")
    response = Response.objects.get(party=invitation.party, questionnaire=questionnaire)
    assert response.versions.count() == 2
    assert response.answers[0]["answer"] == "Version corrigée, question 1."
    # No form to fill again: it could only be refused again.
    expect(late_tab.locator("[data-party-form]")).to_have_count(0)
    context.close()
