from datetime import timedelta

from django.utils import timezone

import factory
from factory.django import DjangoModelFactory

from campaigns.models import Campaign, Invitation, Party, Question, Questionnaire


class PartyFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Parti fictif {n}")
    short_name = factory.Sequence(lambda n: f"PF{n}")
    contact_email = factory.Sequence(lambda n: f"contact{n}@parti.example")

    class Meta:
        model = Party


class CampaignFactory(DjangoModelFactory):
    """An open campaign, whose answers are not public yet."""

    name = "Élections québécoises 2026"
    slug = factory.Sequence(lambda n: f"elections-{n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))

    class Meta:
        model = Campaign


class InvitationFactory(DjangoModelFactory):
    campaign = factory.SubFactory(CampaignFactory)
    party = factory.SubFactory(PartyFactory)

    class Meta:
        model = Invitation


class QuestionnaireFactory(DjangoModelFactory):
    campaign = factory.SubFactory(CampaignFactory)
    title = "Agir ensemble"
    intro = "Le Collectif souhaite entendre les formations politiques."

    class Meta:
        model = Questionnaire


class QuestionFactory(DjangoModelFactory):
    questionnaire = factory.SubFactory(QuestionnaireFactory)
    sort_order = factory.Sequence(int)
    label = factory.Sequence(lambda n: f"Question courte {n}")
    text = factory.Sequence(lambda n: f"Texte complet de la question {n}?")
    field_type = "multiline"
    max_length = 3000

    class Meta:
        model = Question


def place_questionnaire(theme, questionnaire):
    """Puts the questionnaire in the theme page's body, as an editor would, and publishes."""
    theme.body = [
        {
            "type": "questionnaire",
            "value": {
                "questionnaire": questionnaire.pk,
                "parties_heading": "Pour les partis politiques :",
                "parties_text": "<p>Chaque parti reçoit un lien privé.</p>",
            },
        }
    ]
    theme.save_revision().publish()
    theme.refresh_from_db()
    return theme


def campaign_on_theme(theme, parties=2, questions=3, **campaign_fields):
    campaign = CampaignFactory(**campaign_fields)
    questionnaire = QuestionnaireFactory(campaign=campaign)
    question_objs = [QuestionFactory(questionnaire=questionnaire) for _ in range(questions)]
    invitations = [InvitationFactory(campaign=campaign) for _ in range(parties)]
    place_questionnaire(theme, questionnaire)
    return campaign, questionnaire, question_objs, invitations


def answer_data(questions, action="save", name="Camille Fictive", **overrides):
    """The POST data of a party's form: every question answered unless overridden."""
    data = {
        "action": action,
        "respondent_name": name,
        "questionnaire": questions[0].questionnaire_id,
    }
    for n, question in enumerate(questions, start=1):
        key = question.clean_name
        data[key] = f"Réponse {n}"
        data[f"{key}__status"] = "answered"
        data[f"{key}__pending_until"] = ""
    data.update(overrides)
    return data


class CampaignOnThemeTestData:
    """setUpTestData for tests of one open campaign placed on a published theme page."""

    parties = 2
    campaign_fields = {}

    @classmethod
    def setUpTestData(cls):
        from tests.home.factories import build_site_tree

        cls.theme = build_site_tree()["themes"][0]
        cls.campaign, cls.questionnaire, cls.questions, cls.invitations = campaign_on_theme(
            cls.theme, parties=cls.parties, **cls.campaign_fields
        )
