"""`Reading`, what an audience may read of a campaign now, without a database: the embargo,
the version each audience reads, the public part of each answer and the status rule.

Mutation testing (make mutation MODULE=campaigns/reading.py
TESTS=tests/campaigns/test_reading.py): every mutant killed."""

import datetime
from types import SimpleNamespace

from django.test import SimpleTestCase
from django.utils import timezone

from campaigns.answers import ANSWERED, DECLINED, MISSING, Answer
from campaigns.reading import (
    CORRECTIONS_IN_DRAFT,
    DRAFT,
    INVITED,
    OPENED,
    PUBLIC,
    SUBMITTED,
    TEAM,
    Reading,
    public_part,
)
from campaigns.reading import (
    MISSING as NO_RESPONSE,
)

NOW = timezone.make_aware(datetime.datetime(2026, 12, 4, 12, 0))
QUESTION = SimpleNamespace(
    clean_name="q_places", label="Places", text="Combien de places?", field_type="multiline"
)


class Campaign:
    """A campaign whose answers become public at `public_from` (None: never)."""

    def __init__(self, public_from=None):
        self.public_from = public_from
        self.asked_at = []

    def results_are_public(self, now=None):
        self.asked_at.append(now)
        return self.public_from is not None and now >= self.public_from


class Response:
    def __init__(self, submitted=None, working=None, submitted_at=None, draft_after=False):
        self._submitted = submitted or {}
        self._working = working or {}
        self.submitted_at = submitted_at
        self.has_unsubmitted_changes = draft_after

    def submitted(self):
        return self._submitted

    def working_answers(self):
        return self._working


def answer(text, status=ANSWERED, explanation=""):
    return Answer(key="q_places", status=status, text=text, explanation=explanation)


SUBMITTED_RESPONSE = Response(
    submitted={"q_places": answer("Dix mille")},
    working={"q_places": answer("Vingt mille (brouillon)")},
    submitted_at=NOW,
)
DRAFT_RESPONSE = Response(working={"q_places": answer("Un brouillon")})


class EmbargoTests(SimpleTestCase):
    def test_the_public_reads_answers_only_once_they_are_public_at_the_time_asked(self):
        campaign = Campaign(public_from=NOW)
        self.assertFalse(
            Reading(campaign, PUBLIC, NOW - datetime.timedelta(seconds=1)).answers_readable
        )
        self.assertTrue(Reading(campaign, PUBLIC, NOW).answers_readable)
        self.assertEqual(campaign.asked_at[-1], NOW)

    def test_the_team_reads_them_always(self):
        self.assertTrue(Reading(Campaign(), TEAM, NOW).answers_readable)

    def test_without_a_time_it_is_now(self):
        campaign = Campaign(public_from=NOW)
        before = timezone.now()
        readable = Reading(campaign).answers_readable
        self.assertGreaterEqual(campaign.asked_at[-1], before)
        self.assertEqual(readable, campaign.asked_at[-1] >= NOW)

    def test_an_unknown_audience_is_refused(self):
        with self.assertRaisesMessage(ValueError, "'journalists'"):
            Reading(Campaign(), "journalists")

    def test_under_embargo_the_public_reads_nothing_even_of_a_submission(self):
        reading = Reading(Campaign(), PUBLIC, NOW)
        self.assertEqual(reading.answers(SUBMITTED_RESPONSE), {})
        self.assertEqual(reading.answer(QUESTION, SUBMITTED_RESPONSE).status, MISSING)


class VersionTests(SimpleTestCase):
    def setUp(self):
        self.public = Reading(Campaign(public_from=NOW), PUBLIC, NOW)
        self.team = Reading(Campaign(), TEAM, NOW)

    def test_the_public_reads_the_last_submission_never_the_draft_after_it(self):
        self.assertEqual(self.public.answer(QUESTION, SUBMITTED_RESPONSE).text, "Dix mille")

    def test_the_public_never_reads_a_draft(self):
        self.assertEqual(self.public.answers(DRAFT_RESPONSE), {})
        self.assertEqual(self.public.answers(None), {})

    def test_the_team_reads_the_draft_before_the_first_submission_then_the_submission(self):
        self.assertEqual(self.team.answer(QUESTION, DRAFT_RESPONSE).text, "Un brouillon")
        self.assertEqual(self.team.answer(QUESTION, SUBMITTED_RESPONSE).text, "Dix mille")
        self.assertEqual(self.team.answers(None), {})

    def test_answers_already_read_are_used_as_given(self):
        given = {"q_places": answer("Donnée")}
        self.assertEqual(self.public.answer(QUESTION, answers=given).text, "Donnée")
        self.assertEqual(self.public.answer(QUESTION, answers={}).status, MISSING)


class PublicPartTests(SimpleTestCase):
    def test_only_the_public_part_of_an_answer(self):
        declined = answer("texte tapé avant", status=DECLINED, explanation="aussi")
        part = public_part(QUESTION, {"q_places": declined})
        self.assertEqual((part.status, part.text, part.explanation), (DECLINED, "", ""))

    def test_an_absent_answer_is_missing_under_the_current_wording(self):
        part = public_part(QUESTION, {})
        self.assertEqual((part.status, part.question), (MISSING, "Combien de places?"))

    def test_the_emails_show_a_version_as_it_will_be_published(self):
        version = SimpleNamespace(
            answer_list=lambda: [answer("Oui"), answer("tapé", status=DECLINED)]
        )
        shown = Reading(Campaign(), TEAM, NOW).version_answers(version)
        self.assertEqual([(a.status, a.text) for a in shown], [(ANSWERED, "Oui"), (DECLINED, "")])


class StatusTests(SimpleTestCase):
    def test_what_the_public_knows(self):
        public = Reading(Campaign(public_from=NOW), PUBLIC, NOW)
        corrected = Response(submitted_at=NOW, draft_after=True)
        self.assertEqual(public.status(corrected), (SUBMITTED, "soumise"))
        self.assertEqual(public.status(DRAFT_RESPONSE), (NO_RESPONSE, "n’a pas répondu"))
        opened = SimpleNamespace(opened_at=NOW)
        self.assertEqual(public.status(None, opened), (NO_RESPONSE, "n’a pas répondu"))

    def test_what_the_team_knows(self):
        team = Reading(Campaign(), TEAM, NOW)
        corrected = Response(submitted_at=NOW, draft_after=True)
        self.assertEqual(team.status(corrected), (SUBMITTED, CORRECTIONS_IN_DRAFT))
        self.assertEqual(team.status(SUBMITTED_RESPONSE), (SUBMITTED, "soumise"))
        self.assertEqual(team.status(DRAFT_RESPONSE), (DRAFT, "brouillon"))
        opened, invited = SimpleNamespace(opened_at=NOW), SimpleNamespace(opened_at=None)
        self.assertEqual(team.status(None, opened), (OPENED, "lien ouvert"))
        self.assertEqual(team.status(None, invited), (INVITED, "invité"))
        self.assertEqual(team.status(None), (NO_RESPONSE, "n’a pas répondu"))
        # A draft is a draft whether or not the link was opened.
        self.assertEqual(team.status(DRAFT_RESPONSE, opened), (DRAFT, "brouillon"))
