from datetime import date, timedelta

from django.utils import timezone

from collectif.content.demo import read_demo_data

from .answers import Answer
from .models import Campaign, Invitation, Party, Question, Questionnaire, Response, ResponseVersion


def load():
    """The demo campaign, its fictional parties and their answers. An existing campaign (found
    by its slug) is left as the team made it. Returns the invitations, for their links."""
    data = read_demo_data("campaigns")
    parties = {
        party["short_name"]: Party.objects.get_or_create(
            name=party["name"], defaults={k: v for k, v in party.items() if k != "name"}
        )[0]
        for party in data["parties"]
    }
    spec = data["campaign"]
    campaign = Campaign.objects.filter(slug=spec["slug"]).first()
    if campaign is None:
        now = timezone.now()
        campaign = Campaign.objects.create(
            name=spec["name"],
            slug=spec["slug"],
            intro=spec["intro"],
            opens_at=now - timedelta(days=spec["opens_days_ago"]),
            closes_at=now + timedelta(days=spec["closes_in_days"]),
            results_published=spec["results_published"],
            published_at=now if spec["results_published"] else None,
        )
        for party in parties.values():
            Invitation.objects.create(campaign=campaign, party=party)
        for questionnaire in data["questionnaires"]:
            _load_questionnaire(campaign, questionnaire, parties)
    return list(campaign.invitations.select_related("party"))


def _load_questionnaire(campaign, data, parties):
    questionnaire = Questionnaire.objects.create(
        campaign=campaign, title=data["title"], intro=data["intro"]
    )
    questions = [
        Question.objects.create(
            questionnaire=questionnaire,
            sort_order=order,
            label=question["label"],
            text=question["text"],
            field_type="multiline",
            max_length=3000,
        )
        for order, question in enumerate(data["questions"])
    ]
    for response in data["responses"]:
        answers = [
            Answer(
                key=question.clean_name,
                title=question.label,
                question=question.text,
                kind=question.field_type,
                status=answer["status"],
                text=answer["answer"],
                explanation=answer.get("explanation", ""),
                pending_until=date.today() + timedelta(days=answer["pending_in_days"])
                if "pending_in_days" in answer
                else None,
            ).stored()
            for question, answer in zip(questions, response["answers"], strict=True)
        ]
        now = timezone.now()
        saved = Response.objects.create(
            questionnaire=questionnaire,
            party=parties[response["party"]],
            status=Response.SUBMITTED,
            answers=answers,
            respondent_name=response["respondent_name"],
            submitted_answers=answers,
            submitted_by=response["respondent_name"],
            submitted_at=now,
            revision=1,
            submission_count=1,
        )
        ResponseVersion.objects.create(
            response=saved,
            number=1,
            kind=ResponseVersion.SUBMITTED,
            submission_number=1,
            answers=answers,
            respondent_name=response["respondent_name"],
            saved_at=now,
            confirmation_sent_at=now,
            notification_sent_at=now,
        )
