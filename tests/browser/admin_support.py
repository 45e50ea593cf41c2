"""How a member of a group reaches the admin in the browser tests: logged in through the
login form, then through the side menu, as a person would."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from playwright.sync_api import expect

PASSWORD = "mot-de-passe-1"


def log_in(browser, base_url, group):
    """A new member of `group`, logged in."""
    username = f"membre-{group.lower()}"
    get_user_model().objects.create_user(username, f"{username}@example.org", PASSWORD)
    get_user_model().objects.get(username=username).groups.add(Group.objects.get(name=group))
    return log_in_as(browser, base_url, username)


def log_in_as(browser, base_url, username):
    """An existing account (its password: PASSWORD), logged in through the login form."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(base_url + "/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    return context, page


def open_menu(page, *labels):
    """Follows the admin's side menu, as a person would."""
    sidebar = page.locator("#wagtail-sidebar")
    link = sidebar.get_by_role("link", name=labels[-1], exact=True)
    for label in labels[:-1]:
        if not link.is_visible():
            sidebar.get_by_role("button", name=label, exact=True).click()
    link.click()
