"""A member of « Administration » (never a superuser) manages a Rédaction account in
Chromium, from the admin's own menus, unlocks its login, and is refused on the superuser's
account (docs/groupes.md, docs/permissions.md)."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

import pytest
from axes.models import AccessAttempt
from playwright.sync_api import expect

from tests.browser.admin_support import log_in, open_menu

pytestmark = pytest.mark.browser


def test_administration_manages_an_editor_and_not_the_superuser(demo_site, browser, output_dir):
    User = get_user_model()
    chief = User.objects.create_superuser(
        "chef", "chef@exemple.ca", "mot-de-passe-du-chef", first_name="Cheffe", last_name="C"
    )
    editor = User.objects.create_user(
        "redactrice", "redactrice@exemple.ca", "x", first_name="Rita", last_name="Rédac"
    )
    editor.groups.add(Group.objects.get(name="Rédaction"))
    context, page = log_in(browser, demo_site.url, "Administration")

    # The list: the editor can be opened, the superuser cannot.
    open_menu(page, "Paramètres", "Utilisateurs")
    listing = page.locator("main table")
    expect(listing.get_by_role("link", name="Rita Rédac")).to_be_visible()
    expect(listing).to_contain_text("Cheffe C")
    expect(listing.get_by_role("link", name="Cheffe C")).to_have_count(0)
    page.screenshot(path=output_dir / "01-utilisateurs.png", full_page=True)

    # The editor's account: no « Administrateur » box, no « Administration » group.
    listing.get_by_role("link", name="Rita Rédac").click()
    form = page.locator("main form").first
    expect(form.locator("[name=is_superuser]")).to_have_count(0)
    expect(form.get_by_label("Administration", exact=True)).to_have_count(0)
    page.locator("#id_email").fill("rita@exemple.ca")
    page.locator("#tab-label-roles").click()
    form.get_by_label("Révision", exact=True).check()
    page.screenshot(path=output_dir / "02-roles-redaction.png", full_page=True)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".messages")).to_contain_text("mis à jour")
    editor.refresh_from_db()
    assert editor.email == "rita@exemple.ca"
    assert set(editor.groups.values_list("name", flat=True)) == {"Rédaction", "Révision"}
    assert not editor.is_superuser

    # The superuser's account, typed in the address bar: refused, nothing shown.
    page.goto(f"{demo_site.url}/admin/users/edit/{chief.pk}/")
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator(".messages")).to_contain_text("pas les autorisations")
    expect(page.locator("#id_email")).to_have_count(0)
    page.screenshot(path=output_dir / "03-superutilisateur-refuse.png", full_page=True)
    chief.refresh_from_db()
    assert chief.email == "chef@exemple.ca" and chief.check_password("mot-de-passe-du-chef")

    # The editor mistyped its password five times: Administration unlocks it.
    for user in (editor, chief):
        AccessAttempt.objects.create(
            username=user.username,
            ip_address="203.0.113.9",
            user_agent="",
            http_accept="",
            path_info="/admin/login/",
            get_data="",
            post_data="",
            failures_since_start=5,
        )
    open_menu(page, "Paramètres", "Comptes verrouillés")
    expect(page.locator("[data-attempt=chef]")).to_contain_text("Seul un superutilisateur")
    page.screenshot(path=output_dir / "04-comptes-verrouilles.png", full_page=True)
    page.get_by_role("button", name="Débloquer le compte « redactrice »").click()
    expect(page.locator(".messages")).to_contain_text("« redactrice » est débloqué")
    assert not AccessAttempt.objects.filter(username="redactrice").exists()
    assert AccessAttempt.objects.filter(username="chef").exists()
    page.screenshot(path=output_dir / "05-compte-debloque.png", full_page=True)
    context.close()
