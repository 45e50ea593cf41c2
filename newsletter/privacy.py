"""The newsletter's personal data (collectif/privacy.py): purged after its retention, and
exported or erased on request."""

from django.contrib.contenttypes.models import ContentType

from wagtail.models import ModelLogEntry

from collectif.privacy import register_erase, register_export, register_purge, retention, when

from .models import Follower, Subscriber


@register_purge("inscriptions à l’infolettre non confirmées")
def purge_unconfirmed(now):
    return Subscriber.objects.filter(
        confirmed_at__isnull=True,
        unsubscribed_at__isnull=True,
        created_at__lt=now - retention("unconfirmed_subscribers"),
    ).delete()[0]


@register_purge("adresses désabonnées de l’infolettre")
def purge_unsubscribed(now):
    return Subscriber.objects.filter(
        unsubscribed_at__lt=now - retention("unsubscribed_subscribers")
    ).delete()[0]


@register_export("infolettre")
def export_subscriptions(email):
    return [
        {
            "courriel": s.email,
            "statut": s.status,
            "consentement_donne": s.consent_text,
            "inscrit_le": when(s.created_at),
            "courriel_de_confirmation_envoye_le": when(s.confirmation_sent_at),
            "confirme_le": when(s.confirmed_at),
            "desabonne_le": when(s.unsubscribed_at),
        }
        for s in Subscriber.objects.filter(email__iexact=email.strip())
    ]


@register_erase("abonnements à l’infolettre")
def erase_subscriptions(email):
    subscribers = Subscriber.objects.filter(email__iexact=email.strip())
    ids = [str(pk) for pk in subscribers.values_list("pk", flat=True)]
    # The admin's history of these records names the address too.
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Subscriber), object_id__in=ids
    ).delete()
    return subscribers.delete()[0]


@register_purge("suivis de campagne non confirmés")
def purge_unconfirmed_followers(now):
    return Follower.objects.filter(
        confirmed_at__isnull=True,
        unsubscribed_at__isnull=True,
        created_at__lt=now - retention("unconfirmed_subscribers"),
    ).delete()[0]


@register_purge("suivis de campagne arrêtés")
def purge_unsubscribed_followers(now):
    return Follower.objects.filter(
        unsubscribed_at__lt=now - retention("unsubscribed_subscribers")
    ).delete()[0]


@register_purge("suivis des campagnes terminées")
def purge_followers_of_past_campaigns(now):
    return Follower.objects.filter(
        campaign__closes_at__lt=now - retention("campaign_followers")
    ).delete()[0]


@register_export("suivis de campagne")
def export_follows(email):
    return [
        {
            "courriel": f.email,
            "campagne": f.campaign.name,
            "statut": f.status,
            "consentement_donne": f.consent_text,
            "inscrit_le": when(f.created_at),
            "courriel_de_confirmation_envoye_le": when(f.confirmation_sent_at),
            "confirme_le": when(f.confirmed_at),
            "avis_de_publication_envoye_le": when(f.publication_sent_at),
            "dernier_resume_des_corrections_le": when(f.digest_sent_at),
            "arrete_le": when(f.unsubscribed_at),
        }
        for f in Follower.objects.filter(email__iexact=email.strip()).select_related("campaign")
    ]


@register_erase("suivis de campagne")
def erase_follows(email):
    followers = Follower.objects.filter(email__iexact=email.strip())
    ids = [str(pk) for pk in followers.values_list("pk", flat=True)]
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Follower), object_id__in=ids
    ).delete()
    return followers.delete()[0]
