"""A Rédaction member edits a pillar page: Wagtail's autosave keeps a measure whose link is
still being written (it answered 400 and told nothing), and reopening the page with an
unpublished draft says so."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

import pytest
from playwright.sync_api import expect

from pillars.models import PillarPage
from tests.browser.campaign_support import DESKTOP, QUEBEC

pytestmark = pytest.mark.browser


def test_autosave_keeps_an_unfinished_link_and_a_reopened_draft_is_announced(
    demo_site, browser, output_dir
):
    editor = get_user_model().objects.create_user(
        "redaction", "redaction@example.org", "mot-de-passe-1", first_name="Alex"
    )
    editor.groups.add(Group.objects.get(name="Rédaction"))
    pillar = PillarPage.objects.live().order_by("path").first()
    measures = len(pillar.measures)
    context = browser.new_context(viewport=DESKTOP, **QUEBEC)
    page = context.new_page()
    page.goto(demo_site.url + "/admin/login/")
    page.locator("#id_username").fill("redaction")
    page.locator("#id_password").fill("mot-de-passe-1")
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    edit_url = demo_site.url + f"/admin/pages/{pillar.pk}/edit/"
    page.goto(edit_url)
    # Nothing to announce on a page without a draft.
    expect(page.get_by_text("Cette page a un brouillon non publié")).to_have_count(0)
    first = page.locator("[data-contentpath=measures] [data-streamfield-child]").first
    first.locator("[data-panel-toggle]").first.click()
    links = first.locator("[data-contentpath=links]")
    links.locator("button[title='Ajouter']").last.click()
    first.locator("input[name$='-value-title']").first.press_sequentially(" (à revoir)")
    # A link added and not written yet, the measure's title typed on: Wagtail's autosave
    # posts the form when its change tracker reports a change (the event it listens to).
    with page.expect_response(
        lambda r: r.request.method == "POST" and "/edit/" in r.url
    ) as autosave:
        page.locator("form[data-controller~=w-autosave]").dispatch_event("w-unsaved:add")
    assert autosave.value.status == 200, autosave.value.text()
    expect(page.get_by_text("Enregistré", exact=True)).to_be_visible()
    pillar.refresh_from_db()
    assert pillar.has_unpublished_changes
    assert len(pillar.measures) == measures  # the live version is untouched
    draft = pillar.get_latest_revision_as_object()
    assert len(draft.measures) == measures  # no measure twice
    assert "(à revoir)" in draft.measures[0].value["title"]

    # Reopened later from the page explorer: told of the draft it shows.
    page.goto(demo_site.url + f"/admin/pages/{pillar.get_parent().pk}/")
    page.goto(edit_url)
    notice = page.get_by_text("Cette page a un brouillon non publié")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("par Alex")
    page.screenshot(path=output_dir / "brouillon-annonce-ordinateur.png", full_page=True)
    context.close()
