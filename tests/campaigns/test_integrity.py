import threading

from django.db import IntegrityError, connection, connections, transaction
from django.test import TestCase, TransactionTestCase

import pytest

from campaigns.models import Invitation, Response, ResponseVersion
from campaigns.submissions import CONFLICT
from tests.campaigns.factories import (
    InvitationFactory,
    PartyFactory,
    QuestionFactory,
    QuestionnaireFactory,
    save_answers,
)


class ConstraintTests(TestCase):
    def test_one_response_per_party_and_questionnaire_in_the_database(self):
        questionnaire = QuestionnaireFactory()
        party = PartyFactory()
        Response.objects.create(questionnaire=questionnaire, party=party)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Response.objects.create(questionnaire=questionnaire, party=party)

    def test_one_invitation_per_party_and_campaign(self):
        invitation = InvitationFactory()
        with self.assertRaises(IntegrityError), transaction.atomic():
            Invitation.objects.create(campaign=invitation.campaign, party=invitation.party)

    def test_tokens_are_long_unique_and_found_only_exactly(self):
        first, second = InvitationFactory(), InvitationFactory()
        self.assertGreaterEqual(len(first.token), 42)
        self.assertNotEqual(first.token, second.token)
        self.assertEqual(Invitation.for_token(first.token), first)
        self.assertIsNone(Invitation.for_token(first.token[:-1]))
        self.assertIsNone(Invitation.for_token(first.token.upper()))
        self.assertIsNone(Invitation.for_token("x" * 500))


def submit(questionnaire, questions, party, text):
    """A person who submits, and reloads the page to submit again when another writer was
    faster (its form is then stale): each write is based on the version it read."""
    for _ in range(50):
        outcome = save_answers(questionnaire, questions, party, **{questions[0].clean_name: text})
        if outcome.result != CONFLICT:
            return
    raise AssertionError("never got a turn")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks under concurrent writers need PostgreSQL (production's database)",
)
class ConcurrentSubmissionTests(TransactionTestCase):
    # Like every transactional test of the suite: the migrations' data (content types,
    # groups…) comes back from Django's copy, and the flush after it keeps the same ids.
    serialized_rollback = True

    def test_twenty_threads_lose_nothing_and_duplicate_nothing(self):
        questionnaire = QuestionnaireFactory()
        questions = [QuestionFactory(questionnaire=questionnaire) for _ in range(2)]
        parties = [PartyFactory() for _ in range(4)]
        errors = []
        barrier = threading.Barrier(20)

        def work(n):
            try:
                barrier.wait()
                submit(questionnaire, questions, parties[n % 4], f"réponse {n}")
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=work, args=(n,)) for n in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        self.assertEqual(errors, [])
        self.assertEqual(Response.objects.count(), 4)
        self.assertEqual(ResponseVersion.objects.count(), 20)
        for party in parties:
            response = Response.objects.get(party=party)
            numbers = sorted(response.versions.values_list("number", flat=True))
            self.assertEqual(numbers, [1, 2, 3, 4, 5])
            texts = {v.answers[0]["answer"] for v in response.versions.all()}
            self.assertEqual(len(texts), 5)
            # The current answers are those of the last version written.
            last = response.versions.order_by("-number").first()
            self.assertEqual(response.submitted_answers, last.answers)
