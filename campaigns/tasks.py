import logging
import smtplib
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wagtail.log_actions import log

from django_tasks import task

from collectif.content import links
from collectif.mail import send_email
from collectif.models import SiteSettings
from collectif.operations.worker import once_the_database_answers

from . import reminders
from .models import Invitation, Reminder, ResponseVersion
from .reading import TEAM, Reading

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
    context = _version_context(version, base_url)
    try:
        if version.confirmation_sent_at is None:
            send_email(
                "campaigns/emails/confirmation",
                context,
                [response.party.contact_email],
                base=base_url,
            )
            # Sent: marked even if the database is down for a moment, never sent twice.
            once_the_database_answers(
                lambda: ResponseVersion.objects.filter(pk=version.pk).update(
                    confirmation_sent_at=timezone.now()
                )
            )
        team_address = SiteSettings.objects.values_list("notification_email", flat=True).first()
        if version.notification_sent_at is None and team_address:
            send_email("campaigns/emails/notification", context, [team_address], base=base_url)
            once_the_database_answers(
                lambda: ResponseVersion.objects.filter(pk=version.pk).update(
                    notification_sent_at=timezone.now()
                )
            )
    except (smtplib.SMTPException, OSError):
        _retry_later(send_submission_emails, attempt, version_id, base_url)


@task()
def send_team_entry_email(version_id, base_url=None, attempt=1):
    """A draft that a team member entered on the party's behalf: the party learns who entered
    what (a submission's confirmation says it already). Sent once, as the confirmation is."""
    version = ResponseVersion.objects.select_related(
        "response__party", "response__questionnaire__campaign"
    ).get(pk=version_id)
    if version.confirmation_sent_at is not None:
        return
    try:
        send_email(
            "campaigns/emails/team_entry",
            _version_context(version, base_url),
            [version.response.party.contact_email],
            base=base_url,
        )
        once_the_database_answers(
            lambda: ResponseVersion.objects.filter(pk=version.pk).update(
                confirmation_sent_at=timezone.now()
            )
        )
    except (smtplib.SMTPException, OSError):
        _retry_later(send_team_entry_email, attempt, version_id, base_url)


def _version_context(version, base_url):
    """What the emails about a version say: its answers as they will be published, the
    party's private link on the address it used (`base_url`), its deadline."""
    response = version.response
    campaign = response.questionnaire.campaign
    invitation = Invitation.objects.filter(campaign=campaign, party=response.party).first()
    if invitation is not None:
        # Read with the version: its deadline and link need no query of their own.
        invitation.campaign, invitation.party = campaign, response.party
    base_url = base_url or links.base_url()
    return {
        "version": version,
        "answers": Reading(campaign, TEAM).version_answers(version),
        "party": response.party,
        "questionnaire": response.questionnaire,
        "campaign": campaign,
        "private_url": links.absolute_url(
            invitation.questionnaire_path(response.questionnaire), base=base_url
        )
        if invitation
        else "",
        "closes_at": invitation.closes_at if invitation else campaign.closes_at,
        "board_url": links.absolute_url(
            reverse("wagtailsnippets_campaigns_campaign:board", args=[campaign.pk]), base=base_url
        ),
    }


def email_invitation(invitation, base_url, user=None):
    """Sends a party its private link (on `base_url`), marks it sent and logs who sent it.
    Raises OSError / SMTPException when the mail server refuses."""
    context = {
        "invitation": invitation,
        "campaign": invitation.campaign,
        "private_url": invitation.private_url(base=base_url),
    }
    send_email(
        "campaigns/emails/invitation", context, [invitation.party.contact_email], base=base_url
    )
    invitation.emailed_at = timezone.now()
    invitation.save(update_fields=["emailed_at"])
    log(
        invitation,
        "campaigns.link_emailed",
        user=user,
        data={"to": invitation.party.contact_email},
    )


