import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from wagtail.models import ReferenceIndex

import factory
from factory.django import DjangoModelFactory

from campaigns.models import Campaign, Invitation, Party, Question, Questionnaire, Response


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
    # What Wagtail's task worker does after a save: record the page's references.
    ReferenceIndex.create_or_update_for_object(theme)
    return theme


def campaign_on_theme(theme, parties=2, questions=3, **campaign_fields):
    campaign = CampaignFactory(**campaign_fields)
    questionnaire = QuestionnaireFactory(campaign=campaign)
    question_objs = [QuestionFactory(questionnaire=questionnaire) for _ in range(questions)]
    invitations = [InvitationFactory(campaign=campaign) for _ in range(parties)]
    place_questionnaire(theme, questionnaire)
    return campaign, questionnaire, question_objs, invitations


def answer_data(questions, action="save", name="Camille Fictive", base_revision=0, **overrides):
    """The POST data of a party's form: every question answered unless overridden. Each call
    is a new form (its own key), based on `base_revision`."""
    data = {
        "action": action,
        "respondent_name": name,
        "base_revision": base_revision,
        "client_key": uuid.uuid4().hex,
    }
    for n, question in enumerate(questions, start=1):
        key = question.clean_name
        data[key] = f"Réponse {n}"
        data[f"{key}__status"] = "answered"
        data[f"{key}__pending_until"] = ""
        data[f"{key}__explanation"] = ""
    data.update(overrides)
    return data


def current_revision(questionnaire, party):
    return (
        Response.objects.filter(questionnaire=questionnaire, party=party)
        .values_list("revision", flat=True)
        .first()
        or 0
    )


def post_answers(client, invitation, questions, **kwargs):
    """A party's post from a fresh page: based on the current version, as a new tab would."""
    questionnaire = questions[0].questionnaire
    kwargs.setdefault("base_revision", current_revision(questionnaire, invitation.party))
    return client.post(
        invitation.questionnaire_path(questionnaire), answer_data(questions, **kwargs)
    )


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


def save_answers(questionnaire, questions, party, action="submit", **answers):
    """Saves a party's answers as its form would, based on the current version."""
    from campaigns.forms import response_form
    from campaigns.submissions import save_response

    data = answer_data(
        questions,
        action=action,
        base_revision=current_revision(questionnaire, party),
        **answers,
    )
    form = response_form(questions, data=data, action=action)
    assert form.is_valid(), form.errors
    return save_response(questionnaire, party, form.sent())


# A mail server that refuses every connection at once (nothing listens on port 1).
FAILING_SMTP = {
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": 1,
    "EMAIL_TIMEOUT": 2,
}


def team_member(username="equipe"):
    """A plain member of the Campagnes group (never a superuser)."""
    user = get_user_model().objects.create_user(username=username, password="x")
    user.groups.add(Group.objects.get(name="Campagnes"))
    return user
