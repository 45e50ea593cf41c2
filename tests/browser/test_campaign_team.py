"""The campaign team, as a plain member of the « Campagnes » group: follows the campaign on its
board, publishes the answers before the deadline, manages the private links, reads a response's
versions and exports the answers."""

import re

from django.core import mail
from django.utils import timezone

import openpyxl
import pytest
from playwright.sync_api import expect

from boussole.models import ThemePage
from campaigns.models import Campaign, Invitation
from tests.browser.campaign_support import (
    DESKTOP,
    FRENCH_DATE_PATTERN,
    PHONE,
    QUEBEC,
    answer_box,
    campaign_member,
    flash,
    french_date,
    hold_clock,
    log_in,
    screenshots,
)

pytestmark = pytest.mark.browser

PARTIES = [
    "Coalition des Quartiers (parti fictif)",
    "Mouvement Horizon (parti fictif)",
    "Parti de l’Avenir familial (parti fictif)",
]


@pytest.fixture
def campaign(demo_site):
    """The demo campaign, open and not yet published; placed on its theme page."""
    from wagtail.models import ReferenceIndex

    Campaign.objects.update(results_published=False, published_at=None, publish_at=None)
    # Wagtail indexes the questionnaire's placement in a background task: do it now.
    for theme in ThemePage.objects.all():
        ReferenceIndex.create_or_update_for_object(theme)
    return Campaign.objects.get()


@pytest.fixture
def horizon_drafts(demo_site, browser, campaign):
    """Mouvement Horizon saves a draft through its link, then corrects it: two versions."""
    invitation = Invitation.objects.select_related("party").get(party__short_name="MH")
    page = browser.new_page(viewport=PHONE, **QUEBEC)
    hold_clock(page)
    page.goto(demo_site.url + invitation.questionnaire_path(campaign.questionnaires.get()))
    for text in ("Des tables locales dans chaque région.", "Des tables régionales et locales."):
        answer_box(page, 1).fill(text)
        page.get_by_role("button", name="Enregistrer le brouillon").click()
        expect(flash(page)).to_have_text("Brouillon enregistré. Vous pouvez revenir avec ce lien.")
    page.close()
    return invitation


