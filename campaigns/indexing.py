"""Keeps the search index and the page cache in step with what the public may read of a
campaign. The indexing runs in the task worker, after the commit: a party's submission or the
team's save stays one short request. The cache renews only the campaign's own pages (the pages
that show its questionnaires, its campaign page and its open data), never the whole site."""

from datetime import timedelta

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver
from django.urls import reverse

from wagtail.search import index

from django_tasks import task

from collectif.delivery import cache
from collectif.operations.worker import enqueue_once

from . import opendata
from .models import Campaign, Invitation, Party, Question, Questionnaire
from .placements import live_pages_showing
from .reading import calendar_state

# Sent once a campaign's pages and the campaign itself are indexed again (sender: Campaign,
# campaign_id): what caches search results renews them (search/signals.py).
campaign_indexed = Signal()


# While a reindexing of the campaign waits in the queue, a mark in the cache says so: the next
# submissions need not ask the queue (`reindex_soon`). The task removes it as it starts,
# before it reads anything: a submission committed before that is read by it; one committed
# after finds no mark and queues the next reindexing. The mark is set only just before a
# task is queued, and removed again if queuing fails; it ends by itself after this long. A
# task that cannot remove it (Redis failing at that moment) queues one more reindexing for
# when the mark has ended: what was committed meanwhile is read then.
REINDEX_WAITING_SECONDS = 60


def reindex_waiting_key(campaign_id):
    return f"collectif:reindex-waiting:{campaign_id}"


def _forget_reindex_mark(campaign_id):
    """Removes the mark; raises (cache.CACHE_ERRORS) when Redis cannot say it did."""
    backend = cache.page_cache()
    delete = getattr(backend, "delete_or_raise", backend.delete)
    delete(reindex_waiting_key(campaign_id))


@task()
def reindex_campaign_pages(campaign_id):
    try:
        _forget_reindex_mark(campaign_id)
    except cache.CACHE_ERRORS:
        # The mark may stay until it ends: the corrections meanwhile queue nothing. (Where
        # tasks run at once, nothing waits behind a mark.)
        if reindex_campaign_pages.get_backend().supports_defer:
            enqueue_once(
                reindex_campaign_pages,
                campaign_id,
                delay=timedelta(seconds=REINDEX_WAITING_SECONDS + 1),
            )
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return
    pages = {
        page.pk: page
        for pages in live_pages_showing(campaign.questionnaires.all()).values()
        for page in pages
    }
    for page in pages.values():
        index.insert_or_update_object(page.specific)
    index.insert_or_update_object(campaign)
    Campaign.objects.filter(pk=campaign.pk).update(answers_indexed=campaign.results_are_public())
    campaign_indexed.send(sender=Campaign, campaign_id=campaign.pk)


def public_paths(campaign):
    """The addresses of every public page that shows the campaign: the live pages where its
    questionnaires are placed, its campaign page, its open data and the feeds.

    Where its questionnaires are placed changes only with a page's publication, move or
    deletion, which renew the site's generation: the list is kept for it (and for the
    campaign's address), so that a party's submission after publication neither looks for
    the pages again nor builds the addresses."""

    def addresses():
        paths = [
            page.get_url_parts()[2]
            for pages in live_pages_showing(campaign.questionnaires.all()).values()
            for page in pages
        ]
        paths.append(reverse("campaigns:campaign", args=[campaign.slug]))
        paths.extend(opendata.file_path(campaign, name) for name in opendata.FILE_NAMES)
        # Its feed, the site's feed and the open data page list what it published.
        paths.append(reverse("campaigns:feed", args=[campaign.slug]))
        paths.extend([reverse("feed"), reverse("open_data_index")])
        return paths

    return cache.remember(f"collectif:campaign-paths:{campaign.pk}:{campaign.slug}", addresses)


