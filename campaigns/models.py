import hashlib
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractFormField
from wagtail.fields import RichTextField
from wagtail.search import index

from collectif.blocks import RICH_TEXT_FEATURES


def new_token():
    return secrets.token_urlsafe(32)


def token_digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


class Party(models.Model):
    """A political party, or any organisation the Collectif questions; kept across campaigns."""

    name = models.CharField("nom", max_length=150, unique=True, help_text="150 caractères max.")
    short_name = models.CharField(
        "nom court", max_length=30, help_text="Sigle ou nom court, pour les tableaux. 30 max."
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="logo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    website = models.URLField("site web", blank=True)
    contact_name = models.CharField("personne-ressource", max_length=150, blank=True)
    contact_email = models.EmailField(
        "courriel de la personne-ressource",
        help_text="Le lien privé et les confirmations de réponse sont envoyés à cette adresse.",
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("short_name")]),
        FieldPanel("logo"),
        FieldPanel("website"),
        FieldRowPanel([FieldPanel("contact_name"), FieldPanel("contact_email")]),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = "parti"
        verbose_name_plural = "partis"

    def __str__(self):
        return self.name


class Campaign(ClusterableModel):
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
    results_published = models.BooleanField(
        "publier les réponses maintenant",
        default=False,
        help_text="Cochez pour publier les réponses soumises sans attendre la date.",
    )
    # Whether the search index holds the public answers (see campaigns/indexing.py).
    answers_indexed = models.BooleanField(default=False, editable=False)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldRowPanel([FieldPanel("publish_at"), FieldPanel("results_published")]),
            ],
            heading="Calendrier",
        ),
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
    search_fields = [index.SearchField("name")]

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = "campagne"
        verbose_name_plural = "campagnes"

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "La date limite doit suivre l’ouverture."})

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def has_not_opened(self, now=None):
        return (now or timezone.now()) < self.opens_at

    def results_are_public(self, now=None):
        now = now or timezone.now()
        return self.results_published or (self.publish_at is not None and now >= self.publish_at)


