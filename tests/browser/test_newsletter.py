import re

from django.core import mail

import pytest
from playwright.sync_api import expect

from newsletter.models import Subscriber
from tests.campaigns.worker import run_queued_tasks

pytestmark = pytest.mark.browser


def test_sign_up_confirm_and_unsubscribe(demo_site, phone, output_dir):
    phone.goto(demo_site.url + "/plateforme/")
    footer = phone.locator("footer")
    footer.get_by_label("Votre courriel").fill("parent@exemple.ca")
    footer.get_by_role("checkbox").check()
    footer.get_by_role("button", name="S’inscrire").click()
    expect(phone.locator("h1")).to_have_text("Vérifiez vos courriels")

    run_queued_tasks()
    message = mail.outbox[-1]
    assert message.to == ["parent@exemple.ca"]
    confirm = re.search(r"http\S+/infolettre/confirmer/\S+/", message.body).group(0)
    unsubscribe = re.search(r"http\S+/infolettre/desabonnement/\S+/", message.body).group(0)

    phone.goto(confirm.replace("http://testserver", demo_site.url))
    expect(phone.locator("h1")).to_have_text("Inscription confirmée")
    assert Subscriber.objects.get().confirmed_at is not None
    phone.screenshot(path=output_dir / "infolettre-confirmee.png")

    phone.goto(unsubscribe.replace("http://testserver", demo_site.url))
    phone.get_by_role("button", name="Me désabonner").click()
    expect(phone.locator("h1")).to_have_text("Vous êtes désabonné·e")
    assert Subscriber.objects.get().unsubscribed_at is not None
