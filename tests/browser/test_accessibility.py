"""axe-core (WCAG 2.0–2.2 A and AA rules) on every page type, at phone and desktop widths."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from campaigns.models import Campaign, Invitation
from tests.browser.campaign_support import hold_clock

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
VIEWPORTS = {
    "telephone": {"width": 390, "height": 844},
    "ordinateur": {"width": 1280, "height": 900},
}


def violations(page, clock_held=False):
    # axe waits on the page's timers: a held clock runs while it looks, then is held again
    # (the pages it looks at were just loaded: no automatic draft is due).
    if clock_held:
        page.clock.resume()
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    if clock_held:
        now = page.evaluate("Date.now()") / 1000
        page.clock.pause_at(datetime.fromtimestamp(now + 1, UTC))
    # axe really looked at the page: it passed a good number of rules.
    assert len(results.response["passes"]) > 15, page.url
    return [
        f"{v['id']} ({v['impact']}): {v['help']} → {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_page_type_has_no_axe_violation(demo_site, browser, viewport, output_dir):
    invitation = Invitation.objects.select_related("campaign").get(party__short_name="MH")
    questionnaire = invitation.campaign.questionnaires.get()
    form_path = invitation.questionnaire_path(questionnaire)
    paths = {
        "accueil": "/",
        "plateforme": "/plateforme/",
        "pilier": "/plateforme/enfant/",
        "boussole": "/boussole/",
        "theme-reponses-publiees": "/boussole/agir-ensemble/",
        "recherche": "/recherche/?q=enfant",
        "infolettre": "/infolettre/",
        "page-introuvable": "/n-existe-pas/",
        "parti-accueil": invitation.private_path,
        "parti-formulaire": form_path,
    }
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    hold_clock(context)  # no automatic draft in the middle of the two tabs' conflict
    page = context.new_page()
    found = {}
    for name, path in paths.items():
        page.goto(demo_site.url + path)
        found[name] = violations(page, clock_held=True)

    # The party's form in error.
    page.goto(demo_site.url + form_path)
    page.get_by_role("button", name="Soumettre les réponses").click()
    expect(page.get_by_role("alert")).to_contain_text("Les réponses n’ont pas été enregistrées")
    found["parti-formulaire-erreurs"] = violations(page, clock_held=True)

    # A text kept in the browser after a failed save, offered back.
    page.locator("textarea").first.fill("Texte gardé dans le navigateur.")
    page.route(
        demo_site.url + form_path,
        lambda route: (
            route.fulfill(status=503, body="Maintenance")
            if route.request.method == "POST"
            else route.continue_()
        ),
    )
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Maintenance")).to_be_visible()
    page.unroute(demo_site.url + form_path)
    page.goto(demo_site.url + form_path)
    expect(page.get_by_role("alert")).to_contain_text("Votre texte n’a pas pu être enregistré.")
    found["parti-texte-garde"] = violations(page, clock_held=True)
    page.get_by_role("button", name="Remettre mon texte").click()
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Brouillon enregistré. Vous pouvez revenir").first).to_be_visible()

    # A stale tab's save: both texts, side by side (409).
    page.goto(demo_site.url + form_path)
    other_tab = context.new_page()
    other_tab.goto(demo_site.url + form_path)
    other_tab.locator("textarea").first.fill("Texte d’une autre fenêtre.")
    other_tab.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(
        other_tab.get_by_text("Brouillon enregistré. Vous pouvez revenir").first
    ).to_be_visible()
    other_tab.close()
    page.locator("textarea").first.fill("Texte de cette fenêtre.")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Une version plus récente a été enregistrée depuis une autre fenêtre"
    )
    found["parti-formulaire-conflit"] = violations(page, clock_held=True)

    # After the deadline: the party's record, read-only, and a late post's text given back.
    page.goto(demo_site.url + form_path)
    page.locator("textarea").first.fill("Écrit trop tard.")
    Campaign.objects.update(closes_at=timezone.now() - timedelta(minutes=1))
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_role("heading", name="Votre texte, non enregistré")).to_be_visible()
    found["parti-envoi-apres-la-date-limite"] = violations(page, clock_held=True)
    page.goto(demo_site.url + form_path)
    expect(page.get_by_role("heading", name="Vos réponses soumises")).to_be_visible()
    found["parti-reponses-en-lecture-seule"] = violations(page, clock_held=True)

    page.goto(demo_site.url + "/infolettre/")
    page.locator("main").get_by_role("button", name="S’inscrire").click()
    found["infolettre-erreurs"] = violations(page, clock_held=True)
    page.screenshot(path=output_dir / f"infolettre-erreurs-{viewport}.png", full_page=True)
    context.close()
    assert {name: v for name, v in found.items() if v} == {}


def test_keyboard_focus_is_visible(demo_site, browser):
    page = browser.new_page(viewport=VIEWPORTS["ordinateur"])
    page.goto(demo_site.url + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [document.activeElement.textContent.trim(), s.outlineStyle, s.outlineWidth]; }"
    )
    assert focused[0] == "Collectif petite enfance"
    assert focused[1] == "solid" and focused[2] == "3px"
    page.close()


def test_the_skip_link_shown_covers_no_other_link(demo_site, browser):
    """Shown when it has the focus (e.g. the first Tab), the skip link takes its own line above
    the header: on a phone it hides neither the brand nor the menu (axe `target-size`)."""
    context = browser.new_context(viewport=VIEWPORTS["telephone"])
    page = context.new_page()
    page.goto(demo_site.url + "/infolettre/")
    page.locator("main").get_by_role("button", name="S’inscrire").click()
    # After a refused form, the focus goes to the summary of the errors.
    expect(page.locator(".form-errors")).to_be_focused()
    page.locator(".skip-link").focus()
    skip = page.locator(".skip-link").bounding_box()
    assert skip["y"] >= 0
    for link in page.locator(".site-header a, .site-header button").all():
        if link.is_visible():
            box = link.bounding_box()
            assert box["y"] >= skip["y"] + skip["height"], link.inner_text()
    assert violations(page) == []
    context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_comparison_has_no_axe_violation(demo_site, browser, viewport, output_dir):
    """The comparison of two parties, on the theme page and on the campaign page, with its
    questions' chooser open and an answer corrected after publication (its earlier text open)."""
    from campaigns.models import Party

    coalition = Invitation.objects.select_related("campaign", "party").get(party__short_name="CQ")
    questionnaire = coalition.campaign.questionnaires.get()
    horizon = Party.objects.get(short_name="MH")
    choice = f"?partis={coalition.party.pk}&partis={horizon.pk}"
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()

    # The Coalition corrects its published answer: « Modifiée le … » and the earlier text.
    page.goto(demo_site.url + coalition.questionnaire_path(questionnaire))
    page.locator("textarea").first.fill("Un guichet unique par territoire, ouvert le soir.")
    page.get_by_label("Nom de la personne qui répond pour le parti").fill("Alex Exemple")
    page.get_by_role("button", name="Soumettre les réponses").click()
    expect(page.locator(".party-page .messages")).to_contain_text("Merci!")

    found = {}
    for name, path in {
        "comparaison-theme": "/boussole/agir-ensemble/" + choice,
        "comparaison-campagne": "/campagnes/elections-quebecoises-2022/" + choice,
    }.items():
        page.goto(demo_site.url + path)
        block = page.locator(".answers").first
        shown = block.locator(
            ".compare--wide" if viewport == "ordinateur" else ".compare--stacked"
        )
        expect(shown).to_be_visible()
        expect(
            shown.get_by_role("columnheader" if viewport == "ordinateur" else "rowheader")
        ).to_contain_text([coalition.party.name, horizon.name])
        expect(block.locator(".compare-share")).to_be_visible()
        found[name] = violations(page)
        # The questions' chooser and the earlier published text, opened.
        block.locator("summary", has_text="Choisir les questions").click()
        earlier = shown.locator("details.answers__earlier").first
        expect(earlier).to_be_visible()
        earlier.locator("summary").click()
        expect(earlier.locator(".answers__diff")).to_be_visible()
        found[name + "-ouverte"] = violations(page)
        page.screenshot(path=output_dir / f"{name}-{viewport}.png", full_page=True)
    context.close()
    assert {name: v for name, v in found.items() if v} == {}
