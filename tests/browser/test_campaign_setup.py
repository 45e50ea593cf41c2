"""The campaign team sets up a campaign, as a plain member of « Campagnes »: the name fills
the slug, dates are typed or picked in French, and the picker never hides the next fields."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from campaigns.models import Campaign
from tests.browser.campaign_support import (
    DESKTOP,
    QUEBEC,
    campaign_member,
    log_in,
    screenshots,
)

pytestmark = pytest.mark.browser


def test_a_campaign_member_types_and_picks_the_dates_in_french(demo_site, browser, output_dir):
    member = campaign_member()
    context = browser.new_context(viewport=DESKTOP, **QUEBEC)
    page = context.new_page()
    # The picker opens on « today »: 10 August 2026.
    page.clock.set_fixed_time(datetime(2026, 8, 10, 9, 0, tzinfo=ZoneInfo("America/Toronto")))
    log_in(page, demo_site.url, member)
    page.goto(demo_site.url + "/admin/snippets/campaigns/campaign/add/")

    page.locator("#id_name").press_sequentially("Élections générales 2026")
    expect(page.locator("#id_slug")).to_have_value("elections-generales-2026")

    # Typed: left as typed when the field is left.
    opens = page.locator("#id_opens_at")
    opens.fill("15 septembre 2026 17 h 00")
    page.locator("#id_reminder_offsets").click()
    expect(opens).to_have_value("15 septembre 2026 17 h 00")

    # Picked: written in French; the picker closes on the hour.
    picker = page.locator(".xdsoft_datetimepicker").filter(visible=True)
    page.locator("#id_closes_at").click()
    expect(picker).to_have_count(1)
    expect(picker.locator(".xdsoft_month span")).to_have_text("août")
    for month in ("septembre", "octobre"):
        picker.locator(".xdsoft_monthpicker .xdsoft_next").click()
        expect(picker.locator(".xdsoft_month span")).to_have_text(month)
    picker.locator("td.xdsoft_date:not(.xdsoft_other_month)[data-date='1']").click()
    picker.locator(".xdsoft_time[data-hour='17']").click()
    expect(page.locator("#id_closes_at")).to_have_value("1 octobre 2026 17 h 00")
    expect(picker).to_have_count(0)

    # A typed date opens the picker on its month.
    opens.click()
    expect(picker.locator(".xdsoft_month span")).to_have_text("septembre")

    # A date picked without an hour: leaving the field closes the picker, and what lies
    # under it can be clicked.
    publish = page.locator("#id_publish_at")
    publish.click()
    picker.locator("td.xdsoft_date[data-date='10']").first.click()
    page.keyboard.press("Tab")
    expect(picker).to_have_count(0)
    page.get_by_role("button", name="Ajouter : Parti invité").click()
    page.get_by_role("button", name="Supprimer").last.click()
    publish.fill("")
    screenshots(page, output_dir, "campagne-ajout")

    page.get_by_role("button", name="Enregistrer").click()
    expect(page).to_have_url(re.compile(r"/admin/snippets/campaigns/campaign/$"))
    campaign = Campaign.objects.get(slug="elections-generales-2026")
    assert timezone.localtime(campaign.opens_at).strftime("%Y-%m-%d %H:%M") == "2026-09-15 17:00"
    assert timezone.localtime(campaign.closes_at).strftime("%Y-%m-%d %H:%M") == "2026-10-01 17:00"

    # Shown again in French, and the name no longer rewrites the saved slug.
    page.goto(demo_site.url + f"/admin/snippets/campaigns/campaign/edit/{campaign.pk}/")
    expect(page.locator("#id_opens_at")).to_have_value("15 septembre 2026 17 h 00")
    page.locator("#id_name").press_sequentially(" (reportées)")
    page.locator("#id_opens_at").click()
    expect(page.locator("#id_slug")).to_have_value("elections-generales-2026")
    context.close()


def test_a_campaign_member_copies_the_campaign_for_the_next_election(
    demo_site, browser, output_dir
):
    member = campaign_member()
    old = Campaign.objects.get()
    context = browser.new_context(viewport=DESKTOP, **QUEBEC)
    page = context.new_page()
    log_in(page, demo_site.url, member)

    # The dashboard lists the open campaign, linking to its board.
    panel = page.locator("[data-open-campaigns]")
    expect(panel.get_by_role("link", name=old.name)).to_be_visible()
    expect(page.get_by_role("link", name="Réponses des partis")).to_be_visible()
    panel.get_by_role("link", name=old.name).click()
    page.get_by_role("link", name="Copier la campagne…").click()
    expect(page.get_by_role("heading", name="Copier la campagne")).to_be_visible()

    name = page.locator("#id_name")
    name.fill("")
    name.press_sequentially("Élections québécoises 2030")
    expect(page.locator("#id_slug")).to_have_value("elections-quebecoises-2030")
    page.locator("#id_opens_at").fill("1 septembre 2030 9 h 00")
    page.locator("#id_closes_at").fill("1 octobre 2030 17 h 00")
    page.locator("#id_slug").click()
    screenshots(page, output_dir, "copier-la-campagne")
    page.get_by_role("button", name="Créer la copie").click()

    copy = Campaign.objects.get(slug="elections-quebecoises-2030")
    expect(page).to_have_url(
        re.compile(rf"/admin/snippets/campaigns/campaign/tableau/{copy.pk}/$")
    )
    expect(page.locator(".messages")).to_contain_text(
        f"Campagne « Élections québécoises 2030 » créée à partir de « {old.name} »."
    )
    board = page.locator("[data-board]")
    expect(board.locator("tbody th")).to_have_count(old.invitations.count())
    expect(board.locator("[data-status]").first).to_have_text("invité")
    expect(page.get_by_text("Campagne créée par copie de")).to_be_visible()
    screenshots(page, output_dir, "copie-tableau-de-bord")
    # The old campaign keeps its answers.
    assert old.questionnaires.get().responses.exists()
    context.close()