def campaign_paths(campaign_id):
    """`public_paths` of the campaign with this id (none if it is gone)."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    return public_paths(campaign) if campaign is not None else []


def renew_pages_later(campaign_id, reason, live=False, campaign=None):
    """Once committed, the campaign's pages are renewed in the cache and the proxy (`live`:
    the change only adds to them, collectif/delivery/cache.py `renew_paths`). With
    `campaign`, read in this request, its addresses come without reading it again."""
    if campaign is not None:
        cache.renew_paths_on_commit(lambda: public_paths(campaign), reason, live=live)
    else:
        cache.renew_paths_on_commit(lambda: campaign_paths(campaign_id), reason, live=live)


def reindex_later(campaign, live=False):
    """What the public may read of the campaign changed: the search index follows in the
    worker, and the campaign's cached pages are renewed (`live`: a party's submission after
    publication, which only adds to them)."""
    transaction.on_commit(lambda: reindex_soon(campaign.pk))
    renew_pages_later(campaign.pk, f"campagne {campaign.pk}", live=live, campaign=campaign)


def reindex_soon(campaign_id):
    """Queues the campaign's reindexing (call it once committed) unless one already waits. One
    waiting task per campaign: 500 submissions in a minute make a few reindexings, not 500
    (each one reads everything committed before it starts). Known from the cache's mark
    (`REINDEX_WAITING_SECONDS`) without asking the queue; without the mark (the first
    submission, or Redis down), the queue itself is asked."""
    try:
        unmarked = cache.page_cache().add(
            reindex_waiting_key(campaign_id), 1, REINDEX_WAITING_SECONDS
        )
    except cache.CACHE_ERRORS:
        unmarked = True
    if unmarked:
        try:
            enqueue_once(reindex_campaign_pages, campaign_id)
        except Exception:
            # No task behind the mark: the next submission must queue one.
            cache.page_cache().delete(reindex_waiting_key(campaign_id))
            raise


def reindex_campaigns_due():
    """Campaigns whose embargo has ended since they were last indexed (called by the
    scheduler: an embargo ends with the clock, not with a save): their pages are renewed and
    their answers indexed."""
    for campaign in Campaign.objects.filter(answers_indexed=False):
        if campaign.results_are_public():
            reason = f"fin de l’embargo, campagne {campaign.pk}"
            cache.renew_paths(public_paths(campaign), reason)
            reindex_campaign_pages.call(campaign.pk)


def renew_campaigns_whose_calendar_turned(now=None):
    """Campaigns whose public face the clock alone changed since the scheduler last looked
    (it opened, it closed, its answers became public): their pages are renewed, so that no
    reader keeps seeing « ouvert » after the deadline (called by the scheduler every
    minute). What was shown is remembered in the cache; unknown (the first run, Redis
    emptied), the pages are renewed once."""
    shown_cache = cache.page_cache()
    for campaign in Campaign.objects.all():
        state = calendar_state(campaign, now)
        key = f"collectif:calendar-shown:{campaign.pk}"
        if shown_cache.get(key) == state:
            continue
        cache.renew_paths(public_paths(campaign), f"calendrier, campagne {campaign.pk}")
        shown_cache.set(key, state, None)


# What an invitation keeps for the team only: saving them changes no public page.
PRIVATE_INVITATION_FIELDS = {"emailed_at", "opened_at", "generation"}


@receiver(post_save, sender=Campaign)
def campaign_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex_later(instance)


@receiver(post_save, sender=Questionnaire)
def questionnaire_saved(sender, instance, raw=False, **kwargs):
    # Its title and questions are searched on the pages that show it and on the campaign page.
    if not raw:
        reindex_later(instance.campaign)


@receiver(post_save, sender=Question)
def question_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        renew_pages_later(instance.questionnaire.campaign_id, f"question {instance.pk}")


@receiver(post_save, sender=Invitation)
def invitation_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    # A party invited, or its deadline extended: the campaign's pages list the parties.
    if raw or (update_fields and set(update_fields) <= PRIVATE_INVITATION_FIELDS):
        return
    renew_pages_later(instance.campaign_id, f"invitation {instance.pk}")


@receiver(post_save, sender=Party)
def party_saved(sender, instance, raw=False, created=False, **kwargs):
    # Its name and logo show on the pages of every campaign it is invited to.
    if raw or created:
        return
    for campaign_id in instance.invitations.values_list("campaign_id", flat=True):
        renew_pages_later(campaign_id, f"parti {instance.pk}")


def _deleted(sender, instance, **kwargs):
    # What showed it may be gone with it (a campaign's questionnaires): every page is renewed.
    cache.bump_on_commit(sender._meta.label_lower)


for _model in (Campaign, Questionnaire, Question, Invitation, Party):
    post_delete.connect(_deleted, sender=_model, dispatch_uid=f"campaigns-cache-{_model.__name__}")