def test_a_campaign_member_publishes_the_answers_before_the_deadline(
    demo_site, browser, campaign, horizon_drafts, output_dir
):
    member = campaign_member()
    context = browser.new_context(viewport=DESKTOP, **QUEBEC)
    page = context.new_page()
    log_in(page, demo_site.url, member)

    # Before publication, the public sees the questions, not the answers.
    page.goto(demo_site.url + "/boussole/agir-ensemble/")
    expect(page.get_by_role("heading", name="Élections québecoises 2022")).to_be_visible()
    expect(page.get_by_role("heading", name="Les réponses des partis")).to_have_count(0)

    # The board, from the list of campaigns.
    page.goto(demo_site.url + "/admin/snippets/campaigns/campaign/")
    listed = page.get_by_role("row", name=re.compile("Élections québecoises 2022"))
    listed.get_by_role("link", name="Tableau de bord").click()
    expect(page).to_have_url(
        re.compile(rf"/admin/snippets/campaigns/campaign/tableau/{campaign.pk}/$")
    )
    progress = page.locator("table.listing").first
    expect(progress.locator("thead th")).to_have_text(
        ["Questionnaire", "Invités", "Lien ouvert", "Brouillon", "Soumis", "Publié sur"]
    )
    expect(progress.locator("tbody tr").locator("th, td")).to_have_text(
        ["Agir ensemble", "3", "3", "1", "2", "Agir ensemble"]
    )
    expect(progress.locator("[data-placement-warning]")).to_have_count(0)
    board = page.locator("[data-board]")
    expect(board.locator("tbody th")).to_have_text([re.compile(re.escape(p)) for p in PARTIES])
    expect(
        board.locator("tr", has_text="Mouvement Horizon").locator("[data-status]")
    ).to_have_text("brouillon")
    expect(
        board.locator("tr", has_text="Coalition des Quartiers").locator("[data-status]")
    ).to_contain_text("soumise")
    expect(page.get_by_text("Réponses publiques : non")).to_be_visible()
    screenshots(page, output_dir, "tableau-de-bord", reload=True)

    # « Publier les réponses… » asks first, naming the parties that may still change theirs.
    page.get_by_role("link", name="Publier les réponses…").click()
    expect(page).to_have_url(re.compile(rf"/campaign/publier/{campaign.pk}/$"))
    warning = page.locator(".help-warning")
    expect(warning).to_contain_text(
        "La campagne est encore ouverte jusqu’au "
        + french_date(timezone.localtime(campaign.closes_at))
    )
    expect(warning.locator("li")).to_contain_text(PARTIES)
    screenshots(page, output_dir, "publier-confirmation", reload=True)
    assert not Campaign.objects.get().results_published
    page.get_by_role("button", name="Publier maintenant, avant la date limite").click()

    # Back on the board: published, by whom, and written in the journal.
    expect(page).to_have_url(re.compile(rf"/campaign/tableau/{campaign.pk}/$"))
    expect(
        page.get_by_text("Les réponses de « Élections québecoises 2022 » sont publiées.")
    ).to_be_visible()
    expect(
        page.get_by_text(
            re.compile(r"Réponses publiques : oui, depuis le .* \(par Sacha Tremblay\)")
        )
    ).to_be_visible()
    expect(page.get_by_role("link", name="Publier les réponses…")).to_have_count(0)
    journal = page.locator("[data-log]")
    expect(journal.locator("tbody tr").first.locator("td")).to_have_text(
        [
            re.compile(FRENCH_DATE_PATTERN + r" à \d{2} h \d{2}"),
            "Réponses publiées avant la date limite",
            "Élections québecoises 2022",
            "Sacha Tremblay",
        ]
    )
    published = Campaign.objects.get()
    assert published.results_published and published.published_by == member

    # The public theme page shows the submitted answers side by side; a draft stays private.
    page.goto(demo_site.url + "/boussole/agir-ensemble/")
    expect(page.get_by_role("heading", name="Les réponses des partis")).to_be_visible()
    side_by_side = page.get_by_role("table", name="Réponses de 3 partis, question par question")
    expect(side_by_side.get_by_role("columnheader")).to_have_text(["Question", *PARTIES])
    synergy = side_by_side.get_by_role("row", name=re.compile("^Synergie et trajectoires"))
    expect(synergy.get_by_role("cell")).to_have_text(
        [
            "Un guichet unique par territoire orientera les familles vers le bon service, "
            "sans délai.",
            "n’a pas répondu",
            re.compile("Nous créerons un comité interministériel permanent"),
        ]
    )
    concertation = side_by_side.get_by_role("row", name=re.compile("^Concertation des"))
    expect(concertation.get_by_role("cell").first).to_have_text(
        re.compile(r"réponse à venir \(d’ici le " + FRENCH_DATE_PATTERN + r"\)")
    )
    expect(page.locator("main")).not_to_contain_text("Des tables régionales et locales.")
    screenshots(page, output_dir, "reponses-publiees")

    # On a phone: question by question, one party after another.
    page.set_viewport_size(PHONE)
    expect(side_by_side).to_be_hidden()
    synergy = page.get_by_role("table", name=re.compile("^Synergie et trajectoires"))
    expect(synergy.get_by_role("rowheader")).to_have_text(PARTIES)
    expect(synergy.get_by_role("row", name=re.compile("^Mouvement Horizon"))).to_contain_text(
        "n’a pas répondu"
    )
    context.close()


