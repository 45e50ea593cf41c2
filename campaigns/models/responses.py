"""A party's responses and every version of them."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..answers import Answer, answers_by_key


class Response(models.Model):
    """One party's answers to one questionnaire: the working copy, and the last submission
    that the public sees once the campaign publishes its answers. Every save is also kept as
    a ResponseVersion."""

    # A response references nothing a page or snippet shows: Wagtail's reference index (the
    # « Utilisation » of a snippet) leaves it out, and a submission costs no index update.
    wagtail_reference_index_ignore = True

    DRAFT, SUBMITTED = "draft", "submitted"
    STATUSES = [(DRAFT, "brouillon"), (SUBMITTED, "soumise")]

    questionnaire = models.ForeignKey(
        "campaigns.Questionnaire",
        verbose_name="questionnaire",
        related_name="responses",
        on_delete=models.PROTECT,
    )
    party = models.ForeignKey(
        "campaigns.Party",
        verbose_name="parti",
        related_name="responses",
        on_delete=models.PROTECT,
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
    # How many of its versions are submissions: the next one's number, without counting them
    # (kept by campaigns/submissions.py under the row's lock; `manage.py count_submissions`
    # counts them again). A default in the database too: a server still running the code
    # of before the column, during a deploy, can still create a response.
    submission_count = models.PositiveIntegerField("soumissions", default=0, db_default=0)
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

    wagtail_reference_index_ignore = True

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
    # A version a team member entered on the party's behalf (a party that answered by phone):
    # the account, and its name as it was, kept if the account is deleted later.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="saisie par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_by_name = models.CharField("saisie par (nom)", max_length=150, blank=True)
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

    @property
    def entered_by_team(self):
        return bool(self.entered_by_name)
