"""Campaigns and their invitations (with the private links and each party's deadline)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    TitleFieldPanel,
)
from wagtail.admin.widgets.slug import SlugInput
from wagtail.fields import RichTextField
from wagtail.search import index

from collectif.content.blocks import RICH_TEXT_FEATURES
from collectif.content.links import absolute_url
from collectif.team.widgets import FrenchDateTimeInput

from .. import licences, tokens
from ..admin_forms import CampaignForm
from ..search_text import questionnaires_search_text

MAX_REMINDER_DAYS = 60


def parse_reminder_offsets(value):
    """« 7, 2 » → [7, 2]: the days before the deadline, largest first; ValueError otherwise."""
    days = set()
    for part in (value or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise ValueError(part)
        days.add(int(part))
    return sorted(days, reverse=True)


def validate_reminder_offsets(value):
    try:
        days = parse_reminder_offsets(value)
    except ValueError:
        raise ValidationError(
            "Indiquez des nombres entiers de jours séparés par des virgules, par exemple « 7, 2 »."
        ) from None
    if any(not 1 <= day <= MAX_REMINDER_DAYS for day in days):
        raise ValidationError(
            f"Chaque rappel doit avoir lieu de 1 à {MAX_REMINDER_DAYS} jours avant la date limite."
        )


class NamePanel(TitleFieldPanel):
    """The campaign's name fills its slug as a page's title does, while the campaign is new: a
    saved campaign keeps its address (its open data are linked from elsewhere)."""

    class BoundPanel(TitleFieldPanel.BoundPanel):
        def get_should_apply(self):
            return not (self.instance and self.instance.pk)


class Campaign(index.Indexed, ClusterableModel):
    name = models.CharField("nom", max_length=150, help_text="Par exemple « Élections 2026 ».")
    slug = models.SlugField(
        "identifiant d’adresse",
        unique=True,
        help_text="Utilisé dans l’adresse des données ouvertes : lettres, chiffres et tirets.",
    )
    intro = RichTextField(
        "introduction",
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text="Présente la campagne aux partis, sur leur page d’accueil privée.",
    )
    opens_at = models.DateTimeField(
        "ouverture", help_text="À partir de ce moment, les partis peuvent répondre."
    )
    closes_at = models.DateTimeField(
        "date limite", help_text="Après ce moment, les réponses ne peuvent plus être modifiées."
    )
    publish_at = models.DateTimeField(
        "publication des réponses",
        null=True,
        blank=True,
        help_text="Embargo : les réponses deviennent publiques à ce moment. Vide : pas de date.",
    )
    # Set by « Publier les réponses » on the campaign's board, after a confirmation: never a
    # checkbox that a save could tick by accident while parties are still writing.
    results_published = models.BooleanField("réponses publiées", default=False, editable=False)
    published_at = models.DateTimeField("publiées le", null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="publiées par",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Whether the search index holds the public answers (see campaigns/indexing.py).
    answers_indexed = models.BooleanField(default=False, editable=False)
    reminder_offsets = models.CharField(
        "rappels (jours avant la date limite)",
        max_length=50,
        blank=True,
        validators=[validate_reminder_offsets],
        help_text="Nombres de jours avant la date limite, séparés par des virgules, par exemple "
        "« 7, 2 ». Chaque parti qui n’a pas soumis tous ses questionnaires reçoit alors un "
        "courriel de rappel avec son lien privé. Vide : aucun rappel.",
    )
    licence = models.CharField(
        "licence des données ouvertes",
        max_length=20,
        choices=licences.CHOICES,
        default=licences.CC_BY,
        help_text="Les conditions de réutilisation des réponses publiées (fichiers CSV, JSON et "
        "paquet de données). CC BY 4.0 : chacun peut les reprendre en citant le Collectif.",
    )

    panels = [
        FieldRowPanel(
            [
                NamePanel("name", classname="", placeholder=False),
                FieldPanel("slug", widget=SlugInput),
            ]
        ),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("opens_at", widget=FrenchDateTimeInput),
                        FieldPanel("closes_at", widget=FrenchDateTimeInput),
                    ]
                ),
                FieldPanel("publish_at", widget=FrenchDateTimeInput),
                FieldPanel("reminder_offsets"),
            ],
            heading="Calendrier",
        ),
        FieldPanel("licence"),
        MultiFieldPanel(
            [
                HelpPanel(
                    "Chaque parti invité reçoit un lien privé. Le tableau de bord de la campagne "
                    "permet de copier, d’envoyer ou de renouveler ce lien."
                ),
                InlinePanel("invitations", label="Parti invité"),
            ],
            heading="Partis invités",
        ),
    ]
    base_form_class = CampaignForm
    search_fields = [index.SearchField("name"), index.SearchField("public_text")]

    class Meta:
        ordering = ["-opens_at"]
        permissions = [("publish_campaign", "Peut publier les réponses d’une campagne")]
        verbose_name = "campagne"
        verbose_name_plural = "campagnes"

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "La date limite doit suivre l’ouverture."})
        if self.publish_at and self.closes_at and self.publish_at < self.closes_at:
            raise ValidationError(
                {
                    "publish_at": "La publication programmée doit suivre la date limite. Pour "
                    "publier plus tôt, utilisez « Publier les réponses » dans le tableau de bord "
                    "de la campagne : il nomme les partis qui peuvent encore modifier leurs "
                    "réponses."
                }
            )

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def has_not_opened(self, now=None):
        return (now or timezone.now()) < self.opens_at

    def reminder_days(self):
        """The reminder offsets, in days before a party's deadline, largest first."""
        try:
            return parse_reminder_offsets(self.reminder_offsets)
        except ValueError:
            return []

    def results_are_public(self, now=None):
        """The embargo: whether the answers are public at `now`. What each audience may read
        of them is `campaigns.reading.Reading`'s rule."""
        return self.public_since(now) is not None

    def public_text(self):
        """What the search finds a campaign page by: its questionnaires and questions, and the
        names of the parties once their answers are public."""
        return questionnaires_search_text(self.questionnaires.prefetch_related("questions"))

    def public_since(self, now=None):
        """Since when the answers are public (None: not public)."""
        if self.results_published:
            return self.published_at or self.opens_at
        if self.publish_at is not None and (now or timezone.now()) >= self.publish_at:
            return self.publish_at
        return None

    @transaction.atomic
    def copy(self, *, name, slug, opens_at, closes_at, publish_at=None):
        """The same exercise for the next election: a new campaign with this one's
        introduction, reminder offsets, open-data licence, invited parties, questionnaires and
        questions, under a new name, slug and dates. Nothing of the parties' side is copied
        (responses, versions, links opened or sent, extended deadlines, reminders, log): each
        invitation gets a new private link. The copy's questions get new answer keys."""
        copy = Campaign.objects.create(
            name=name,
            slug=slug,
            intro=self.intro,
            opens_at=opens_at,
            closes_at=closes_at,
            publish_at=publish_at,
            reminder_offsets=self.reminder_offsets,
            licence=self.licence,
        )
        Invitation.objects.bulk_create(
            Invitation(campaign=copy, party_id=party_id)
            for party_id in self.invitations.values_list("party_id", flat=True)
        )
        for questionnaire in self.questionnaires.prefetch_related("questions"):
            questions = list(questionnaire.questions.all())
            questionnaire.pk = None
            questionnaire.campaign = copy
            questionnaire.save()
            for question in questions:
                question.pk = None
                question.questionnaire = questionnaire
                question.clean_name = ""
                question.reworded_at = None
                question.save()
        return copy

    def publish_results(self, user):
        """Publishes the submitted answers now; the board asks for a confirmation first."""
        self.results_published = True
        self.published_at = timezone.now()
        self.published_by = user
        self.save(update_fields=["results_published", "published_at", "published_by"])


