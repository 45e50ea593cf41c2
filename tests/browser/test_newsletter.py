import re

from django.core import mail

import pytest
from playwright.sync_api import expect

from newsletter.models import Subscriber
from tests.campaigns.worker import run_queued_tasks

pytestmark = pytest.mark.browser


def test_sign_up_confirm_and_unsubscribe(demo_site, phone, output_dir, settings):
    # A person reads the page before signing up; the minimum fill time is for robots.
    settings.FORM_MIN_FILL_SECONDS = 0
    phone.goto(demo_site.url + "/plateforme/")
    # Every page's footer takes the address to the sign-up page, which asks for consent.
    footer = phone.locator("footer")
    footer.get_by_label("Votre courriel").fill("parent@exemple.ca")
    expect(
        footer.locator("form").get_by_role("link", name="Politique de confidentialité")
    ).to_be_visible()
    footer.get_by_role("button", name="S’inscrire…").click()
    form = phone.locator("main form")
    expect(form.get_by_label("Votre courriel")).to_have_value("parent@exemple.ca")
    # The robots' trap is neither seen nor reached with the keyboard.
    expect(form.locator("input[name=website]")).not_to_be_in_viewport()
    form.get_by_label("Votre courriel").press("Tab")
    expect(form.get_by_role("checkbox")).to_be_focused()
    form.get_by_role("checkbox").press("Tab")
    expect(form.get_by_role("button", name="S’inscrire")).to_be_focused()
    form.get_by_role("checkbox").check()
    form.get_by_role("button", name="S’inscrire").click()
    expect(phone.locator("h1")).to_have_text("Vérifiez vos courriels")

    run_queued_tasks()
    message = mail.outbox[-1]
    assert message.to == ["parent@exemple.ca"]
    confirm = re.search(r"http\S+/infolettre/confirmer/\S+/", message.body).group(0)
    unsubscribe = re.search(r"http\S+/infolettre/desabonnement/\S+/", message.body).group(0)
    # Links on the address the person used (the live server's), not a configured one.
    assert confirm.startswith(demo_site.url)

    phone.goto(confirm)
    expect(phone.locator("h1")).to_have_text("Confirmer l’inscription")
    assert Subscriber.objects.get().confirmed_at is None  # opening the link is not enough
    phone.get_by_role("button", name="Confirmer mon inscription").click()
    expect(phone.locator("h1")).to_have_text("Inscription confirmée")
    assert Subscriber.objects.get().confirmed_at is not None
    phone.screenshot(path=output_dir / "infolettre-confirmee.png")

    phone.goto(unsubscribe)
    phone.get_by_role("button", name="Me désabonner").click()
    expect(phone.locator("h1")).to_have_text("Vous êtes désabonné·e")
    assert Subscriber.objects.get().unsubscribed_at is not None


def test_a_very_fast_person_gets_through_on_the_second_click(demo_site, phone, settings):
    settings.FORM_MIN_FILL_SECONDS = 3600  # everyone is "too fast"
    phone.goto(demo_site.url + "/infolettre/")
    form = phone.locator("main form")
    form.get_by_label("Votre courriel").fill("rapide@exemple.ca")
    form.get_by_role("checkbox").check()
    form.get_by_role("button", name="S’inscrire").click()
    form = phone.locator("main form")
    expect(form.get_by_role("status")).to_contain_text("cliquez de nouveau")
    expect(form.get_by_label("Votre courriel")).to_have_value("rapide@exemple.ca")
    expect(form.get_by_role("checkbox")).to_be_checked()
    form.get_by_role("button", name="S’inscrire").click()
    expect(phone.locator("h1")).to_have_text("Vérifiez vos courriels")
    assert Subscriber.objects.filter(email="rapide@exemple.ca").exists()
