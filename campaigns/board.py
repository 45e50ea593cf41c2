"""The team's board of a campaign, as queries: each invited party's progress per
questionnaire (the status rule is `campaigns.reading.Reading.status`), its reminders, the
emails the worker gave up on, the campaign's audit trail, and the open campaigns of the
dashboard. The views of `campaigns.admin_views` only show what these return; each function
makes a fixed number of queries, whatever the number of parties."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry

from collectif.operations.worker import failed_tasks

from . import reminders
from .answers import french_datetime
from .models import Campaign, Invitation, Questionnaire, Reminder, Response, ResponseVersion
from .placements import live_pages_showing
from .reading import DRAFT, INVITED, SUBMITTED, TEAM, Reading
from .tasks import send_invitation_email, send_reminder, send_submission_emails


def board_url(campaign):
    return reverse("wagtailsnippets_campaigns_campaign:board", args=[campaign.pk])


def board_state(campaign):
    """Each invited party's status per questionnaire, its deadline and its reminders, and the
    progress of each questionnaire (invited / opened / draft / submitted), in five queries."""
    questionnaires = list(campaign.questionnaires.all())
    invitations = list(campaign.invitations.select_related("party"))
    reminders_of = {}
    for reminder in Reminder.objects.filter(invitation__campaign=campaign):
        reminders_of.setdefault(reminder.invitation_id, []).append(reminder)
    responses = Response.objects.filter(questionnaire__campaign=campaign).only(
        "id", "questionnaire_id", "party_id", "status", "submitted_at", "updated_at"
    )
    pages = live_pages_showing(questionnaires)
    progress = campaign_progress(campaign, questionnaires, invitations, responses)
    rows = [
        {
            **row,
            "reminders": _reminder_lines(reminders_of.get(row["invitation"].pk, []), row["done"]),
        }
        for row in progress["rows"]
    ]
    summary = [
        {"questionnaire": q, "pages": pages.get(q.pk, []), **progress["questionnaires"][q.pk]}
        for q in questionnaires
    ]
    return {"questionnaires": questionnaires, "rows": rows, "summary": summary}


def campaign_progress(campaign, questionnaires, invitations, responses):
    """Each party's status on each questionnaire, as the team knows it (`Reading.status`:
    invited, link opened, draft, submitted), counted per questionnaire and per party; no query
    of its own."""
    reading = Reading(campaign, TEAM)
    responses = {(r.questionnaire_id, r.party_id): r for r in responses}
    progress = {
        q.pk: {"invited": len(invitations), "opened": 0, "draft": 0, "submitted": 0}
        for q in questionnaires
    }
    parties = {"invited": len(invitations), "opened": 0, "draft": 0, "submitted": 0}
    rows = []
    for invitation in invitations:
        cells = []
        for questionnaire in questionnaires:
            response = responses.get((questionnaire.pk, invitation.party_id))
            status = reading.status(response, invitation)
            counts = progress[questionnaire.pk]
            if status[0] != INVITED:
                counts["opened"] += 1
            if status[0] in (DRAFT, SUBMITTED):
                counts[status[0]] += 1
            cells.append({"questionnaire": questionnaire, "response": response, "status": status})
        invitation.campaign = campaign
        kinds = {cell["status"][0] for cell in cells}
        done = bool(cells) and kinds == {SUBMITTED}
        # A party counts once: submitted when it has submitted every questionnaire, in draft
        # as soon as it has begun one.
        if done:
            parties["submitted"] += 1
        elif kinds & {DRAFT, SUBMITTED}:
            parties["draft"] += 1
        if invitation.opened_at or kinds - {INVITED}:
            parties["opened"] += 1
        rows.append({"invitation": invitation, "cells": cells, "done": done})
    return {"rows": rows, "questionnaires": progress, "parties": parties}


def open_campaigns(now=None):
    """The campaigns parties can still answer (or that have not opened yet), each with its
    deadline, its parties' progress (campaign_progress) and its next reminder: five queries,
    whatever the number of campaigns."""
    now = now or timezone.now()
    campaigns = list(
        Campaign.objects.filter(Q(closes_at__gt=now) | Q(invitations__deadline__gt=now))
        .distinct()
        .order_by("closes_at")
    )
    ids = [c.pk for c in campaigns]
    questionnaires, invitations, responses = {}, {}, {}
    for questionnaire in Questionnaire.objects.filter(campaign__in=ids).only("id", "campaign_id"):
        questionnaires.setdefault(questionnaire.campaign_id, []).append(questionnaire)
    for invitation in Invitation.objects.filter(campaign__in=ids).only(
        "id", "campaign_id", "party_id", "opened_at", "deadline"
    ):
        invitations.setdefault(invitation.campaign_id, []).append(invitation)
    for response in (
        Response.objects.filter(questionnaire__campaign__in=ids)
        .only(
            "id",
            "questionnaire_id",
            "party_id",
            "status",
            "submitted_at",
            "questionnaire__campaign_id",
        )
        .select_related("questionnaire")
    ):
        responses.setdefault(response.questionnaire.campaign_id, []).append(response)
    pending = Reminder.objects.filter(
        invitation__campaign__in=ids, sent_at__isnull=True, skipped_at__isnull=True
    ).values_list("invitation__campaign_id", "invitation_id", "send_at")
    overview = []
    for campaign in campaigns:
        progress = campaign_progress(
            campaign,
            questionnaires.get(campaign.pk, []),
            invitations.get(campaign.pk, []),
            responses.get(campaign.pk, []),
        )
        done = {row["invitation"].pk for row in progress["rows"] if row["done"]}
        next_reminder = min(
            (
                send_at
                for campaign_id, invitation_id, send_at in pending
                if campaign_id == campaign.pk and invitation_id not in done
            ),
            default=None,
        )
        overview.append(
            {
                "campaign": campaign,
                "is_open": campaign.is_open(now),
                "opens_on": french_datetime(campaign.opens_at),
                "closes_on": french_datetime(campaign.closes_at),
                "next_reminder": french_datetime(next_reminder) if next_reminder else "",
                "board_url": board_url(campaign),
                **progress["parties"],
            }
        )
    return overview


def _reminder_lines(planned, done):
    """A party's reminders as the board shows them: sent, planned, or cancelled (those replaced
    by a newer plan, after a change of date or offsets, are left out)."""
    lines = []
    for reminder in planned:
        when = f"Rappel {reminder.days_before} j avant"
        if reminder.sent_at:
            lines.append({"label": f"{when} : envoyé le {french_datetime(reminder.sent_at)}"})
        elif reminder.skipped_at:
            if reminder.skip_reason not in (reminders.CHANGED_DEADLINE, reminders.REMOVED_OFFSET):
                lines.append({"label": f"{when} : annulé ({reminder.skip_reason})"})
        elif not done:
            lines.append(
                {
                    "label": f"{when} : prévu le {french_datetime(reminder.send_at)}",
                    "pending": True,
                }
            )
    if done and any(not (r.sent_at or r.skipped_at) for r in planned):
        lines.append({"label": f"Aucun autre rappel : {reminders.ALL_SUBMITTED}."})
    return lines


def failed_emails(campaign):
    """The campaign's emails that the task worker gave up on (the mail server refused them
    again and again): who they were for, when, and what failed. Three queries."""
    version_parties = dict(
        ResponseVersion.objects.filter(response__questionnaire__campaign=campaign).values_list(
            "pk", "response__party_id"
        )
    )
    invitations = {i.pk: i for i in campaign.invitations.select_related("party")}
    parties = {i.party_id: i.party for i in invitations.values()}
    reminder_invitations = dict(
        Reminder.objects.filter(invitation__campaign=campaign).values_list("pk", "invitation_id")
    )
    kinds = [
        (send_submission_emails, "confirmation de réponses", None),
        (send_invitation_email, "invitation", None),
        (send_reminder, "rappel", reminder_invitations),
    ]
    failed = []
    for task, label, through in kinds:
        for result in failed_tasks(task)[:50]:
            first = (result.args_kwargs.get("args") or [None])[0]
            if task is send_submission_emails:
                party = parties.get(version_parties.get(first))
                if party is None:
                    continue
            else:
                invitation = invitations.get(through.get(first) if through else first)
                if invitation is None:
                    continue
                party = invitation.party
            failed.append(
                {
                    "label": label,
                    "party": party,
                    "finished_at": result.finished_at,
                    "error": result.exception_class_path.rsplit(".", 1)[-1],
                }
            )
    return failed


def campaign_log(campaign, limit=30):
    """The audit trail of a campaign: its own entries, its invitations' and its responses'."""
    types = ContentType.objects.get_for_models(Campaign, Invitation, Response)
    condition = (
        Q(content_type=types[Campaign], object_id=str(campaign.pk))
        | Q(
            content_type=types[Invitation],
            object_id__in=[str(pk) for pk in campaign.invitations.values_list("pk", flat=True)],
        )
        | Q(
            content_type=types[Response],
            object_id__in=[
                str(pk)
                for pk in Response.objects.filter(questionnaire__campaign=campaign).values_list(
                    "pk", flat=True
                )
            ],
        )
    )
    return list(ModelLogEntry.objects.filter(condition).select_related("user")[:limit])
