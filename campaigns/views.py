import json

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from .exports import campaign_table, response_state, to_csv
from .forms import ResponseForm, response_form_class
from .models import Campaign, Invitation, Response
from .placements import questionnaire_pages
from .submissions import save_response


def private(response):
    """Private links must stay out of caches, search engines and Referer headers."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    # same-origin: other sites never see the link, and form posts keep their Origin header.
    response["Referrer-Policy"] = "same-origin"
    return response


def _open_invitation(token):
    invitation = Invitation.for_token(token)
    if invitation is None:
        raise Http404("Lien inconnu ou renouvelé.")
    if invitation.opened_at is None:
        Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )
    return invitation


@never_cache
def party_home(request, token):
    """The page a party's private link opens: every questionnaire, its status, its deadline."""
    invitation = _open_invitation(token)
    campaign = invitation.campaign
    questionnaires = list(campaign.questionnaires.all())
    pages = questionnaire_pages(questionnaires)
    responses = {
        r.questionnaire_id: r
        for r in Response.objects.filter(party=invitation.party, questionnaire__campaign=campaign)
    }
    items = []
    for questionnaire in questionnaires:
        page = pages.get(questionnaire.pk)
        response = responses.get(questionnaire.pk)
        items.append(
            {
                "questionnaire": questionnaire,
                "page": page,
                "url": page.answer_url(token, questionnaire) if page else None,
                "response": response,
            }
        )
    return private(
        TemplateResponse(
            request,
            "campaigns/party_home.html",
            {
                "invitation": invitation,
                "campaign": campaign,
                "items": items,
                "is_open": campaign.is_open(),
                "not_yet_open": campaign.has_not_opened(),
            },
        )
    )


def answer_on_theme_page(request, page, token):
    """The theme page through a party's private link: its questionnaires become forms."""
    invitation = _open_invitation(token)
    questionnaires = {
        q.pk: q for q in page.questionnaires() if q.campaign_id == invitation.campaign_id
    }
    if not questionnaires:
        raise Http404("Aucun questionnaire de cette campagne sur cette page.")
    context = {"invitation": invitation, "party_forms": {}, "private_link": True}
    status = 200
    if request.method == "POST":
        try:
            questionnaire = questionnaires[int(request.POST.get("questionnaire", ""))]
        except (KeyError, ValueError):
            return private(HttpResponse("Questionnaire inconnu.", status=400))
        questions = list(questionnaire.questions.all())
        action = (
            ResponseForm.SUBMIT if request.POST.get("action") == "submit" else ResponseForm.SAVE
        )
        form = response_form_class(questions)(request.POST, questions=questions, action=action)
        form.response = Response.objects.filter(
            questionnaire=questionnaire, party=invitation.party
        ).first()
        campaign = invitation.campaign
        if not campaign.is_open():
            # The form is not shown again: the typed text comes back in a read-only notice.
            messages.error(
                request,
                "La période de réponse est terminée : vos réponses n’ont pas été enregistrées."
                if not campaign.has_not_opened()
                else "Le questionnaire n’est pas encore ouvert : vos réponses n’ont pas été "
                "enregistrées.",
            )
            context["party_forms"][questionnaire.pk] = form
            status = 403
        elif form.is_valid():
            save_response(questionnaire, invitation.party, form)
            if action == ResponseForm.SUBMIT:
                messages.success(
                    request,
                    f"Merci! Vos réponses à « {questionnaire.title} » sont soumises. Une "
                    f"confirmation est envoyée à {invitation.party.contact_email}.",
                )
            else:
                messages.success(
                    request, "Brouillon enregistré. Vous pouvez revenir avec ce lien."
                )
            url = page.answer_url(token, questionnaire)
            return private(HttpResponseRedirect(url, status=303))
        else:
            context["party_forms"][questionnaire.pk] = form
            status = 400
    response = page.render(request, context_overrides=context)
    response.status_code = status
    return private(response)


def open_data(request, slug, format):
    """The published answers of a campaign, for journalists and researchers."""
    campaign = get_object_or_404(Campaign, slug=slug)
    if not campaign.results_are_public():
        raise Http404("Les réponses de cette campagne ne sont pas encore publiques.")
    if format == "csv":
        header, rows = campaign_table(campaign, submitted_only=True)
        response = HttpResponse(to_csv(header, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{campaign.slug}-reponses.csv"'
        return response
    return HttpResponse(
        json.dumps(open_data_document(campaign), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )


def open_data_document(campaign):
    invitations = list(campaign.invitations.select_related("party"))
    questionnaires = list(campaign.questionnaires.prefetch_related("questions", "responses"))
    document = {
        "campagne": campaign.name,
        "identifiant": campaign.slug,
        "date_limite": campaign.closes_at.isoformat(),
        "questionnaires": [],
    }
    for questionnaire in questionnaires:
        responses = {r.party_id: r for r in questionnaire.responses.all()}
        document["questionnaires"].append(
            {
                "titre": questionnaire.title,
                "questions": [
                    {"cle": q.clean_name, "titre": q.label, "texte": q.text}
                    for q in questionnaire.questions.all()
                ],
                "reponses": [
                    _party_document(invitation.party, responses.get(invitation.party_id))
                    for invitation in invitations
                ],
            }
        )
    return document


def _party_document(party, response):
    status, answers, submitted = response_state(response, submitted_only=True)
    return {
        "parti": party.name,
        "sigle": party.short_name,
        "statut": status,
        "soumise_le": response.submitted_at.isoformat() if submitted else None,
        "reponses": [
            {
                "cle": a["key"],
                "statut": a["status"],
                "reponse": a["answer"],
                "reponse_prevue_le": a["pending_until"],
            }
            for a in answers.values()
        ],
    }