@task()
def send_invitation_email(invitation_id, base_url=None, user_id=None, attempt=1):
    """« Inviter tous les partis »: the party's private link, on the address the team used
    (`base_url`), unless it was already emailed. The invitation's row stays locked while the
    mail goes out, so that two tasks for the same party (a double click) send it once."""
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        with transaction.atomic():
            invitation = (
                Invitation.objects.select_for_update(of=("self",))
                .select_related("campaign", "party")
                .filter(pk=invitation_id)
                .first()
            )
            if invitation is None or invitation.emailed_at is not None:
                return
            email_invitation(invitation, base_url or links.base_url(), user)
    except (smtplib.SMTPException, OSError):
        _retry_later(send_invitation_email, attempt, invitation_id, base_url, user_id)


def schedule_reminders(invitations, base_url=None, now=None):
    """Plans the reminders the invitations call for (campaigns/reminders.py) and queues each
    new one to run at its time, in the same transaction as its row: both exist, or neither.
    Returns the number queued. `base_url`: the site's address for the private links."""
    with transaction.atomic():
        planned = reminders.plan(invitations, now=now)
        for reminder in planned:
            send_reminder.using(run_after=reminder.send_at).enqueue(reminder.pk, base_url)
    return len(planned)


def schedule_campaign_reminders(campaign, base_url=None):
    return schedule_reminders(reminders.campaign_invitations(campaign), base_url=base_url)


@task()
def send_reminder(reminder_id, base_url=None, attempt=1):
    """A reminder planned by campaigns/reminders.py, queued to run at its time. It checks
    again that it still holds (deadline, offset, answers), else marks itself skipped; it is
    sent once, whatever the number of tasks that run for it."""
    now = timezone.now()
    try:
        with transaction.atomic():
            reminder = (
                Reminder.objects.select_for_update(of=("self",))
                .select_related("invitation__campaign", "invitation__party")
                .filter(pk=reminder_id)
                .first()
            )
            if reminder is None or reminder.sent_at or reminder.skipped_at:
                return
            invitation = reminder.invitation
            remaining = reminders.remaining_questionnaires(invitation)
            reason = reminders.reason_to_skip(reminder, now, remaining)
            if reason:
                reminder.skipped_at, reminder.skip_reason = now, reason
                reminder.save(update_fields=["skipped_at", "skip_reason"])
                return
            base_url = base_url or links.base_url()
            context = {
                "invitation": invitation,
                "campaign": invitation.campaign,
                "party": invitation.party,
                "remaining": remaining,
                "closes_at": invitation.closes_at,
                "days_before": reminder.days_before,
                "private_url": invitation.private_url(base=base_url),
            }
            send_email(
                "campaigns/emails/reminder",
                context,
                [invitation.party.contact_email],
                base=base_url,
            )
            reminder.sent_at = timezone.now()
            reminder.save(update_fields=["sent_at"])
            log(
                invitation,
                "campaigns.reminder_sent",
                data={
                    "to": invitation.party.contact_email,
                    "days_before": reminder.days_before,
                    "deadline": invitation.closes_at.isoformat(),
                    "remaining": [q.title for q in remaining],
                },
            )
    except (smtplib.SMTPException, OSError):
        _retry_later(send_reminder, attempt, reminder_id, base_url)


def _retry_later(task, attempt, *args):
    """The mail server refused: the same task again later (1, 2, 4, 8, 16 minutes), or, after
    MAX_ATTEMPTS, the error raised so that the task is marked failed (and shows on the board).
    Called from an `except` block."""
    label = f"{task.name}{args[:1]}"
    if attempt >= MAX_ATTEMPTS:
        logger.exception("Courriel abandonné après %s essais : %s", attempt, label)
        raise
    delay = RETRY_DELAY * 2 ** (attempt - 1)
    logger.warning("Courriel reporté de %s : %s", delay, label)
    task.using(run_after=timezone.now() + delay).enqueue(*args, attempt + 1)
