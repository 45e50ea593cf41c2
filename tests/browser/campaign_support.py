"""What the campaign browser tests share: the party's form, the team's login, screenshots."""

import re
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# A browser set up like the parties' and the team's: in French, in Québec's time zone.
QUEBEC = {"locale": "fr-CA", "timezone_id": "America/Toronto"}
FRENCH_MONTHS = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
).split()
# « 5 décembre 2026 », in a regular expression (Playwright runs it in JavaScript, where \w
# matches no accented letter).
FRENCH_DATE_PATTERN = r"\d{1,2} (?:" + "|".join(FRENCH_MONTHS) + r") \d{4}"
CONFLICT_HEADING = "Une version plus récente a été enregistrée depuis une autre fenêtre"


def hold_clock(target):
    """A page's (or a whole context's) timers run only when the test says so, with
    `target.clock.run_for(ms)`: the autosave's delay never fires on its own while a test types,
    however slow the machine."""
    now = datetime.now(UTC)
    target.clock.install(time=now)
    target.clock.pause_at(now + timedelta(seconds=1))


def french_date(value):
    """« 5 décembre 2026 », written out here so that an English month would fail."""
    return f"{value.day} {FRENCH_MONTHS[value.month - 1]} {value.year}"


def french_datetime(value):
    """« 5 décembre 2026 à 09 h 05 », as the party's pages print a moment (local time)."""
    value = timezone.localtime(value)
    return f"{french_date(value)} à {value:%H} h {value:%M}"


def screenshots(page, output_dir, name, reload=False):
    """Full-page screenshots of the page's current state at phone and desktop widths (`reload`
    to lay a page out afresh at each width, as Wagtail's admin must be). The admin scrolls
    inside its own container: the window is made as tall as the content."""
    original = page.viewport_size
    for label, size in (("telephone", PHONE), ("ordinateur", DESKTOP)):
        page.set_viewport_size(size)
        if reload:
            page.reload()
        height = page.evaluate(
            "() => Math.max(document.documentElement.scrollHeight, ...Array.from("
            "document.querySelectorAll('main, .content-wrapper'), e => e.scrollHeight + 80))"
        )
        if height > size["height"]:
            page.set_viewport_size({"width": size["width"], "height": min(height, 8000)})
        page.screenshot(path=output_dir / f"{name}-{label}.png", full_page=True)
    page.set_viewport_size(original)


def question(page, number):
    """The fieldset of the form's question `number` (from 1)."""
    return page.get_by_role("group", name=re.compile(rf"^Question {number} —"))


def answer_box(page, number):
    return question(page, number).get_by_label("Réponse", exact=True)


def flash(page):
    """The message of the party's page after a post (« Merci! », « Brouillon enregistré »)."""
    return page.locator(".party-page .messages")


def conflict_panel(page):
    return page.locator(".conflict")


def saved_text(response, position):
    """The working text of a Response's answer to its question at `position` (from 0)."""
    response.refresh_from_db()
    return response.answers[position]["answer"]


def campaign_member(username="equipe", first_name="Sacha", last_name="Tremblay"):
    """A member of the campaign team: in the « Campagnes » group, not a superuser."""
    user = get_user_model().objects.create_user(
        username,
        f"{username}@collectif.example",
        "mot-de-passe-equipe-1",
        first_name=first_name,
        last_name=last_name,
    )
    user.groups.add(Group.objects.get(name="Campagnes"))
    assert not user.is_superuser and not user.is_staff
    return user


def log_in(page, base_url, user):
    page.goto(base_url + "/admin/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill("mot-de-passe-equipe-1")
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