class Invitation(models.Model):
    """A party invited to a campaign, with the private token that makes its link."""

    campaign = ParentalKey(Campaign, related_name="invitations", on_delete=models.CASCADE)
    party = models.ForeignKey(
        Party, verbose_name="parti", related_name="invitations", on_delete=models.PROTECT
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField("ouverte le", null=True, blank=True, editable=False)
    emailed_at = models.DateTimeField("envoyée le", null=True, blank=True, editable=False)

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

    def save(self, *args, **kwargs):
        self.token_digest = token_digest(self.token)
        super().save(*args, **kwargs)

    def regenerate_token(self):
        """Revokes the current link: the old token stops working at once."""
        self.token = new_token()
        self.save(update_fields=["token", "token_digest"])

    @classmethod
    def for_token(cls, token):
        """The invitation of a token, or None. The lookup goes through a digest and the final
        comparison is in constant time, so response times tell nothing about valid tokens."""
        if not token or len(token) > 64:
            return None
        invitation = (
            cls.objects.select_related("campaign", "party")
            .filter(token_digest=token_digest(token))
            .first()
        )
        if invitation and secrets.compare_digest(invitation.token, token):
            return invitation
        return None

    @property
    def private_path(self):
        from django.urls import reverse

        return reverse("campaigns:party_home", args=[self.token])

    @property
    def private_url(self):
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + self.private_path


class Questionnaire(ClusterableModel):
    campaign = models.ForeignKey(
        Campaign,
        verbose_name="campagne",
        related_name="questionnaires",
        on_delete=models.PROTECT,
    )
    title = models.CharField(
        "titre", max_length=150, help_text="En général le nom du thème. 150 caractères max."
    )
    intro = models.TextField(
        "introduction",
        blank=True,
        help_text="Phrase placée avant les questions, vue du public et des partis.",
    )

    panels = [
        FieldPanel("campaign"),
        FieldPanel("title"),
        FieldPanel("intro"),
        HelpPanel(
            "Placez ce questionnaire dans une page thème de la boussole avec le bloc "
            "« Questionnaire de campagne »."
        ),
        InlinePanel("questions", label="Question", min_num=1),
    ]
    search_fields = [index.SearchField("title")]

    class Meta:
        ordering = ["campaign", "title"]
        verbose_name = "questionnaire"
        verbose_name_plural = "questionnaires"

    def __str__(self):
        return f"{self.title} ({self.campaign})"


class Question(AbstractFormField):
    KINDS = [
        ("multiline", "Texte long"),
        ("singleline", "Texte court"),
        ("yesno", "Oui / non / nuancé"),
        ("radio", "Choix unique"),
    ]

    questionnaire = ParentalKey(Questionnaire, related_name="questions", on_delete=models.CASCADE)
    text = models.TextField("question", help_text="Le texte complet de la question.")
    field_type = models.CharField(
        "type de réponse", max_length=16, choices=KINDS, default="multiline"
    )
    max_length = models.PositiveIntegerField(
        "limite de caractères",
        null=True,
        blank=True,
        default=3000,
        help_text="Nombre de caractères permis pour une réponse écrite. Vide : pas de limite.",
    )

    panels = [
        FieldPanel("label", heading="Titre court"),
        FieldPanel("text"),
        FieldPanel("help_text", heading="Aide pour les partis"),
        FieldRowPanel([FieldPanel("field_type"), FieldPanel("max_length")]),
        FieldPanel("choices", heading="Choix (un par ligne, pour « choix unique »)"),
        FieldPanel("required", heading="Réponse obligatoire à la soumission"),
    ]

    class Meta(AbstractFormField.Meta):
        verbose_name = "question"
        verbose_name_plural = "questions"

    def __str__(self):
        return self.label

    def get_field_clean_name(self):
        # The storage key of the answers: set once, never derived from the wording, so that
        # an editor may reword a question without orphaning the answers already given.
        return f"q_{uuid.uuid4().hex[:12]}"

    def clean(self):
        super().clean()
        if self.field_type == "radio" and not self.choices.strip():
            raise ValidationError({"choices": "Indiquez les choix, un par ligne."})


class Response(models.Model):
    """One party's answers to one questionnaire: the working copy, and the last submission
    that the public sees once the campaign publishes its answers."""

    DRAFT, SUBMITTED = "draft", "submitted"
    STATUSES = [(DRAFT, "brouillon"), (SUBMITTED, "soumise")]

    questionnaire = models.ForeignKey(
        Questionnaire, related_name="responses", on_delete=models.PROTECT
    )
    party = models.ForeignKey(Party, related_name="responses", on_delete=models.PROTECT)
    status = models.CharField("statut", max_length=10, choices=STATUSES, default=DRAFT)
    answers = models.JSONField("réponses en cours", default=list)
    respondent_name = models.CharField("répondant·e", max_length=150, blank=True)
    submitted_answers = models.JSONField("réponses soumises", default=list)
    submitted_by = models.CharField("soumise par", max_length=150, blank=True)
    submitted_at = models.DateTimeField("soumise le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "party"], name="one_response_per_party_and_questionnaire"
            )
        ]
        permissions = [("export_response", "Peut exporter les réponses")]
        verbose_name = "réponse"
        verbose_name_plural = "réponses"

    def __str__(self):
        return f"{self.party} — {self.questionnaire.title}"

    @cached_property
    def submitted_by_key(self):
        return {answer["key"]: answer for answer in self.submitted_answers}


class ResponseVersion(models.Model):
    """Every submission is kept, with who sent it and when."""

    response = models.ForeignKey(Response, related_name="versions", on_delete=models.CASCADE)
    number = models.PositiveIntegerField("version")
    answers = models.JSONField(default=list)
    respondent_name = models.CharField("répondant·e", max_length=150)
    submitted_at = models.DateTimeField("soumise le", default=timezone.now)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    notification_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "number"], name="one_version_number")
        ]
        ordering = ["-number"]
        verbose_name = "version soumise"
        verbose_name_plural = "versions soumises"

    def __str__(self):
        return f"{self.response} — version {self.number}"
