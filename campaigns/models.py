import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractFormField
from wagtail.fields import RichTextField
from wagtail.search import index

from collectif.blocks import RICH_TEXT_FEATURES
from collectif.links import absolute_url

from . import tokens
from .admin_forms import CampaignForm, QuestionnaireForm
from .answers import Answer, answers_by_key
from .search_text import questionnaires_search_text


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

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("publish_at"),
                FieldPanel("reminder_offsets"),
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
        now = now or timezone.now()
        return self.results_published or (self.publish_at is not None and now >= self.publish_at)

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
        Party, verbose_name="parti", related_name="invitations", on_delete=models.PROTECT
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
        invitation = cls.objects.select_related("campaign", "party").filter(pk=pk).first()
        if invitation is None or not tokens.check_token(invitation, token):
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
        FieldPanel("confirm_rewording"),
    ]
    base_form_class = QuestionnaireForm
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
    choices = models.TextField(
        "choix",
        blank=True,
        help_text="Pour « Choix unique » seulement : un choix par ligne.",
    )
    explanation_max_length = models.PositiveIntegerField(
        "limite de l’explication",
        default=1000,
        help_text="Chaque réponse peut être accompagnée d’une explication facultative, publiée "
        "à côté du choix. Nombre de caractères permis.",
    )
    commentary = RichTextField(
        "la lecture du Collectif",
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text="Facultatif. Un court commentaire du Collectif, affiché après les réponses "
        "publiées à cette question, clairement comme ses mots. Ajoutez des liens vers les "
        "mesures de la plateforme qui s’y rattachent.",
    )
    # When the wording last changed after parties had answered: the public table says so.
    reworded_at = models.DateTimeField("reformulée le", null=True, blank=True, editable=False)

    panels = [
        FieldPanel("label", heading="Titre court"),
        FieldPanel("text"),
        FieldPanel("help_text", heading="Aide pour les partis"),
        FieldRowPanel(
            [
                FieldPanel("field_type"),
                FieldPanel("max_length"),
                FieldPanel("explanation_max_length"),
            ]
        ),
        FieldPanel("choices"),
        FieldPanel("required", heading="Réponse obligatoire à la soumission"),
        FieldPanel("commentary"),
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

    def save(self, *args, **kwargs):
        if self.pk and self.questionnaire_id:
            before = Question.objects.filter(pk=self.pk).values_list("text", flat=True).first()
            answered = Response.objects.filter(
                questionnaire_id=self.questionnaire_id, submitted_at__isnull=False
            ).exists()
            if before is not None and before.strip() != self.text.strip() and answered:
                self.reworded_at = timezone.now()
        super().save(*args, **kwargs)

    def choice_list(self):
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class Response(models.Model):
    """One party's answers to one questionnaire: the working copy, and the last submission
    that the public sees once the campaign publishes its answers. Every save is also kept as
    a ResponseVersion."""

    DRAFT, SUBMITTED = "draft", "submitted"
    STATUSES = [(DRAFT, "brouillon"), (SUBMITTED, "soumise")]

    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name="questionnaire",
        related_name="responses",
        on_delete=models.PROTECT,
    )
    party = models.ForeignKey(
        Party, verbose_name="parti", related_name="responses", on_delete=models.PROTECT
    )
    status = models.CharField("statut", max_length=10, choices=STATUSES, default=DRAFT)
    answers = models.JSONField("réponses en cours", default=list)
    respondent_name = models.CharField("répondant·e", max_length=150, blank=True)
    submitted_answers = models.JSONField("réponses soumises", default=list)
    submitted_by = models.CharField("soumise par", max_length=150, blank=True)
    submitted_at = models.DateTimeField("soumise le", null=True, blank=True)
    # The number of the last saved version: a form carries the revision it was based on, so
    # that a save from a stale tab is refused instead of replacing newer text.
    revision = models.PositiveIntegerField("version", default=0)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
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

    def working_answers(self):
        """{question key: Answer} of the working copy (a draft, or the last submission)."""
        return answers_by_key(self.answers)

    def submitted(self):
        """{question key: Answer} of the last submission: what the public may see of it."""
        return answers_by_key(self.submitted_answers) if self.submitted_at else {}

    @property
    def has_unsubmitted_changes(self):
        return self.submitted_at is not None and self.status == self.DRAFT


class ResponseVersion(models.Model):
    """Every save of a response, draft or submission, with who sent it and when: nothing a
    party typed is replaced without a trace."""

    DRAFT, SUBMITTED = "draft", "submitted"
    KINDS = [(DRAFT, "brouillon"), (SUBMITTED, "soumission")]

    response = models.ForeignKey(Response, related_name="versions", on_delete=models.CASCADE)
    number = models.PositiveIntegerField("version")
    kind = models.CharField("type", max_length=10, choices=KINDS, default=SUBMITTED)
    # Saved while the party typed (replaced by the same tab's next automatic save).
    autosave = models.BooleanField("enregistrement automatique", default=False)
    # 1, 2, 3… for submissions only: the numbers the party and the team talk about.
    submission_number = models.PositiveIntegerField("soumission", null=True, blank=True)
    answers = models.JSONField(default=list)
    respondent_name = models.CharField("répondant·e", max_length=150, blank=True)
    saved_at = models.DateTimeField("enregistrée le", default=timezone.now)
    # The key of the form post that made this version: a replayed post finds it, and changes
    # nothing.
    client_key = models.CharField(max_length=64, blank=True, editable=False)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    notification_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "number"], name="one_version_number")
        ]
        indexes = [models.Index(fields=["response", "client_key"], name="version_client_key")]
        ordering = ["-number"]
        verbose_name = "version"
        verbose_name_plural = "versions"

    def __str__(self):
        return f"{self.response} — version {self.number}"

    def answer_list(self):
        return [Answer.from_stored(data) for data in self.answers]

    @property
    def is_submission(self):
        return self.kind == self.SUBMITTED


class Reminder(models.Model):
    """One reminder email to one party, `days_before` its deadline as it stood when planned.

    Unique per (invitation, offset, deadline): saving the campaign again plans nothing twice,
    and a task that runs twice finds `sent_at` set. A changed deadline or offset plans new
    rows; the old ones are skipped, with the reason."""

    invitation = models.ForeignKey(Invitation, related_name="reminders", on_delete=models.CASCADE)
    days_before = models.PositiveSmallIntegerField("jours avant la date limite")
    deadline = models.DateTimeField("date limite visée")
    send_at = models.DateTimeField("prévu le")
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    skipped_at = models.DateTimeField("annulé le", null=True, blank=True)
    skip_reason = models.CharField("raison de l’annulation", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "days_before", "deadline"], name="one_reminder_per_offset"
            )
        ]
        ordering = ["send_at"]
        verbose_name = "rappel"
        verbose_name_plural = "rappels"

    def __str__(self):
        return f"{self.invitation} — {self.days_before} j"

    @staticmethod
    def time_for(deadline, days_before):
        return deadline - timedelta(days=days_before)
