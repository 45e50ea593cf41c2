"""Nothing a party types is lost or silently replaced: two tabs of the same link, a replayed
post, the automatic drafts and the warning on leaving with unsaved text."""

import re
import time

import pytest
from playwright.sync_api import expect

from campaigns.models import Invitation, Response, ResponseVersion
from tests.browser.campaign_support import (
    CONFLICT_HEADING,
    DESKTOP,
    QUEBEC,
    answer_box,
    conflict_panel,
    flash,
    hold_clock,
    saved_text,
    screenshots,
)

pytestmark = pytest.mark.browser

TEXT_A = "Texte écrit dans la fenêtre A."
TEXT_B = "Texte écrit dans la fenêtre B, plus tard."


@pytest.fixture
def party():
    invitation = Invitation.objects.select_related("party", "campaign").get(party__short_name="MH")
    return invitation, invitation.campaign.questionnaires.get()


def eventually(check, timeout=60.0):
    """Polls a condition that another thread makes true (the server handling a beacon)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "not within the time limit"
        time.sleep(0.05)


def post_of(page):
    """Waits for the response of the form's post (the page that follows a 303 is not it)."""
    return page.expect_response(
        lambda r: r.request.method == "POST" and "/brouillon/" not in r.url
    )


def test_a_stale_tab_is_refused_with_both_texts(demo_site, browser, party, output_dir):
    invitation, questionnaire = party
    url = demo_site.url + invitation.questionnaire_path(questionnaire)
    context = browser.new_context(viewport=DESKTOP, **QUEBEC)
    hold_clock(context)
    tab_a, tab_b = context.new_page(), context.new_page()
    tab_a.goto(url)
    tab_b.goto(url)

    # Tab A saves first.
    answer_box(tab_a, 1).fill(TEXT_A)
    tab_a.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(flash(tab_a)).to_have_text("Brouillon enregistré. Vous pouvez revenir avec ce lien.")
    response = Response.objects.get(party=invitation.party, questionnaire=questionnaire)
    assert saved_text(response, 0) == TEXT_A

    # Tab B, opened before that save, sends other text: refused, both texts shown, its own
    # text still in the form, A's text untouched.
    answer_box(tab_b, 1).fill(TEXT_B)
    with post_of(tab_b) as refused:
        tab_b.get_by_role("button", name="Enregistrer le brouillon").click()
    assert refused.value.status == 409
    panel = conflict_panel(tab_b)
    expect(panel.get_by_role("heading", level=2)).to_have_text(CONFLICT_HEADING)
    expect(panel).to_contain_text("Rien n’a été remplacé.")
    difference = panel.locator(".conflict__question")
    expect(difference).to_have_count(1)
    expect(difference.get_by_role("heading")).to_have_text("Synergie et trajectoires de services")
    saved_column = difference.locator(".conflict__texts > div").nth(0)
    sent_column = difference.locator(".conflict__texts > div").nth(1)
    expect(saved_column.locator(".conflict__label")).to_have_text("Enregistré")
    expect(saved_column).to_contain_text(TEXT_A)
    expect(sent_column.locator(".conflict__label")).to_have_text("Envoyé par cette fenêtre")
    expect(sent_column).to_contain_text(TEXT_B)
    expect(answer_box(tab_b, 1)).to_have_value(TEXT_B)
    expect(tab_b.get_by_role("alert")).to_be_focused()
    assert saved_text(response, 0) == TEXT_A
    assert response.versions.count() == 1
    screenshots(tab_b, output_dir, "conflit")

    # Saving again from tab B is now a deliberate choice, and it is kept.
    with post_of(tab_b) as chosen:
        tab_b.get_by_role("button", name="Enregistrer le brouillon").click()
    assert chosen.value.status == 303
    expect(flash(tab_b)).to_have_text("Brouillon enregistré. Vous pouvez revenir avec ce lien.")
    expect(conflict_panel(tab_b)).to_have_count(0)
    assert saved_text(response, 0) == TEXT_B

    # Tab B submits. Tab A still shows the form it reloaded after its own save: its
    # « Soumettre » is refused the same way, and the submission stays B's.
    for number in (2, 3):
        answer_box(tab_b, number).fill(f"Réponse de la fenêtre B à la question {number}.")
        answer_box(tab_a, number).fill(f"Réponse de la fenêtre A à la question {number}.")
    tab_b.get_by_label("Nom de la personne qui répond pour le parti").fill("Dominique Démo")
    tab_b.get_by_role("button", name="Soumettre les réponses").click()
    expect(flash(tab_b)).to_contain_text("Merci! Vos réponses sont soumises (version 1).")
    tab_a.get_by_label("Nom de la personne qui répond pour le parti").fill("Camille Autre")
    with post_of(tab_a) as stale_submission:
        tab_a.get_by_role("button", name="Soumettre les réponses").click()
    assert stale_submission.value.status == 409
    expect(conflict_panel(tab_a).get_by_role("heading", level=2)).to_have_text(CONFLICT_HEADING)
    expect(conflict_panel(tab_a).locator(".conflict__texts > div").nth(0)).to_contain_text(TEXT_B)
    expect(answer_box(tab_a, 1)).to_have_value(TEXT_A)
    response.refresh_from_db()
    assert response.submitted_by == "Dominique Démo"
    assert response.submitted_answers[0]["answer"] == TEXT_B
    assert response.versions.filter(kind=ResponseVersion.SUBMITTED).count() == 1
    context.close()


