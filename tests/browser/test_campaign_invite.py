"""The campaign team, as a plain member of the « Campagnes » group, invites every party at once
(a confirmation first, one email per party, never twice), sets the reminders, and gives one party
more time (« Prolonger pour ce parti »): the board, the reminders and the party's form follow."""

import re
from datetime import timedelta

from django.core import mail
from django.utils import timezone

import pytest
from playwright.sync_api import expect

from campaigns.models import Campaign, Invitation
from tests.browser.campaign_support import (
    DESKTOP,
    QUEBEC,
    answer_box,
    campaign_member,
    flash,
    french_datetime,
    hold_clock,
    log_in,
    screenshots,
)
from tests.campaigns.worker import run_queued_tasks

pytestmark = pytest.mark.browser

PARTIES = {
    "Coalition des Quartiers (parti fictif)": "equipe@coalition-quartiers.example",
    "Mouvement Horizon (parti fictif)": "contact@mouvement-horizon.example",
    "Parti de l’Avenir familial (parti fictif)": "reponses@avenir-familial.example",
}
HORIZON = "Mouvement Horizon (parti fictif)"
COALITION = "Coalition des Quartiers (parti fictif)"


def board_path(campaign):
    return f"/admin/snippets/campaigns/campaign/tableau/{campaign.pk}/"


def party_row(page, name):
    return page.locator("[data-board] tbody tr", has_text=name)