def test_a_campaign_member_manages_links_reads_versions_and_exports(
    demo_site, browser, campaign, horizon_drafts, output_dir
):
    invitation = horizon_drafts
    member = campaign_member()
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True, **QUEBEC)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=demo_site.url)
    page = context.new_page()
    log_in(page, demo_site.url, member)
    page.goto(demo_site.url + f"/admin/snippets/campaigns/campaign/tableau/{campaign.pk}/")
    row = page.locator("[data-board] tr", has_text="Mouvement Horizon")

    # Copy the private link: the address the site is served at.
    old_link = demo_site.url + invitation.private_path
    expect(row.get_by_label("Lien privé de Mouvement Horizon (parti fictif)")).to_have_value(
        old_link
    )
    row.get_by_role("button", name="Copier").click()
    expect(row.get_by_role("button", name="Copié")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == old_link

    # Opened by the team member, the link shows the party's pages read-only.
    board_url = page.url
    page.goto(old_link)
    expect(page.get_by_text("Lecture seule.")).to_be_visible()
    page.get_by_role("link", name="Voir vos réponses").first.click()
    expect(page.locator("[data-party-form]")).to_have_count(0)
    screenshots(page, output_dir, "equipe-lecture-seule")
    page.get_by_role("link", name="Saisir les réponses pour ce parti").click()
    expect(page.locator("h1")).to_have_text(
        "Saisir les réponses au nom de Mouvement Horizon (parti fictif)"
    )
    screenshots(page, output_dir, "equipe-confirmer-la-saisie")
    page.goto(board_url)

    # Email it: the party receives the link.
    row.get_by_role("button", name="Envoyer par courriel").click()
    expect(
        page.get_by_text("Invitation envoyée à contact@mouvement-horizon.example.")
    ).to_be_visible()
    (invitation_mail,) = [m for m in mail.outbox if "contact@mouvement-horizon.example" in m.to]
    assert old_link in invitation_mail.body
    expect(row.get_by_text(re.compile("Envoyé le " + FRENCH_DATE_PATTERN))).to_be_visible()

    # Renew it: a confirmation first; refused, nothing changes.
    page.once("dialog", lambda dialog: dialog.dismiss())
    row.get_by_role("button", name="Renouveler le lien").click()
    expect(row.get_by_role("textbox", name=re.compile("^Lien privé"))).to_have_value(old_link)
    assert Invitation.objects.get(pk=invitation.pk).generation == invitation.generation
    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    row.get_by_role("button", name="Renouveler le lien").click()
    expect(
        page.get_by_text(
            "Nouveau lien créé pour Mouvement Horizon (parti fictif). "
            "L’ancien lien ne fonctionne plus."
        )
    ).to_be_visible()
    assert messages == ["L’ancien lien cessera de fonctionner. Continuer?"]
    renewed = Invitation.objects.get(pk=invitation.pk)
    new_link = demo_site.url + renewed.private_path
    assert new_link != old_link
    expect(row.get_by_role("textbox", name=re.compile("^Lien privé"))).to_have_value(new_link)
    assert page.request.get(old_link).status == 404
    assert page.request.get(new_link).status == 200
    expect(page.locator("[data-log] tbody tr").first).to_contain_text(
        "Lien privé renouvelé : l’ancien ne fonctionne plus"
    )
    expect(page.locator("[data-log] tbody tr").first).to_contain_text("Sacha Tremblay")

    # The responses: listing, filtered on the campaign, then one response's versions.
    page.get_by_role("link", name="Voir les réponses").click()
    expect(page).to_have_url(re.compile(r"/admin/campagnes-reponses/\?campaign="))
    listing = page.locator("table.listing tbody tr")
    expect(listing).to_have_count(3)
    submitted_on = listing.filter(has_text="Coalition des Quartiers").inner_text()
    screenshots(page, output_dir, "reponses-liste", reload=True)
    listing.filter(has_text="Mouvement Horizon").get_by_role(
        "link", name="Mouvement Horizon (parti fictif)"
    ).click()
    expect(
        page.get_by_role("heading", name="Différences entre la version 1 et la version 2")
    ).to_be_visible()
    diff = page.locator(".campaign-diff")
    expect(diff.locator("del")).to_contain_text(["locales dans chaque région."])
    expect(diff.locator("ins")).to_contain_text(["régionales et locales."])
    expect(
        page.get_by_role("heading", name=re.compile(r"^Version 2 — brouillon, le "))
    ).to_be_visible()
    screenshots(page, output_dir, "reponse-versions", reload=True)

    # The spreadsheet export, from the board.
    page.goto(demo_site.url + f"/admin/snippets/campaigns/campaign/tableau/{campaign.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter (XLSX)").click()
    xlsx = output_dir / download.value.suggested_filename
    download.value.save_as(xlsx)
    assert xlsx.suffix == ".xlsx"
    workbook = openpyxl.load_workbook(xlsx)
    sheet = workbook.active
    assert [cell.value for cell in sheet[1]][:3] == ["Parti", "Questionnaire", "Statut"]
    assert sheet.max_row == 4

    # The export for spreadsheets in French: a byte order mark, then semicolons.
    page.goto(demo_site.url + f"/admin/campagnes-reponses/?campaign={campaign.pk}")
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile("Plus|Actions|options", re.I)).first.click()
        page.get_by_role(
            "link", name="Télécharger CSV (points-virgules, Excel en français)"
        ).click()
    path = output_dir / download.value.suggested_filename
    download.value.save_as(path)
    content = path.read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    header, *rows = content.decode("utf-8-sig").splitlines()
    assert header.startswith("Parti;Questionnaire;Statut;Répondant·e;Soumise le;")
    assert len(rows) == 3
    assert any(
        r.startswith("Parti de l’Avenir familial (parti fictif);Agir ensemble;") for r in rows
    )
    page.goto(demo_site.url + f"/admin/snippets/campaigns/campaign/tableau/{campaign.pk}/")
    expect(page.locator("[data-log] tbody tr").first).to_contain_text(
        "Réponses exportées (CSV-FR, 3 lignes)"
    )
    context.close()

    # The listing's dates read as a time of day: « 14 h 08 », not « 14 02 08 » (the 12-hour
    # « h » of Django's fr_CA formats).
    assert re.search(FRENCH_DATE_PATTERN + r",? (?:à )?\d{2}\s(?:h|:)\s?\d{2}\b", submitted_on), (
        submitted_on
    )
