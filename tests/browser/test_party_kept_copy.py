"""Nothing a party types is lost behind an error: the form keeps a copy in the browser until
the server confirms it saved, offers it back after a failed save (a server error, the proxy's
503, a cut connection), drops it once saved, and sends it nowhere but the site."""

import json
import re
from unittest import mock

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from campaigns.models import Invitation, Response
from tests.browser.campaign_support import DESKTOP, QUEBEC, answer_box, flash, hold_clock

pytestmark = pytest.mark.browser

TEXT = "Notre réponse, écrite pendant la panne, à ne pas perdre."
OFFER = "Votre texte n’a pas pu être enregistré."


@pytest.fixture
def party_page(demo_site, browser):
    invitation = Invitation.objects.select_related("party", "campaign").get(party__short_name="MH")
    questionnaire = invitation.campaign.questionnaires.get()
    context = browser.new_context(viewport=DESKTOP, **QUEBEC)
    page = context.new_page()
    hold_clock(page)
    origins = set()
    page.on("request", lambda request: origins.add(re.match(r"^\w+://[^/]+", request.url)[0]))
    url = demo_site.url + invitation.questionnaire_path(questionnaire)
    opened = page.goto(url)
    # The page may talk to its own site only, whatever a script would try.
    assert "connect-src 'self'" in opened.headers["content-security-policy"]
    yield page, url, invitation, questionnaire
    # Nothing of the party's text went anywhere but the site.
    assert origins == {demo_site.url}, origins
    context.close()


def kept_copies(page):
    return page.evaluate(
        "() => Object.keys(localStorage).filter(k => k.startsWith('collectif-copie-'))"
        ".map(k => [k, localStorage.getItem(k)])"
    )


def saved(invitation, questionnaire):
    response = Response.objects.filter(party=invitation.party, questionnaire=questionnaire)
    return response.first().answers[0]["answer"] if response.exists() else None


def comes_back_and_restores(page, url, invitation, questionnaire, output_dir=None):
    """The party opens its form again: the kept text is offered back, then saved."""
    page.goto(url)
    offer = page.get_by_role("alert")
    expect(offer).to_contain_text(OFFER)
    if output_dir:
        offer.scroll_into_view_if_needed()
        page.screenshot(path=output_dir / "texte-garde.png")
    expect(offer).to_contain_text("Vos réponses sont gardées dans ce navigateur")
    expect(offer).to_be_focused()
    expect(answer_box(page, 1)).to_have_value("")
    page.get_by_role("button", name="Remettre mon texte").click()
    expect(answer_box(page, 1)).to_have_value(TEXT)
    expect(page.get_by_role("alert")).to_have_count(0)
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(flash(page)).to_have_text("Brouillon enregistré. Vous pouvez revenir avec ce lien.")
    assert saved(invitation, questionnaire) == TEXT
    # Saved: the copy is dropped, and nothing is offered any more.
    assert kept_copies(page) == []
    page.reload()
    expect(page.locator("[data-kept-copy]")).to_be_hidden()


def test_a_server_error_keeps_the_text_and_offers_it_back(party_page, output_dir):
    page, url, invitation, questionnaire = party_page
    answer_box(page, 1).fill(TEXT)
    ((key, copy),) = kept_copies(page)
    # Keyed per link and questionnaire, without the private link in clear.
    assert invitation.token not in key and json.loads(copy)["values"]
    with mock.patch("campaigns.views.save_response", side_effect=RuntimeError("panne")):
        page.get_by_role("button", name="Enregistrer le brouillon").click()
        expect(page.locator("h1")).not_to_have_text("Agir ensemble")
    assert saved(invitation, questionnaire) is None
    assert len(kept_copies(page)) == 1
    comes_back_and_restores(page, url, invitation, questionnaire, output_dir)


def test_the_proxy_503_keeps_the_text_and_offers_it_back(party_page):
    page, url, invitation, questionnaire = party_page
    answer_box(page, 1).fill(TEXT)

    def unavailable(route):
        if route.request.method == "POST":
            route.fulfill(
                status=503, content_type="text/html", body="<h1>Site en maintenance</h1>"
            )
        else:
            route.continue_()

    page.route(url, unavailable)
    page.get_by_role("button", name="Soumettre les réponses").click()
    expect(page.locator("h1")).to_have_text("Site en maintenance")
    page.unroute(url)
    assert saved(invitation, questionnaire) is None
    comes_back_and_restores(page, url, invitation, questionnaire)


def test_a_cut_connection_keeps_the_text_and_offers_it_back(party_page):
    page, url, invitation, questionnaire = party_page
    answer_box(page, 1).fill(TEXT)
    page.context.set_offline(True)
    try:
        page.get_by_role("button", name="Enregistrer le brouillon").click()
    except PlaywrightError:  # the navigation fails, as it would for the party
        pass
    page.wait_for_load_state()
    page.context.set_offline(False)
    assert saved(invitation, questionnaire) is None
    comes_back_and_restores(page, url, invitation, questionnaire)


def test_a_failed_automatic_draft_says_so_and_keeps_the_text(party_page):
    page, url, invitation, questionnaire = party_page
    status = page.locator("[data-autosave-status]")
    page.route(
        "**/brouillon/",
        lambda route: route.fulfill(status=500, content_type="text/html", body="<h1>Erreur</h1>"),
    )
    answer_box(page, 1).fill(TEXT)
    with page.expect_response("**/brouillon/"):
        page.clock.run_for(5_000)
    expect(status).to_have_text(
        "Brouillon non enregistré : le site ne répond pas (erreur 500). Votre texte est gardé "
        "dans ce navigateur."
    )
    assert len(kept_copies(page)) == 1
    # The site is back: the next try saves the draft, and the copy is dropped.
    page.unroute("**/brouillon/")
    with page.expect_response("**/brouillon/"):
        page.clock.run_for(5_000)
    expect(status).to_have_text(re.compile(r"^Brouillon enregistré automatiquement à"))
    assert saved(invitation, questionnaire) == TEXT
    assert kept_copies(page) == []