def local_input(value):
    """A moment as a `datetime-local` input takes it, in Québec's time (the site's)."""
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_a_campaign_member_invites_every_party_once(demo_site, browser, output_dir):
    campaign = Campaign.objects.get()
    assert not Invitation.objects.filter(emailed_at__isnull=False).exists()
    member = campaign_member()
    context = browser.new_context(viewport=DESKTOP, **QUEBEC)
    page = context.new_page()
    log_in(page, demo_site.url, member)
    page.goto(demo_site.url + board_path(campaign))

    # « Inviter tous les partis… » asks first, naming who will get the email, and where.
    page.get_by_role("link", name="Inviter tous les partis…").click()
    expect(page).to_have_url(re.compile(rf"/campaign/inviter/{campaign.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Inviter tous les partis")
    expect(page.locator("[data-invite-to-send] li")).to_have_text(
        [f"{name} ({address})" for name, address in PARTIES.items()]
    )
    expect(page.locator("[data-invite-skipped]")).to_have_count(0)
    screenshots(page, output_dir, "inviter-confirmation", reload=True)
    # Nothing goes out before the confirmation.
    assert mail.outbox == []

    # A second tab on the same confirmation, as a double click would: confirmed in both.
    second_tab = context.new_page()
    second_tab.goto(page.url)
    page.get_by_role("button", name="Envoyer 3 invitations").click()
    expect(page).to_have_url(re.compile(rf"/campaign/tableau/{campaign.pk}/$"))
    expect(page.get_by_text("3 invitations en cours d’envoi.")).to_be_visible()
    second_tab.get_by_role("button", name="Envoyer 3 invitations").click()
    expect(second_tab.get_by_text("3 invitations en cours d’envoi.")).to_be_visible()
    second_tab.close()
    # The task queue sends them, not the request.
    assert mail.outbox == []

    # The worker: one email per party, with its own private link on the site's address.
    run_queued_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(PARTIES.values())
    for invitation in Invitation.objects.select_related("party"):
        (message,) = [m for m in mail.outbox if m.to == [invitation.party.contact_email]]
        assert message.subject == (
            "Élections québecoises 2022 — les questions du Collectif petite enfance"
        )
        assert f"invite {invitation.party.name} à répondre" in message.body
        private_url = demo_site.url + invitation.private_path
        assert private_url in message.body.split()
        # No other party's link in it.
        others = Invitation.objects.exclude(pk=invitation.pk)
        assert not any(other.private_path in message.body for other in others)
        assert invitation.emailed_at is not None

    # The board says when each was sent, and the journal who sent them.
    page.reload()
    for name in PARTIES:
        expect(party_row(page, name)).to_contain_text(
            re.compile(r"Envoyé le \d{1,2} \S+ \d{4} à \d{2} h \d{2}")
        )
    sent_entries = page.locator("[data-log] tbody tr", has_text="Lien privé envoyé par courriel")
    expect(sent_entries).to_have_count(3)
    expect(sent_entries.first).to_contain_text("Sacha Tremblay")
    screenshots(page, output_dir, "tableau-invitations-envoyees", reload=True)

    # Clicked again: nobody is left to invite; each party is named as skipped.
    stale_tab = context.new_page()
    page.get_by_role("link", name="Inviter tous les partis…").click()
    stale_tab.goto(page.url)
    expect(
        page.get_by_text("Aucun parti à inviter : chaque parti a déjà reçu son lien")
    ).to_be_visible()
    expect(page.locator("[data-invite-to-send]")).to_have_count(0)
    expect(page.locator("[data-invite-skipped] li")).to_have_text(
        [
            re.compile(re.escape(name) + r" : lien déjà envoyé le \d{1,2} \S+ \d{4}")
            for name in PARTIES
        ]
    )
    expect(page.get_by_role("button", name=re.compile("^Envoyer"))).to_have_count(0)
    screenshots(page, output_dir, "inviter-deja-envoye", reload=True)
    page.get_by_role("link", name="Retour au tableau de bord").click()
    expect(page).to_have_url(re.compile(rf"/campaign/tableau/{campaign.pk}/$"))

    # Even a form posted anyway (a page left open from before) sends nothing more.
    csrf = stale_tab.evaluate(
        "() => document.cookie.split('; ').find(c => c.startsWith('csrftoken='))?.split('=')[1]"
    )
    stale_tab.evaluate(
        """(token) => {
            const form = document.createElement('form');
            form.method = 'post';
            const input = Object.assign(document.createElement('input'),
                {type: 'hidden', name: 'csrfmiddlewaretoken', value: token});
            form.append(input);
            document.body.append(form);
            form.submit();
        }""",
        csrf,
    )
    expect(
        stale_tab.get_by_text(
            "Aucune invitation à envoyer. 3 partis ignorés (lien déjà envoyé ou date limite "
            "passée)."
        )
    ).to_be_visible()
    run_queued_tasks()
    assert len(mail.outbox) == 3
    context.close()


def test_a_campaign_member_extends_one_party_deadline(demo_site, browser, output_dir):
    campaign = Campaign.objects.get()
    questionnaire = campaign.questionnaires.get()
    horizon = Invitation.objects.get(party__name=HORIZON)
    coalition = Invitation.objects.get(party__name=COALITION)
    member = campaign_member()
    context = browser.new_context(viewport=DESKTOP, **QUEBEC)
    page = context.new_page()
    log_in(page, demo_site.url, member)

    # The reminders, set on the campaign's form: 7 and 2 days before the deadline.
    page.goto(demo_site.url + f"/admin/snippets/campaigns/campaign/edit/{campaign.pk}/")
    page.get_by_label("rappels (jours avant la date limite)").fill("7, 2")
    page.get_by_role("button", name="Enregistrer").first.click()
    expect(
        page.get_by_text("Modifications enregistrées : Campagne « Élections québecoises 2022 ».")
    ).to_be_visible()
    assert Campaign.objects.get().reminder_days() == [7, 2]

    page.goto(demo_site.url + board_path(campaign))
    expect(page.get_by_text("Rappels : 7, 2 jours avant la date limite")).to_be_visible()
    deadline = campaign.closes_at
    horizon_cell = party_row(page, HORIZON).locator("[data-deadline]")
    # Mouvement Horizon has not answered: its two reminders are planned before the deadline.
    expect(horizon_cell.locator("[data-reminder-pending]")).to_have_text(
        [
            f"Rappel 7 j avant : prévu le {french_datetime(deadline - timedelta(days=7))}",
            f"Rappel 2 j avant : prévu le {french_datetime(deadline - timedelta(days=2))}",
        ]
    )
    # The Coalition has submitted its questionnaire: no reminder for it.
    expect(party_row(page, COALITION).locator("[data-reminder-pending]")).to_have_count(0)
    expect(party_row(page, COALITION).locator("[data-deadline]")).to_contain_text(
        "Aucun autre rappel : le parti a soumis tous ses questionnaires."
    )

    # A date before the campaign's deadline: refused, in French, and nothing changes.
    field = page.get_by_label(f"Nouvelle date limite pour {HORIZON}")
    field.fill(local_input(deadline - timedelta(days=1)))
    party_row(page, HORIZON).get_by_role("button", name="Prolonger pour ce parti").click()
    expect(page).to_have_url(re.compile(rf"/invitation/{horizon.pk}/prolonger/$"))
    error = page.locator("#prolonger-erreur")
    expect(error).to_have_text(
        f"La nouvelle date limite doit suivre celle de la campagne ({french_datetime(deadline)})."
    )
    retry = page.get_by_label("Nouvelle date limite pour ce parti")
    expect(retry).to_have_attribute("aria-invalid", "true")
    expect(retry).to_have_attribute("aria-describedby", "prolonger-erreur")
    screenshots(page, output_dir, "prolonger-erreur", reload=False)
    horizon.refresh_from_db()
    assert horizon.deadline is None

    # Corrected on that page: ten days after the campaign's deadline, at 17 h.
    extended = timezone.localtime(deadline + timedelta(days=10)).replace(
        hour=17, minute=0, second=0, microsecond=0
    )
    retry.fill(local_input(extended))
    page.get_by_role("button", name="Prolonger pour ce parti").click()
    expect(page).to_have_url(re.compile(rf"/campaign/tableau/{campaign.pk}/$"))
    expect(
        page.get_by_text(
            f"Date limite de {HORIZON} prolongée jusqu’au {french_datetime(extended)}."
        )
    ).to_be_visible()
    horizon.refresh_from_db()
    assert horizon.deadline == extended

    # The board: this party's own deadline, its reminders planned again from it; the others'
    # deadline is still the campaign's.
    horizon_cell = party_row(page, HORIZON).locator("[data-deadline]")
    expect(horizon_cell).to_contain_text(f"{french_datetime(extended)} (prolongée pour ce parti)")
    expect(horizon_cell.locator("[data-reminder-pending]")).to_have_text(
        [
            f"Rappel 7 j avant : prévu le {french_datetime(extended - timedelta(days=7))}",
            f"Rappel 2 j avant : prévu le {french_datetime(extended - timedelta(days=2))}",
        ]
    )
    for name in (COALITION, "Parti de l’Avenir familial (parti fictif)"):
        cell = party_row(page, name).locator("[data-deadline]")
        expect(cell).to_contain_text(french_datetime(deadline))
        expect(cell).not_to_contain_text("prolongée")
    expect(page.locator("[data-log] tbody tr").first).to_contain_text("Sacha Tremblay")
    screenshots(page, output_dir, "tableau-prolongation", reload=True)

    # The campaign's deadline passes.
    Campaign.objects.update(closes_at=timezone.now() - timedelta(minutes=10))
    closed_at = Campaign.objects.get().closes_at

    # Mouvement Horizon's form still opens, with its own deadline, and still saves.
    party = browser.new_context(viewport=DESKTOP, **QUEBEC).new_page()
    hold_clock(party)
    party.goto(demo_site.url + horizon.questionnaire_path(questionnaire))
    expect(party.locator("[data-party-form]")).to_be_visible()
    expect(party.locator(".notice").filter(has_text="Date limite pour répondre")).to_have_text(
        f"Date limite pour répondre et corriger vos réponses : {french_datetime(extended)}."
    )
    expect(party.get_by_text("La période de réponse est terminée")).to_have_count(0)
    answer_box(party, 1).fill("Des tables régionales, après la prolongation.")
    party.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(flash(party)).to_have_text("Brouillon enregistré. Vous pouvez revenir avec ce lien.")

    # Another party's form is closed.
    party.goto(demo_site.url + coalition.questionnaire_path(questionnaire))
    expect(party.get_by_text("La période de réponse est terminée")).to_contain_text(
        f"La période de réponse est terminée depuis le {french_datetime(closed_at)}."
    )
    expect(party.locator("[data-party-form]")).to_have_count(0)
    expect(party.locator("main textarea")).to_have_count(0)
    party.context.close()

    # A date after the campaign's (past) deadline but already past: refused too.
    page.goto(demo_site.url + board_path(campaign))
    page.get_by_label(f"Nouvelle date limite pour {COALITION}").fill(
        local_input(closed_at + timedelta(minutes=5))
    )
    party_row(page, COALITION).get_by_role("button", name="Prolonger pour ce parti").click()
    expect(page.locator("#prolonger-erreur")).to_have_text(
        "La nouvelle date limite doit être dans le futur."
    )
    coalition.refresh_from_db()
    assert coalition.deadline is None
    context.close()
