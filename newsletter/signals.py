"""The campaigns' followers are told when the answers become public: when the team publishes
(a save of the campaign) here, when the embargo ends by the clock in the scheduler
(`announce_due_publications`)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from campaigns.models import Campaign

from .tasks import announce_later


@receiver(post_save, sender=Campaign, dispatch_uid="newsletter_announce_publication")
def campaign_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.results_are_public():
        announce_later(instance)
