"""The personal data of campaigns under Québec's Law 25 (collectif/privacy.py runs these):
the names of the people who answered for a party are kept for the team's record, then erased
once the campaign has been closed longer than the configured retention. Party contacts are
exported and erased by collectif/privacy.py."""

from django.db import transaction
from django.db.models import Q

from wagtail.models import ModelLogEntry

from collectif.privacy import RESPONDENT_NAMES, register_purge, retention

from .models import Response, ResponseVersion

ERASED = ""


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
