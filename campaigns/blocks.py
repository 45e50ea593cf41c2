from django.utils import timezone

from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from collectif.blocks import ParagraphBlock

from .exports import answer_text
from .forms import initial_from_answers, response_form_class
from .models import Response


class QuestionnaireBlock(blocks.StructBlock):
    questionnaire = SnippetChooserBlock(
        "campaigns.Questionnaire",
        label="Questionnaire",
        help_text="Le questionnaire d’une campagne (Fragments › Questionnaires).",
    )
    parties_heading = blocks.CharBlock(
        label="Titre pour les partis",
        default="Pour les partis politiques :",
        max_length=120,
        help_text="120 caractères max.",
    )
    parties_text = ParagraphBlock(
        label="Explication pour les partis",
        required=False,
        help_text="Comment les partis répondent. Affichée au public tant que la campagne dure.",
    )

    class Meta:
        template = "campaigns/blocks/questionnaire_block.html"
        icon = "form"
        label = "Questionnaire de campagne"
        description = (
            "Les questions d’une campagne : le public les lit, les partis y répondent par "
            "leur lien privé, puis les réponses s’affichent côte à côte."
        )
        group = "Campagnes"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        parent_context = parent_context or {}
        questionnaire = value["questionnaire"]
        if questionnaire is None:
            return context
        campaign = questionnaire.campaign
        questions = list(questionnaire.questions.all())
        now = timezone.now()
        context.update(
            questionnaire=questionnaire,
            campaign=campaign,
            questions=questions,
            is_open=campaign.is_open(now),
            not_yet_open=campaign.has_not_opened(now),
        )
        invitation = parent_context.get("invitation")
        if invitation is not None and invitation.campaign_id == campaign.pk:
            context["party_form"] = self.party_form(
                questionnaire, questions, invitation, parent_context
            )
            context["invitation"] = invitation
        if campaign.results_are_public(now):
            context["published"] = self.published_answers(questionnaire, questions, campaign)
        return context

    def party_form(self, questionnaire, questions, invitation, parent_context):
        bound = (parent_context.get("party_forms") or {}).get(questionnaire.pk)
        if bound is not None:
            return bound
        response = Response.objects.filter(
            questionnaire=questionnaire, party=invitation.party
        ).first()
        initial = (
            initial_from_answers(response.answers, response.respondent_name) if response else {}
        )
        form = response_form_class(questions)(questions=questions, initial=initial)
        form.response = response
        return form

    def published_answers(self, questionnaire, questions, campaign):
        """Question by question, each invited party's submitted answer (or its absence)."""
        parties = [i.party for i in campaign.invitations.select_related("party")]
        responses = {
            r.party_id: r for r in questionnaire.responses.filter(submitted_at__isnull=False)
        }
        table = []
        for question in questions:
            rows = []
            for party in parties:
                response = responses.get(party.pk)
                answer = response.submitted_by_key.get(question.clean_name) if response else None
                rows.append({"party": party, "answer": answer, "text": answer_text(answer)})
            table.append({"question": question, "rows": rows})
        return {"parties": parties, "table": table}