class Invitation(models.Model):
    """A party invited to a campaign. Its private link is derived from a secret (see
    campaigns/tokens.py): nothing stored here opens it."""

    campaign = ParentalKey(Campaign, related_name="invitations", on_delete=models.CASCADE)
    party = models.ForeignKey(
        "campaigns.Party",
        verbose_name="parti",
        related_name="invitations",
        on_delete=models.PROTECT,
    )
    # Bumped to renew the link: the previous one stops working at once.
    generation = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField("ouverte le", null=True, blank=True, editable=False)
    emailed_at = models.DateTimeField("envoyée le", null=True, blank=True, editable=False)
    # « Prolonger pour ce parti », from the campaign's board; read it through `closes_at`.
    deadline = models.DateTimeField("date limite prolongée", null=True, blank=True, editable=False)

    panels = [FieldPanel("party")]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "party"], name="one_invitation_per_party")
        ]
        ordering = ["party__name"]
        verbose_name = "invitation"
        verbose_name_plural = "invitations"

    def __str__(self):
        return f"{self.party} — {self.campaign}"

    @property
    def closes_at(self):
        """This party's deadline: the campaign's, or later if extended for this party. Its
        pages, its autosave, its reminders, the board and the publication all ask here."""
        if self.deadline and self.deadline > self.campaign.closes_at:
            return self.deadline
        return self.campaign.closes_at

    @property
    def is_extended(self):
        return self.closes_at != self.campaign.closes_at

    def is_open(self, now=None):
        """Whether this party may still save and submit its answers."""
        now = now or timezone.now()
        return self.campaign.opens_at <= now < self.closes_at

    def renew_link(self):
        """Revokes the current link: the old one answers 404 from now on."""
        self.generation += 1
        self.opened_at = None
        self.save(update_fields=["generation", "opened_at"])

    @classmethod
    def for_token(cls, token):
        """The invitation a private link opens, or None (unknown, forged or renewed)."""
        pk = tokens.parse_token(token)
        if pk is None:
            return None
        try:
            # get(), not first(): no ordering to compile for one row (election night).
            invitation = cls.objects.select_related("campaign", "party").get(pk=pk)
        except cls.DoesNotExist:
            return None
        if not tokens.check_token(invitation, token):
            return None
        return invitation

    @property
    def token(self):
        return tokens.make_token(self)

    @property
    def private_path(self):
        return reverse("campaigns:party_home", args=[self.token])

    def questionnaire_path(self, questionnaire):
        return reverse("campaigns:answer", args=[self.token, questionnaire.pk])

    def private_url(self, request=None, base=None):
        """The link a person receives: on the address of the request (or `base`)."""
        return absolute_url(self.private_path, request=request, base=base)
