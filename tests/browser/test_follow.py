import re

from django.core import mail

import pytest
from playwright.sync_api import expect

from campaigns.models import Campaign
from newsletter.models import Follower
from tests.campaigns.worker import run_queued_tasks
from tests.collectif.mail_support import parse

pytestmark = pytest.mark.browser

SLUG = "elections-quebecoises-2022"


def follow_from_the_theme(demo_site, phone, email, output_dir=None):
    phone.goto(demo_site.url + "/boussole/agir-ensemble/")
    box = phone.locator("form.follow-form").first
    if output_dir:
        box.screenshot(path=output_dir / "suivre-sur-le-theme.png")
    box.get_by_label("Votre courriel").fill(email)
    box.get_by_role("button", name="Suivre cette campagne…").click()
    form = phone.locator("main form")
    expect(form.get_by_label("Votre courriel")).to_have_value(email)
    form.get_by_role("checkbox").check()
    form.get_by_role("button", name="Suivre cette campagne").click()
    expect(phone.locator("h1")).to_have_text("Vérifiez vos courriels")
    run_queued_tasks()
    message = mail.outbox[-1]
    assert message.to == [email]
    parsed, text, html = parse(message)
    confirm = re.search(r"http\S+/infolettre/suivi/confirmer/\S+/", text).group(0)
    unsubscribe = parsed["List-Unsubscribe"].strip().strip("<>")
    # Links on the address the person used (the live server's).
    assert confirm.startswith(demo_site.url) and unsubscribe.startswith(demo_site.url)
    assert f'href="{confirm}"' in html
    if output_dir:
        # The HTML part as a mail program shows it (a blank page: not under the site's CSP,
        # which forbids inline styles): the site's look, with nothing to load.
        reader = phone.context.new_page()
        reader.set_content(html)
        expect(reader.locator(".brand a")).to_have_css("text-decoration-line", "none")
        reader.screenshot(path=output_dir / "courriel-confirmation.png", full_page=True)
        reader.close()
    return confirm, unsubscribe


def test_follow_a_campaign_from_its_theme_confirm_and_stop(demo_site, phone, output_dir, settings):
    settings.FORM_MIN_FILL_SECONDS = 0
    confirm, unsubscribe = follow_from_the_theme(
        demo_site, phone, "lectrice@exemple.ca", output_dir
    )
    phone.goto(confirm)
    expect(phone.locator("h1")).to_have_text("Confirmer le suivi")
    assert Follower.objects.get().confirmed_at is None  # opening the link is not enough
    phone.get_by_role("button", name="Confirmer").click()
    expect(phone.locator("h1")).to_have_text("Suivi confirmé")
    # The demo campaign's answers are already public: said at once, with the way to them.
    expect(phone.locator(".lead")).to_contain_text("déjà publiées")
    assert Follower.objects.get().confirmed_at is not None
    phone.screenshot(path=output_dir / "suivi-confirme.png", full_page=True)

    phone.goto(unsubscribe)
    expect(phone.locator("h1")).to_have_text(re.compile("Ne plus suivre"))
    phone.get_by_role("button", name="Ne plus suivre").click()
    expect(phone.locator("h1")).to_have_text("Suivi arrêté")
    assert Follower.objects.get().unsubscribed_at is not None
    phone.screenshot(path=output_dir / "suivi-arrete.png")


def test_the_mail_programs_one_click_stops_the_follow(demo_site, phone, settings):
    settings.FORM_MIN_FILL_SECONDS = 0
    confirm, unsubscribe = follow_from_the_theme(demo_site, phone, "lecteur@exemple.ca")
    phone.goto(confirm)
    phone.get_by_role("button", name="Confirmer").click()
    expect(phone.locator("h1")).to_have_text("Suivi confirmé")
    # RFC 8058: the mail program POSTs the header's address, with no cookie and no CSRF token.
    response = phone.request.post(
        unsubscribe,
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": ""},
    )
    assert response.status == 200
    assert Follower.objects.get().unsubscribed_at is not None
    phone.goto(unsubscribe)
    expect(phone.locator("h1")).to_have_text("Suivi arrêté")
    phone.get_by_role("link", name="Suivre de nouveau").click()
    expect(phone.locator("h1")).to_have_text(Campaign.objects.get(slug=SLUG).name)
