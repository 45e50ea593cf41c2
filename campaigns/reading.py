"""What an audience may read of a campaign now: the one entry point.

Every output asks it (`Reading(campaign, audience)`): the theme page and the campaign page,
the comparison, the open data, the search index, the feeds, the emails, the team's board and
its exports. Three rules meet here, each written once:

- when: the public reads a campaign's answers only once they are public, by the team's click
  or by the clock (`Campaign.results_are_public`, the embargo); the team reads them always;
- which version: the public reads a party's last submission, never a draft; the team reads
  the draft before the first submission, the last submission after it;
- what of an answer: its public part only (`Answer.public`): never a text typed before the
  party declined, never who answered for the party;

and the status of a party's response, as each audience may know it.
"""

import copy

from django.utils import timezone
from django.utils.functional import cached_property

from .answers import Answer

PUBLIC, TEAM = "public", "team"

SUBMITTED, DRAFT, OPENED, INVITED, MISSING = "submitted", "draft", "opened", "invited", "missing"

STATUS_LABELS = {
    SUBMITTED: "soumise",
    DRAFT: "brouillon",
    OPENED: "lien ouvert",
    INVITED: "invité",
    MISSING: "n’a pas répondu",
}
CORRECTIONS_IN_DRAFT = "soumise, corrections en brouillon"


def public_part(question, answers):
    """The public part of a party's answer to a question among `answers` ({key: Answer}), or
    the place of an answer it never gave."""
    answer = answers.get(question.clean_name)
    return (answer or Answer.missing(question)).public()


class Reading:
    """What `audience` (PUBLIC or TEAM) may read of `campaign` at `now`."""

    def __init__(self, campaign, audience=PUBLIC, now=None):
        if audience not in (PUBLIC, TEAM):
            raise ValueError(f"Unknown audience: {audience!r}")
        self.campaign = campaign
        self.audience = audience
        self.now = now or timezone.now()

    @cached_property
    def answers_readable(self):
        """Whether this audience may read the parties' answers at all."""
        return self.audience == TEAM or self.campaign.results_are_public(self.now)

    def answers(self, response):
        """{key: Answer} of the version of `response` this audience reads (empty when it may
        read none of it)."""
        if response is None or not self.answers_readable:
            return {}
        if response.submitted_at:
            return response.submitted()
        return response.working_answers() if self.audience == TEAM else {}

    def answer(self, question, response=None, answers=None):
        """The public part of the answer to `question`, from `response` or from `answers`
        already read."""
        return public_part(question, self.answers(response) if answers is None else answers)

    def status(self, response, invitation=None):
        """(code, label) of a party's response, or of its absence. The team also knows a
        draft, corrections waiting in draft and, given the invitation, whether the party
        opened its link; the public only whether the party submitted."""
        if response is not None and response.submitted_at:
            if self.audience == TEAM and response.has_unsubmitted_changes:
                return SUBMITTED, CORRECTIONS_IN_DRAFT
            return SUBMITTED, STATUS_LABELS[SUBMITTED]
        if self.audience == TEAM:
            if response is not None:
                return DRAFT, STATUS_LABELS[DRAFT]
            if invitation is not None:
                code = OPENED if invitation.opened_at else INVITED
                return code, STATUS_LABELS[code]
        return MISSING, STATUS_LABELS[MISSING]

    def version_answers(self, version):
        """The answers of one saved version as the public would read them once published:
        what the emails about that version show."""
        return [answer.public() for answer in version.answer_list()]


def calendar_only(campaign):
    """A copy of `campaign` without what was read with it (its invitations), for keeping
    beside a render's key."""
    kept = copy.copy(campaign)
    kept._prefetched_objects_cache = {}
    return kept


def calendar_state(campaign, now=None):
    """What of a campaign's public face changes with the clock alone: not yet open, open,
    answers public. A render reused for a campaign is reused only in the same state."""
    now = now or timezone.now()
    return (
        f"{campaign.pk}:{int(campaign.has_not_opened(now))}{int(campaign.is_open(now))}"
        f"{int(Reading(campaign, PUBLIC, now).answers_readable)}"
    )
