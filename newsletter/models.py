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
FOLLOW_CONFIRM = "newsletter.follow.confirm"
FOLLOW_UNSUBSCRIBE = "newsletter.follow.unsubscribe"


class SignupQuerySet(models.QuerySet):
    def by_token(self, token, purpose):
        """The sign-up a link's token opens, or None. A token is the sign-up's key signed for
        one purpose with the site's secret: the key stored in the database opens nothing by
        itself, and a confirmation link cannot unsubscribe (nor the reverse)."""
        try:
            key = signing.Signer(salt=purpose, sep=".").unsign(str(token))
        except signing.BadSignature:
            return None
        return self.filter(key=key).first()


# Kept under its first name: the newsletter's code and migrations know it.
SubscriberQuerySet = SignupQuerySet


class Signup(models.Model):
    """An address that asked for emails: confirmed by a link sent to it (double opt-in), with
    the consent it gave, and able to leave by the link in every message."""

    # The purposes its links are signed for, and the views that open them.
    confirm_purpose = CONFIRM
    unsubscribe_purpose = UNSUBSCRIBE
    confirm_url_name = "newsletter:confirm"
    unsubscribe_url_name = "newsletter:unsubscribe"

    email = models.EmailField("courriel", max_length=254)
    key = models.CharField(max_length=32, unique=True, default=new_key, editable=False)
    consent_text = models.TextField("consentement donné", editable=False)
    created_at = models.DateTimeField("inscrit le", default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField("confirmé le", null=True, blank=True, editable=False)
    unsubscribed_at = models.DateTimeField("désabonné le", null=True, blank=True, editable=False)
    # When the last confirmation email left: a task run again (its worker died) does not send
    # the same request's email twice.
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SignupQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at"]

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
        return reverse(self.confirm_url_name, args=[self.token(self.confirm_purpose)])

    def unsubscribe_path(self):
        return reverse(self.unsubscribe_url_name, args=[self.token(self.unsubscribe_purpose)])


class Subscriber(Signup):
    """An address signed up for the newsletter. Not in the site's search index: the admin's
    list searches the table itself."""

    class Meta(Signup.Meta):
        constraints = [
            models.UniqueConstraint(Lower("email"), name="one_subscription_per_address")
        ]
        verbose_name = "abonné·e"
        verbose_name_plural = "abonné·e·s"


class Follower(Signup):
    """An address that follows a campaign (« Suivre cette campagne »): one email when the
    parties' answers are published, then at most one digest a day of their corrections."""

    confirm_purpose = FOLLOW_CONFIRM
    unsubscribe_purpose = FOLLOW_UNSUBSCRIBE
    confirm_url_name = "newsletter:follow_confirm"
    unsubscribe_url_name = "newsletter:follow_unsubscribe"

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name="campagne",
        on_delete=models.CASCADE,
        related_name="followers",
    )
    publication_sent_at = models.DateTimeField(
        "avis de publication envoyé le", null=True, blank=True, editable=False
    )
    digest_sent_at = models.DateTimeField(
        "dernier résumé des corrections le", null=True, blank=True, editable=False
    )
    # The corrections published up to this moment were told (by a digest, or by the
    # publication email that came after them): the next digest tells the later ones.
    corrections_told_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta(Signup.Meta):
        constraints = [
            models.UniqueConstraint(
                "campaign", Lower("email"), name="one_follow_per_campaign_and_address"
            )
        ]
        verbose_name = "personne qui suit une campagne"
        verbose_name_plural = "personnes qui suivent une campagne"

    def campaign_path(self):
        return reverse("campaigns:campaign", args=[self.campaign.slug])

    def told_since(self):
        """Since when the changes of the answers are still to be told (None: the answers
        are not public): after the last email that told them, else after the publication
        or the confirmation, whichever came last."""
        if self.corrections_told_until:
            return self.corrections_told_until
        since = self.campaign.public_since()
        if since is None or self.confirmed_at is None:
            return None
        return max(since, self.confirmed_at)

    @property
    def campaign_name(self):
        return self.campaign.name

    campaign_name.fget.short_description = "campagne"


def new_token():
    # Kept for migration 0001, which named it as the old token field's default.
    return new_key()
