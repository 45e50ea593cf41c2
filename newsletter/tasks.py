"""The newsletter's and the campaign followers' emails, each sent once (a task run again after
its worker died sends nothing more), all through collectif.mail.send_email."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from django_tasks import task

from campaigns import records
from campaigns.models import Campaign
from campaigns.reading import Reading
from collectif.content.links import absolute_url
from collectif.mail import send_email
from collectif.operations.worker import enqueue_once

from .models import Follower, Subscriber

logger = logging.getLogger(__name__)

# A follower gets at most one digest of corrections in this time.
DIGEST_EVERY = timedelta(days=1)


def unsubscribe_headers(unsubscribe_url):
    # RFC 2369 and RFC 8058: mail programs show an unsubscribe button that POSTs.
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _send_confirmation(model, pk, template, base, requested_at):
    """`base`: the address of the site as the person saw it (the request that signed up).
    `requested_at` (ISO time of the sign-up): once an email has left for it, a second run of
    the task (requeued after its worker died) sends nothing."""
    signup = model.objects.filter(pk=pk, confirmed_at__isnull=True).first()
    if signup is None or signup.unsubscribed_at:
        return
    requested = parse_datetime(requested_at) if requested_at else None
    sent = signup.confirmation_sent_at
    if requested is not None and sent is not None and sent >= requested:
        return
    unsubscribe_url = absolute_url(signup.unsubscribe_path(), base=base)
    context = {
        "signup": signup,
        "confirm_url": absolute_url(signup.confirm_path(), base=base),
        "unsubscribe_url": unsubscribe_url,
    }
    send_email(
        template, context, [signup.email], base=base, headers=unsubscribe_headers(unsubscribe_url)
    )
    model.objects.filter(pk=signup.pk).update(confirmation_sent_at=timezone.now())


@task()
def send_confirmation(subscriber_id, base=None, requested_at=None):
    _send_confirmation(
        Subscriber, subscriber_id, "newsletter/emails/confirmation", base, requested_at
    )


@task()
def send_follow_confirmation(follower_id, base=None, requested_at=None):
    _send_confirmation(
        Follower, follower_id, "newsletter/emails/follow_confirmation", base, requested_at
    )


def _follower_email(follower, template, context):
    unsubscribe_url = absolute_url(follower.unsubscribe_path())
    send_email(
        template,
        {
            **context,
            "campaign": follower.campaign,
            "campaign_url": absolute_url(follower.campaign_path()),
            "unsubscribe_url": unsubscribe_url,
        },
        [follower.email],
        headers=unsubscribe_headers(unsubscribe_url),
    )


@task()
def announce_publication(campaign_id):
    """The one email of each confirmed follower when the campaign's answers become public
    (`campaigns.reading.Reading`, the one rule). Followers who confirmed after the
    publication saw the answers on the confirmation page: they get no such email. Each row is
    locked while its email leaves and marked sent: two tasks send it once."""

    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    sent = 0
    while True:
        with transaction.atomic():
            follower = (
                pending_announcements(campaign)
                .select_for_update(skip_locked=True)
                .select_related("campaign")
                .order_by("pk")
                .first()
            )
            if follower is None:
                return sent
            _follower_email(follower, "newsletter/emails/follow_published", {})
            now = timezone.now()
            Follower.objects.filter(pk=follower.pk).update(
                publication_sent_at=now, corrections_told_until=now
            )
            sent += 1


def corrections_since(changes, since):
    return [c for c in changes if c["kind"] != records.PUBLISHED and c["at"] > since]


@task()
def send_correction_digest(follower_id):
    """One email telling a follower the corrections (and late answers) published since it was
    last told, if any, and if its last digest is older than DIGEST_EVERY."""
    now = timezone.now()
    with transaction.atomic():
        follower = (
            Follower.objects.select_for_update(skip_locked=True)
            .select_related("campaign")
            .filter(pk=follower_id, confirmed_at__isnull=False, unsubscribed_at__isnull=True)
            .first()
        )
        if follower is None or not _digest_is_allowed(follower, now):
            return 0
        since = follower.told_since()
        if since is None:
            return 0
        changes = corrections_since(records.public_changes(follower.campaign), since)
        if not changes:
            return 0
        _follower_email(follower, "newsletter/emails/follow_digest", {"changes": changes})
        Follower.objects.filter(pk=follower.pk).update(
            digest_sent_at=now, corrections_told_until=max(c["at"] for c in changes)
        )
        return 1


def _digest_is_allowed(follower, now):
    return follower.digest_sent_at is None or follower.digest_sent_at <= now - DIGEST_EVERY


def queue_correction_digests(now=None):
    """Called by the scheduler: a digest task for each follower that has corrections to be
    told and got no digest in the last day. Returns how many were queued."""

    now = now or timezone.now()
    queued = 0
    for campaign in Campaign.objects.filter(followers__confirmed_at__isnull=False).distinct():
        if not Reading(campaign, now=now).answers_readable:
            continue
        changes = records.public_changes(campaign)
        followers = Follower.objects.filter(
            campaign=campaign, confirmed_at__isnull=False, unsubscribed_at__isnull=True
        ).select_related("campaign")
        for follower in followers:
            since = follower.told_since()
            if (
                since is not None
                and _digest_is_allowed(follower, now)
                and corrections_since(changes, since)
            ):
                queued += enqueue_once(send_correction_digest, follower.pk)
    return queued


def pending_announcements(campaign):
    """The confirmed followers of a public campaign still owed its publication email."""
    since = campaign.public_since()
    if since is None:
        return Follower.objects.none()
    return Follower.objects.filter(
        campaign=campaign,
        confirmed_at__lte=since,
        unsubscribed_at__isnull=True,
        publication_sent_at__isnull=True,
    )


def announce_later(campaign):
    """After the commit, the publication emails of `campaign` queued once, if any is owed."""

    if pending_announcements(campaign).exists():
        transaction.on_commit(lambda: enqueue_once(announce_publication, campaign.pk))


def announce_due_publications():
    """Called by the scheduler: an embargo ends with the clock, not with a save."""

    campaign_ids = Follower.objects.filter(
        confirmed_at__isnull=False,
        unsubscribed_at__isnull=True,
        publication_sent_at__isnull=True,
    ).values_list("campaign_id", flat=True)
    for campaign in Campaign.objects.filter(pk__in=campaign_ids):
        announce_later(campaign)
