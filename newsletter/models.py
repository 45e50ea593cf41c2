import secrets

from django.core import signing
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone


def new_key():
    return secrets.token_urlsafe(16)


CONFIRM = "newsletter.confirm"
UNSUBSCRIBE = "newsletter.unsubscribe"


class SubscriberQuerySet(models.QuerySet):
    def by_token(self, token, purpose):
        """The subscriber a link's token opens, or None. A token is the subscriber's key
        signed for one purpose with the site's secret: the key stored in the database opens
        nothing by itself, and a confirmation link cannot unsubscribe (nor the reverse)."""
        try:
            key = signing.Signer(salt=purpose, sep=".").unsign(str(token))
        except signing.BadSignature:
            return None
        return self.filter(key=key).first()


class Subscriber(models.Model):
    """An address signed up for the newsletter: confirmed by a link sent to it (double opt-in),
    and able to leave by the link in every message. Not in the site's search index: the
    admin's list searches the table itself."""

    email = models.EmailField("courriel", max_length=254)
    key = models.CharField(max_length=32, unique=True, default=new_key, editable=False)
    consent_text = models.TextField("consentement donné", editable=False)
    created_at = models.DateTimeField("inscrit le", default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField("confirmé le", null=True, blank=True, editable=False)
    unsubscribed_at = models.DateTimeField("désabonné le", null=True, blank=True, editable=False)
    # When the last confirmation email left: a task run again (its worker died) does not send
    # the same request's email twice.
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="one_subscription_per_address")
        ]
        ordering = ["-created_at"]
        verbose_name = "abonné·e"
        verbose_name_plural = "abonné·e·s"

    def __str__(self):
        return self.email

    @property
    def status(self):
        if self.unsubscribed_at:
            return "désabonné"
        return "confirmé" if self.confirmed_at else "en attente de confirmation"

    status.fget.short_description = "statut"

    def token(self, purpose):
        return signing.Signer(salt=purpose, sep=".").sign(self.key)

    def confirm_path(self):
        return reverse("newsletter:confirm", args=[self.token(CONFIRM)])

    def unsubscribe_path(self):
        return reverse("newsletter:unsubscribe", args=[self.token(UNSUBSCRIBE)])


def new_token():
    # Kept for migration 0001, which named it as the old token field's default.
    return new_key()