def test_a_replayed_post_changes_nothing(demo_site, browser, party):
    invitation, questionnaire = party
    page = browser.new_page(viewport=DESKTOP, **QUEBEC)
    hold_clock(page)
    page.goto(demo_site.url + invitation.questionnaire_path(questionnaire))
    for number in (1, 2, 3):
        answer_box(page, number).fill(f"Une seule soumission, question {number}.")
    page.get_by_label("Nom de la personne qui répond pour le parti").fill("Dominique Démo")
    sent = page.evaluate(
        "() => Object.fromEntries(new FormData(document.querySelector('[data-party-form]')))"
    )
    page.get_by_role("button", name="Soumettre les réponses").click()
    expect(flash(page)).to_contain_text("Merci! Vos réponses sont soumises (version 1).")
    response = Response.objects.get(party=invitation.party, questionnaire=questionnaire)
    assert response.versions.count() == 1

    # The same post again (a double click, a browser retrying after a lost connection).
    replay = page.request.post(page.url, form={**sent, "action": "submit"})
    assert replay.ok
    assert "Ce formulaire avait déjà été enregistré : rien n’a changé." in replay.text()
    assert response.versions.count() == 1
    assert Response.objects.get(pk=response.pk).revision == response.revision
    page.close()


def test_drafts_save_themselves_and_leaving_with_unsaved_text_warns(demo_site, browser, party):
    invitation, questionnaire = party
    page = browser.new_page(viewport=DESKTOP, **QUEBEC)
    # The page's timers run when the test says so: no waiting for the autosave's delay.
    hold_clock(page)
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(demo_site.url + invitation.questionnaire_path(questionnaire))
    status = page.locator("[data-autosave-status]")
    response = Response.objects.filter(party=invitation.party, questionnaire=questionnaire)

    # Typing, then a pause: the draft saves itself.
    answer_box(page, 1).click()
    answer_box(page, 1).press_sequentially("Écrit sans cliquer sur rien.")
    page.clock.run_for(1_000)
    assert not response.exists()
    page.clock.run_for(5_000)
    expect(status).to_have_text(
        re.compile(r"^Brouillon enregistré automatiquement à \d{2} h \d{2}\.$")
    )
    response = response.get()
    assert saved_text(response, 0) == "Écrit sans cliquer sur rien."
    assert list(response.versions.values_list("kind", "autosave")) == [
        (ResponseVersion.DRAFT, True)
    ]

    # Nothing unsaved: a reload asks nothing, and the text is there.
    page.reload()
    expect(answer_box(page, 1)).to_have_value("Écrit sans cliquer sur rien.")
    assert dialogs == []

    # Unsaved text: leaving warns, and the party may stay, its text in place.
    answer_box(page, 2).click()
    answer_box(page, 2).press_sequentially("Pas encore enregistré.")
    back = page.get_by_role("link", name="← Tous vos questionnaires")
    with page.expect_event("dialog"):
        back.click()
    assert dialogs == ["beforeunload"]
    expect(page.locator("h1")).to_have_text("Agir ensemble")
    expect(answer_box(page, 2)).to_have_value("Pas encore enregistré.")
    assert saved_text(response, 1) == ""

    # Leaving anyway, before the automatic save: the page sends the text as it goes.
    page.remove_listener("dialog", on_dialog)
    page.on("dialog", lambda dialog: dialog.accept())
    back.click()
    expect(page.locator("h1")).to_have_text("Élections québecoises 2022")
    # The beacon travels on its own (Playwright does not report it): wait for its effect.
    eventually(lambda: saved_text(response, 1) == "Pas encore enregistré.")
    assert saved_text(response, 0) == "Écrit sans cliquer sur rien."
    page.close()
