import secrets

from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from wagtail.search import index


def new_token():
    return secrets.token_urlsafe(32)


class Subscriber(index.Indexed, models.Model):
    """An address signed up for the newsletter: confirmed by a link sent to it (double opt-in),
    and able to leave by the link in every message."""

    email = models.EmailField("courriel", max_length=254)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    consent_text = models.TextField("consentement donné", editable=False)
    created_at = models.DateTimeField("inscrit le", default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField("confirmé le", null=True, blank=True, editable=False)
    unsubscribed_at = models.DateTimeField("désabonné le", null=True, blank=True, editable=False)

    search_fields = [index.SearchField("email"), index.AutocompleteField("email")]

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

    def confirm_path(self):
        return reverse("newsletter:confirm", args=[self.token])

    def unsubscribe_path(self):
        return reverse("newsletter:unsubscribe", args=[self.token])
