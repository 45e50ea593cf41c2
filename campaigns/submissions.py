"""Writing a party's answers: each write is one transaction, concurrent writes for the same
party and questionnaire wait for each other on a row lock, and nothing is half saved."""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from .forms import ResponseForm
from .models import Response, ResponseVersion
from .tasks import send_submission_emails


def _locked_response(questionnaire, party):
    try:
        with transaction.atomic():
            Response.objects.get_or_create(questionnaire=questionnaire, party=party)
    except IntegrityError:
        pass  # another request created it first: its row is what we lock below
    return Response.objects.select_for_update().get(questionnaire=questionnaire, party=party)


def save_response(questionnaire, party, form):
    """Saves a valid ResponseForm: a draft, or a submission with its version and emails."""
    with transaction.atomic():
        response = _locked_response(questionnaire, party)
        response.answers = form.answers()
        response.respondent_name = form.cleaned_data.get("respondent_name", "").strip()
        if form.action == ResponseForm.SUBMIT:
            now = timezone.now()
            number = (response.versions.aggregate(last=Max("number"))["last"] or 0) + 1
            version = ResponseVersion.objects.create(
                response=response,
                number=number,
                answers=response.answers,
                respondent_name=response.respondent_name,
                submitted_at=now,
            )
            response.status = Response.SUBMITTED
            response.submitted_answers = response.answers
            response.submitted_by = response.respondent_name
            response.submitted_at = now
            # The task is queued in this same transaction: mail goes out only once the
            # answers are committed, and a failing mail server cannot undo them.
            send_submission_emails.enqueue(version.pk)
        else:
            response.status = Response.DRAFT
        response.save()
    return response
