"""Reminder emails before a party's deadline, and the one rule of who still gets one.

The team sets offsets on the campaign (« 7, 2 » days before the deadline). `plan()` plans one
`Reminder` row per invitation × offset × deadline, and `campaigns.tasks.schedule_reminders`
queues each new one's task to run at that time (`run_after`): nothing polls. It is called when
the campaign is saved (offsets, deadline or invitations changed) and when a party's deadline
is extended. A row is unique in the database,
and only the call that creates it (or revives it) queues a task, so saving twice plans nothing
twice. When the task runs, `reason_to_skip()` checks again that the reminder still holds.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Invitation, Reminder, Response

# Why a planned reminder is not sent, in the team's words (shown on the board).
CHANGED_DEADLINE = "la date limite du parti a changé"
REMOVED_OFFSET = "ce rappel a été retiré de la campagne"
PAST_DEADLINE = "la date limite est passée"
ALL_SUBMITTED = "le parti a soumis tous ses questionnaires"
NOT_OPEN_YET = "la campagne n’était pas encore ouverte"
SUPERSEDED = "un rappel plus proche de la date limite était déjà dû"


def remaining_questionnaires(invitation):
    """The questionnaires of the campaign that this party has not submitted, in order."""
    submitted = set(
        Response.objects.filter(
            party_id=invitation.party_id,
            questionnaire__campaign_id=invitation.campaign_id,
            submitted_at__isnull=False,
        ).values_list("questionnaire_id", flat=True)
    )
    return [q for q in invitation.campaign.questionnaires.all() if q.pk not in submitted]


def reason_to_skip(reminder, now, remaining=None):
    """Why this reminder must not go out now (None: send it)."""
    invitation = reminder.invitation
    campaign = invitation.campaign
    days = campaign.reminder_days()
    if reminder.deadline != invitation.closes_at:
        return CHANGED_DEADLINE
    if reminder.days_before not in days:
        return REMOVED_OFFSET
    if now >= invitation.closes_at:
        return PAST_DEADLINE
    if campaign.has_not_opened(now):
        return NOT_OPEN_YET
    # A worker that was down must not send the 7-day and the 2-day reminders together.
    later = [d for d in days if d < reminder.days_before]
    if any(Reminder.time_for(reminder.deadline, d) <= now for d in later):
        return SUPERSEDED
    if remaining is None:
        remaining = remaining_questionnaires(invitation)
    if not remaining:
        return ALL_SUBMITTED
    return None


def plan(invitations, now=None):
    """Plans the reminders that the invitations' current deadlines and the campaign's offsets
    call for, and skips the planned ones that no longer hold. Returns the reminders newly
    planned (or planned again), for the caller to queue in the same transaction
    (`campaigns.tasks.schedule_reminders`)."""
    now = now or timezone.now()
    planned = []
    for invitation in invitations:
        campaign = invitation.campaign
        deadline = invitation.closes_at
        wanted = {
            days: Reminder.time_for(deadline, days)
            for days in campaign.reminder_days()
            if now < Reminder.time_for(deadline, days)
            and campaign.opens_at <= Reminder.time_for(deadline, days)
        }
        for reminder in invitation.reminders.filter(sent_at=None, skipped_at=None):
            if reminder.deadline != deadline or reminder.days_before not in wanted:
                reason = CHANGED_DEADLINE if reminder.deadline != deadline else REMOVED_OFFSET
                _skip(reminder, reason, now)
        for days, send_at in wanted.items():
            reminder = _plan(invitation, days, deadline, send_at)
            if reminder is not None:
                planned.append(reminder)
    return planned


def campaign_invitations(campaign):
    return Invitation.objects.filter(campaign=campaign).select_related("campaign")


def _plan(invitation, days, deadline, send_at):
    """The new (or revived) reminder row, or None when it is already planned or sent."""
    try:
        with transaction.atomic():
            reminder, created = Reminder.objects.get_or_create(
                invitation=invitation,
                days_before=days,
                deadline=deadline,
                defaults={"send_at": send_at},
            )
    except IntegrityError:
        return None  # planned at this very moment by another request
    if created:
        return reminder
    # Skipped earlier (an offset removed, then set again): planned again, at most once.
    revived = Reminder.objects.filter(
        pk=reminder.pk, sent_at=None, skipped_at__isnull=False
    ).update(skipped_at=None, skip_reason="")
    return reminder if revived else None


def _skip(reminder, reason, now):
    Reminder.objects.filter(pk=reminder.pk, sent_at=None).update(
        skipped_at=now, skip_reason=reason
    )
    reminder.skipped_at, reminder.skip_reason = now, reason
