"""Keeps the search index in step with what the public may read of a campaign's answers. The
work runs in the task worker, after the commit: a party's submission or the team's save stays
one short request."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from wagtail.search import index

from django_tasks import task

from collectif.cache import bump_on_commit
from collectif.worker import enqueue_once

from .models import Campaign, Questionnaire
from .placements import live_pages_showing


@task()
def reindex_campaign_pages(campaign_id):
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


def reindex_later(campaign):
    """What the public may read of the campaign changed: the search index follows in the
    worker, and the cached public pages are renewed."""
    # One waiting task per campaign: 500 submissions in a minute make a few reindexings, not
    # 500 (each one reads everything committed before it starts).
    transaction.on_commit(lambda: enqueue_once(reindex_campaign_pages, campaign.pk))
    bump_on_commit(f"campagne {campaign.pk}")


def reindex_campaigns_due():
    """Campaigns whose embargo has ended since they were last indexed (called by the
    scheduler: an embargo ends with the clock, not with a save)."""
    for campaign in Campaign.objects.filter(answers_indexed=False):
        if campaign.results_are_public():
            reindex_campaign_pages.call(campaign.pk)


@receiver(post_save, sender=Campaign)
def campaign_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex_later(instance)


@receiver(post_save, sender=Questionnaire)
def questionnaire_saved(sender, instance, raw=False, **kwargs):
    # Its title and questions are searched on the pages that show it and on the campaign page.
    if not raw:
        reindex_later(instance.campaign)
