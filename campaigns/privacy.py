"""The personal data of campaigns under Québec's Law 25 (collectif/privacy.py runs these):
the names of the people who answered for a party are kept for the team's record, then erased
once the campaign has been closed longer than the configured retention; a party's contact is
exported and erased on request (the party's answers stay: they are the party's statements)."""

from django.db import transaction
from django.db.models import Q

from wagtail.models import ModelLogEntry

from collectif.privacy import (
    RESPONDENT_NAMES,
    register_erase,
    register_export,
    register_purge,
    retention,
    when,
)

from .models import Invitation, Party, Response, ResponseVersion

ERASED = ""
# The audit trail keeps that a link was sent, not to whom.
ERASED_ADDRESS = "(adresse effacée)"
LINK_EMAILED = "campaigns.link_emailed"


def links_emailed_to(email):
    """The audit trail's « Lien privé envoyé » entries that name `email`."""
    return ModelLogEntry.objects.filter(action=LINK_EMAILED, data__to__iexact=email.strip())


@register_purge(RESPONDENT_NAMES)
def purge_respondent_names(now):
    """Blanks the respondents' names of campaigns closed for longer than the retention, in the
    responses, their versions and the audit trail. The answers themselves stay: they are the
    parties' public statements. Returns how many records were changed."""
    cutoff = now - retention("respondent_names")
    responses = Response.objects.filter(questionnaire__campaign__closes_at__lt=cutoff)
    named = responses.filter(~Q(respondent_name="") | ~Q(submitted_by=""))
    with transaction.atomic():
        count = named.update(respondent_name=ERASED, submitted_by=ERASED)
        count += (
            ResponseVersion.objects.filter(response__in=responses)
            .exclude(respondent_name="")
            .update(respondent_name=ERASED)
        )
        entries = ModelLogEntry.objects.filter(
            action="campaigns.submitted",
            object_id__in=[str(pk) for pk in responses.values_list("pk", flat=True)],
        )
        for entry in entries:
            if entry.data.get("respondent"):
                entry.data["respondent"] = "(effacé)"
                entry.save(update_fields=["data"])
                count += 1
    return count


@register_export("contacts_de_partis")
def export_party_contacts(email):
    parties = Party.objects.filter(contact_email__iexact=email.strip()).prefetch_related(
        "invitations__campaign", "responses__versions"
    )
    return [
        {
            "parti": party.name,
            "personne_ressource": party.contact_name,
            "courriel": party.contact_email,
            "invitations": [
                {
                    "campagne": invitation.campaign.name,
                    "lien_envoye_le": when(invitation.emailed_at),
                    "lien_ouvert_le": when(invitation.opened_at),
                }
                for invitation in party.invitations.all()
            ],
            "noms_des_repondants": sorted(
                {
                    name
                    for response in party.responses.all()
                    for name in [
                        response.respondent_name,
                        response.submitted_by,
                        *[v.respondent_name for v in response.versions.all()],
                    ]
                    if name
                }
            ),
        }
        for party in parties
    ]


@register_export("liens_prives_envoyes")
def export_links_emailed(email):
    """The audit trail's « Lien privé envoyé » entries sent to the address (also those of a
    party whose contact has changed since)."""
    entries = list(links_emailed_to(email).order_by("timestamp"))
    ids = [int(entry.object_id) for entry in entries if entry.object_id.isdigit()]
    invitations = Invitation.objects.select_related("campaign", "party").in_bulk(ids)
    exported = []
    for entry in entries:
        invitation = invitations.get(int(entry.object_id)) if entry.object_id.isdigit() else None
        exported.append(
            {
                "campagne": invitation.campaign.name if invitation else None,
                "parti": invitation.party.name if invitation else None,
                "envoye_le": when(entry.timestamp),
                "a": entry.data.get("to"),
            }
        )
    return exported


@register_erase("contacts de partis (nom et courriel effacés, réponses gardées)")
def erase_party_contacts(email):
    # The party's answers are political statements of the party, not the contact's data:
    # they stay. The team enters a new contact before the next invitation.
    count = Party.objects.filter(contact_email__iexact=email.strip()).update(
        contact_name="", contact_email=""
    )
    for entry in links_emailed_to(email):
        entry.data["to"] = ERASED_ADDRESS
        entry.save(update_fields=["data"])
        count += 1
    return count
