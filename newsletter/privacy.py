"""The newsletter's personal data (collectif/privacy.py): purged after its retention, and
exported or erased on request."""

from django.contrib.contenttypes.models import ContentType

from wagtail.models import ModelLogEntry

from collectif.privacy import register_erase, register_export, register_purge, retention, when

from .models import Subscriber


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
