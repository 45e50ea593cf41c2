import logging
import smtplib
from datetime import timedelta

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from django_tasks import task

from collectif import links
from collectif.models import SiteSettings

from .models import Invitation, ResponseVersion

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# Wait 1, 2, 4, 8, 16 minutes between attempts: a mail server that is down for half an
# hour still gets every message.
RETRY_DELAY = timedelta(minutes=1)


@task()
def send_submission_emails(version_id, base_url=None, attempt=1):
    """The party's confirmation, with its private link and a copy of its answers as they will
    be published, and the team's notification. Each mail is marked sent once sent, so that a
    retry never sends it twice. `base_url` is the address the party used."""
    version = ResponseVersion.objects.select_related(
        "response__party", "response__questionnaire__campaign"
    ).get(pk=version_id)
    response = version.response
    campaign = response.questionnaire.campaign
    invitation = Invitation.objects.filter(campaign=campaign, party=response.party).first()
    base_url = base_url or links.base_url()
    context = {
        "version": version,
        "answers": [answer.public() for answer in version.answer_list()],
        "party": response.party,
        "questionnaire": response.questionnaire,
        "campaign": campaign,
        "private_url": links.absolute_url(
            invitation.questionnaire_path(response.questionnaire), base=base_url
        )
        if invitation
        else "",
        "board_url": links.absolute_url(
            reverse("wagtailsnippets_campaigns_campaign:board", args=[campaign.pk]), base=base_url
        ),
    }
    try:
        if version.confirmation_sent_at is None:
            _send(
                "campaigns/emails/confirmation",
                context,
                [response.party.contact_email],
            )
            ResponseVersion.objects.filter(pk=version.pk).update(
                confirmation_sent_at=timezone.now()
            )
        team_address = SiteSettings.objects.values_list("notification_email", flat=True).first()
        if version.notification_sent_at is None and team_address:
            _send("campaigns/emails/notification", context, [team_address])
            ResponseVersion.objects.filter(pk=version.pk).update(
                notification_sent_at=timezone.now()
            )
    except (smtplib.SMTPException, OSError):
        if attempt >= MAX_ATTEMPTS:
            logger.exception("Courriels de la version %s abandonnés", version_id)
            raise
        delay = RETRY_DELAY * 2 ** (attempt - 1)
        logger.warning("Courriel de la version %s reporté de %s", version_id, delay)
        send_submission_emails.using(run_after=timezone.now() + delay).enqueue(
            version_id, base_url, attempt + 1
        )


def _send(template, context, to):
    # One line, whatever the titles typed by the team: a line break would make the mail fail.
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}.txt", context)
    EmailMessage(subject=subject, body=body, to=to).send()
