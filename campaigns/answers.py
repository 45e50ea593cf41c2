"""A party's answer to one question, and what of it is public.

This module is the one owner of that rule. The theme page, the exports, the open data, the
search index and its excerpts, the emails and the demo content all read answers through
`Answer` and publish only what `Answer.public()` keeps:

- an answered question shows its text and its explanation;
- a declined question, or an answer to come, shows its status (and the announced date), never
  the text or explanation typed before the choice;
- the name of the person who answered for the party is never part of an answer.
"""

import datetime
from dataclasses import dataclass, replace

from django.utils import timezone
from django.utils.formats import date_format

ANSWERED, DECLINED, PENDING, MISSING = "answered", "declined", "pending", "missing"

# What the party chooses for each question, in the words of its form.
PARTY_CHOICES = [
    (ANSWERED, "Nous répondons"),
    (DECLINED, "Nous déclinons cette question"),
    (PENDING, "Réponse à venir"),
]

# What the public and the team read of each status.
STATUS_LABELS = {
    ANSWERED: "a répondu",
    DECLINED: "a décliné",
    PENDING: "réponse à venir",
    MISSING: "n’a pas répondu",
}

TEXT_KINDS = ("multiline", "singleline")
CHOICE_KINDS = ("yesno", "radio")
YES_NO_CHOICES = ["Oui", "Non", "Nuancé"]


def french_date(value):
    """« 5 décembre 2026 »: the format of every date a person reads."""
    return date_format(value, "j F Y") if value else ""


def french_datetime(value):
    """« 5 décembre 2026 à 17 h 00 », in the site's time zone."""
    return date_format(timezone.localtime(value), r"j F Y à H \h i") if value else ""


@dataclass(frozen=True)
class Answer:
    """One answer, with a snapshot of the question as the party read it.

    Stored as a dict in a response's JSON (`stored()` / `from_stored()`): editing a question
    later never changes what a party answered, nor the wording shown beside it."""

    key: str
    title: str = ""
    question: str = ""
    kind: str = "multiline"
    status: str = ANSWERED
    text: str = ""
    explanation: str = ""
    pending_until: datetime.date | None = None

    @classmethod
    def from_stored(cls, data):
        pending = data.get("pending_until")
        return cls(
            key=data["key"],
            title=data.get("title", ""),
            question=data.get("question", ""),
            kind=data.get("kind", "multiline"),
            status=data.get("status") or ANSWERED,
            # "answer" is the stored name of the text, kept from the first version.
            text=data.get("answer") or "",
            explanation=data.get("explanation") or "",
            pending_until=datetime.date.fromisoformat(pending) if pending else None,
        )

    @classmethod
    def missing(cls, question):
        """The place of an answer a party never gave, under the question's current wording."""
        return cls(
            key=question.clean_name,
            title=question.label,
            question=question.text,
            kind=question.field_type,
            status=MISSING,
        )

    def stored(self):
        return {
            "key": self.key,
            "title": self.title,
            "question": self.question,
            "kind": self.kind,
            "status": self.status,
            "answer": self.text,
            "explanation": self.explanation,
            "pending_until": self.pending_until.isoformat() if self.pending_until else None,
        }

    def public(self):
        """What anyone may read of this answer."""
        if self.status == ANSWERED and (self.text.strip() or self.explanation.strip()):
            return self
        status = MISSING if self.status == ANSWERED else self.status
        pending = self.pending_until if status == PENDING else None
        return replace(self, status=status, text="", explanation="", pending_until=pending)

    @property
    def is_answered(self):
        return self.status == ANSWERED

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def choice_label(self):
        """The party's own words for what it chose (« Nous déclinons cette question »)."""
        return dict(PARTY_CHOICES).get(self.status, STATUS_LABELS.get(self.status, ""))

    @property
    def pending_label(self):
        """« réponse à venir (d’ici le 5 décembre 2026) »"""
        if self.pending_until:
            return f"{STATUS_LABELS[PENDING]} (d’ici le {french_date(self.pending_until)})"
        return STATUS_LABELS[PENDING]

    @property
    def summary(self):
        """The answer in one cell: its text, or what the party did instead."""
        if self.status == ANSWERED:
            return self.text
        if self.status == PENDING:
            return self.pending_label
        return self.status_label

    def plain_text(self):
        """The answer as plain text, for the search index, emails and spreadsheets' readers."""
        if self.status == ANSWERED and self.explanation:
            return f"{self.text}\n{self.explanation}".strip()
        return self.summary

    def differs_from(self, question):
        """Whether the party answered another wording than the question's current one."""
        return bool(self.question) and self.question.strip() != question.text.strip()


def answers_by_key(stored_answers):
    return {data["key"]: Answer.from_stored(data) for data in stored_answers or []}
