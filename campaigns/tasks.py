import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone

from django_tasks import task

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# Wait 1, 2, 4, 8, 16 minutes between attempts: a mail server that is down for half an
# hour still gets every message.
RETRY_DELAY = timedelta(minutes=1)


@task()
def send_submission_emails(version_id, attempt=1):
    """The party's confirmation, with a copy of its answers, and the team's notification.
    Each mail is marked sent once sent, so that a retry never sends it twice."""
    from collectif.models import SiteSettings

    from .models import ResponseVersion

    version = ResponseVersion.objects.select_related(
        "response__party", "response__questionnaire__campaign"
    ).get(pk=version_id)
    response = version.response
    context = {
        "version": version,
        "party": response.party,
        "questionnaire": response.questionnaire,
        "campaign": response.questionnaire.campaign,
        "base_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/"),
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
            version_id, attempt + 1
        )


def _send(template, context, to):
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    body = render_to_string(f"{template}.txt", context)
    EmailMessage(subject=subject, body=body, to=to).send()
