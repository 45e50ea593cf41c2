"""Keeps the search index in step with what the public may read of a campaign's answers."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from wagtail.search import index

from .models import Campaign, Response
from .placements import questionnaire_pages


def reindex_campaign_pages(campaign):
    for page in questionnaire_pages(list(campaign.questionnaires.all())).values():
        index.insert_or_update_object(page.specific)
    Campaign.objects.filter(pk=campaign.pk).update(answers_indexed=campaign.results_are_public())


def reindex_campaigns_due():
    """Campaigns whose embargo has ended since they were last indexed (called by the
    scheduler: an embargo ends with the clock, not with a save)."""
    for campaign in Campaign.objects.filter(answers_indexed=False):
        if campaign.results_are_public():
            reindex_campaign_pages(campaign)


# After the commit: a party's submission stays one short transaction.


@receiver(post_save, sender=Campaign)
def campaign_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        transaction.on_commit(lambda: reindex_campaign_pages(instance))


@receiver(post_save, sender=Response)
def response_saved(sender, instance, raw=False, **kwargs):
    campaign = instance.questionnaire.campaign
    if not raw and instance.submitted_at and campaign.results_are_public():
        transaction.on_commit(lambda: reindex_campaign_pages(campaign))
