"""Writing a party's answers.

Each write is one transaction; concurrent writes for the same party and questionnaire wait for
each other on a row lock, and nothing is half saved. Every write is kept as a version. What a
form sent (`Sent`) carries the revision it was based on: a save or submission from a stale tab
is refused (the view then shows both texts); a replayed post finds the version it already made
and changes nothing.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from wagtail.log_actions import get_active_log_context
from wagtail.models import ModelLogEntry

from .indexing import reindex_later
from .models import Response, ResponseVersion
from .reading import Reading
from .tasks import send_submission_emails, send_team_entry_email

# The same tab's automatic saves within this time replace each other in the history: a
# history of every keystroke would bury the versions that matter.
AUTOSAVE_WINDOW = timedelta(minutes=10)

SAVED, REPLAYED, CONFLICT = "saved", "replayed", "conflict"


@dataclass(frozen=True)
class Sent:
    """What a party's form sent: its answers (`campaigns.answers.Answer`), who answers, whether
    it submits, the version it was based on and the key of the tab that sent it."""

    answers: list = field(default_factory=list)
    respondent_name: str = ""
    submit: bool = False
    base_revision: int = 0
    client_key: str = ""


@dataclass
class Outcome:
    result: str
    response: Response
    version: ResponseVersion | None = None


def _locked_response(questionnaire, party):
    """The party's response, locked until the end of the transaction (created if it is the
    first save). One plain query: what the checks need is on the row itself (its revision,
    its number of submissions)."""
    locked = Response.objects.select_for_update().filter(
        questionnaire_id=questionnaire.pk, party_id=party.pk
    )
    try:
        response = locked.get()
    except Response.DoesNotExist:
        # The first save: another request may create it at the same moment; its row is the
        # one locked then.
        Response.objects.bulk_create(
            [Response(questionnaire=questionnaire, party=party)], ignore_conflicts=True
        )
        response = locked.get()
    # Already read by the caller: the log's label reads them without a query.
    response.questionnaire, response.party = questionnaire, party
    return response


def count_submissions():
    """Each response's `submission_count` counted again from its submitted versions, in one
    statement: after a deploy during which a server still ran the code of before the count
    (it saved submissions without counting them). The number of responses."""
    submitted = (
        ResponseVersion.objects.filter(response=OuterRef("pk"), kind=ResponseVersion.SUBMITTED)
        .values("response")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Response.objects.update(submission_count=Coalesce(Subquery(submitted), 0))


def _made_by_this_tab(response, sent):
    """The version this tab already made (a replayed post), or None. Only a post based on an
    older revision can be one: the version it made came after what it was based on, so a
    post based on the latest revision (every save but a stale or replayed one) needs no
    query."""
    if not sent.client_key or sent.base_revision == response.revision:
        return None
    return response.versions.filter(client_key=sent.client_key, autosave=False).first()


def entered_by_name(user):
    """How a team member who enters a party's answers is named in the version and the log."""
    return user.get_full_name().strip() or user.get_username()


def save_response(questionnaire, party, sent, autosave=False, base_url=None, entered_by=None):
    """Saves what a party `sent` (`Sent`) as a draft or a submission, unless it is stale or
    replayed.

    `base_url` is the address of the site the party used: its confirmation email links there.
    `entered_by` is the team member who enters the answers on the party's behalf, if any: the
    version, the log and the party's email say so.
    """
    client_key = sent.client_key
    with transaction.atomic():
        response = _locked_response(questionnaire, party)
        replayed = _made_by_this_tab(response, sent)
        if replayed is not None:
            return Outcome(REPLAYED, response, replayed)
        if sent.base_revision != response.revision and not _same_tab_autosave(
            response, client_key, sent.base_revision
        ):
            return Outcome(CONFLICT, response)

        answers = [answer.stored() for answer in sent.answers]
        name = sent.respondent_name.strip()
        submit = sent.submit and not autosave
        now = timezone.now()
        # Every version takes the next number, under the row lock: the response's revision is
        # always the number of its latest version.
        number = response.revision + 1
        # A replaced automatic save takes a new number too: another tab based on it is stale.
        version = _replaceable_autosave(response, client_key, now) if autosave else None
        version = version or ResponseVersion(response=response)
        version.number = number
        version.kind = ResponseVersion.SUBMITTED if submit else ResponseVersion.DRAFT
        version.autosave = autosave
        version.answers = answers
        version.respondent_name = name
        version.saved_at = now
        version.client_key = client_key
        version.entered_by = entered_by
        version.entered_by_name = entered_by_name(entered_by) if entered_by else ""
        if submit:
            version.submission_number = response.submission_count + 1
        version.save()

        response.answers = answers
        response.respondent_name = name
        response.revision = version.number
        if submit:
            response.status = Response.SUBMITTED
            response.submitted_answers = answers
            response.submitted_by = name
            response.submitted_at = now
            response.submission_count = version.submission_number
        else:
            response.status = Response.DRAFT
        response.save()

        entry = {"entered_by": version.entered_by_name} if entered_by else {}
        if submit:
            _log(
                response,
                "campaigns.submitted",
                user=entered_by,
                data={"respondent": name, "version": version.number, **entry},
            )
            # Queued in this same transaction: mail goes out only once the answers are
            # committed, and a failing mail server cannot undo them.
            send_submission_emails.enqueue(version.pk, base_url)
            if Reading(questionnaire.campaign, now=now).answers_readable:
                # A published answer stays shown under its correction: this only adds.
                reindex_later(questionnaire.campaign, live=True)
        elif not autosave:
            _log(
                response,
                "campaigns.draft_saved",
                user=entered_by,
                data={"version": version.number, **entry},
            )
            if entered_by:
                # The party learns of every draft the team enters for it, not only of
                # submissions (whose confirmation says who entered them).
                send_team_entry_email.enqueue(version.pk, base_url)
    return Outcome(SAVED, response, version)


def _log(response, action, user=None, data=None):
    """The entry of the response's history (« Historique », the site's history report) that
    Wagtail's `log()` writes, with the same fields, without its validation on save: a query
    to check that the content type exists, on the path of every party's submission. The
    action is one of the site's registered ones (campaigns/wagtail_hooks.py)."""
    context = get_active_log_context()
    ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=ContentType.objects.get_for_model(Response),
                object_id=str(response.pk),
                label=str(response),
                action=action,
                timestamp=timezone.now(),
                data=data or {},
                user=user or context.user,
                uuid=context.uuid,
            )
        ]
    )


def _replaceable_autosave(response, client_key, now):
    """The same tab's last automatic save, if recent and still the latest version."""
    latest = response.versions.order_by("-number").first()
    if (
        latest is not None
        and latest.autosave
        and client_key
        and latest.client_key == client_key
        and latest.number == response.revision
        and now - latest.saved_at < AUTOSAVE_WINDOW
    ):
        return latest
    return None


def _same_tab_autosave(response, client_key, base_revision):
    """A tab whose automatic save landed while its page was being posted is not stale: the
    newer version is its own text."""
    if not client_key:
        return False
    latest = response.versions.order_by("-number").first()
    return (
        latest is not None
        and latest.autosave
        and latest.client_key == client_key
        and latest.number == response.revision
        and base_revision < latest.number
    )
