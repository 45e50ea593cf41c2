"""A party's private pages, and the published answers as open data.

One view per page: it reads the invitation once, builds the form once and hands everything to
its template."""

import json
import logging
import uuid

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from wagtail.log_actions import log

from collectif.links import base_url
from collectif.ratelimit import rate_limit

from . import opendata, records, share
from .answers import french_date
from .forms import ResponseForm, response_form
from .licences import licence
from .models import Campaign, Invitation, Response, ResponseVersion
from .placements import live_pages_showing
from .submissions import CONFLICT, REPLAYED, save_response

logger = logging.getLogger(__name__)


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
        opened = Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )
        if opened:
            log(invitation, "campaigns.link_opened")
    return invitation


def _campaign_state(invitation):
    """Whether this party may answer now, and until when (its own deadline, if extended)."""
    now = timezone.now()
    return {
        "is_open": invitation.is_open(now),
        "not_yet_open": invitation.campaign.has_not_opened(now),
        "closes_at": invitation.closes_at,
        "closes_on": french_date(timezone.localtime(invitation.closes_at)),
    }


@never_cache
def party_home(request, token):
    """The page a party's private link opens: every questionnaire, its status, its deadline."""
    invitation = _open_invitation(token)
    campaign = invitation.campaign
    questionnaires = list(campaign.questionnaires.all())
    pages = live_pages_showing(questionnaires)
    responses = {
        r.questionnaire_id: r
        for r in Response.objects.filter(party=invitation.party, questionnaire__campaign=campaign)
    }
    items = [
        {
            "questionnaire": questionnaire,
            "pages": pages.get(questionnaire.pk, []),
            "url": invitation.questionnaire_path(questionnaire),
            "response": responses.get(questionnaire.pk),
        }
        for questionnaire in questionnaires
    ]
    context = {
        "invitation": invitation,
        "campaign": campaign,
        "items": items,
        "private_link": True,
    }
    context.update(_campaign_state(invitation))
    return private(TemplateResponse(request, "campaigns/party_home.html", context))


def _token(request):
    return request.resolver_match.kwargs.get("token", "")


@never_cache
@rate_limit("party-post", key=_token, methods=["POST"])
@rate_limit("party-post-ip", methods=["POST"])
def answer(request, token, questionnaire_pk):
    """One questionnaire through a party's private link: the form while the campaign is open,
    the party's record (its submitted versions, read-only and printable) otherwise."""
    invitation = _open_invitation(token)
    campaign = invitation.campaign
    questionnaire = get_object_or_404(campaign.questionnaires, pk=questionnaire_pk)
    questions = list(questionnaire.questions.all())
    response = Response.objects.filter(questionnaire=questionnaire, party=invitation.party).first()
    state = _campaign_state(invitation)
    context = {
        "private_link": True,
        "invitation": invitation,
        "campaign": campaign,
        "questionnaire": questionnaire,
        "response": response,
        "pages": live_pages_showing([questionnaire])[questionnaire.pk],
        "submissions": _submissions(response),
        **state,
    }
    status = 200
    if request.method == "POST":
        action = (
            ResponseForm.SUBMIT if request.POST.get("action") == "submit" else ResponseForm.SAVE
        )
        form = response_form(questions, data=request.POST, action=action)
        if not state["is_open"]:
            # Nothing is saved: the typed text comes back read-only, to be copied.
            messages.error(
                request,
                "Le questionnaire n’est pas encore ouvert : vos réponses n’ont pas été "
                "enregistrées."
                if state["not_yet_open"]
                else "La période de réponse est terminée : vos réponses n’ont pas été "
                "enregistrées.",
            )
            context["unsaved"] = form.sent_answers()
            status = 403
        elif form.is_valid():
            outcome = save_response(
                questionnaire, invitation.party, form, base_url=base_url(request)
            )
            if outcome.result == CONFLICT:
                context.update(_conflict(questions, outcome.response, form))
                form = context["form"]
                status = 409
            else:
                messages.success(request, _saved_message(outcome, invitation))
                return private(
                    HttpResponseRedirect(invitation.questionnaire_path(questionnaire), status=303)
                )
        else:
            status = 400
        if state["is_open"]:
            context.setdefault("form", form)
    elif state["is_open"]:
        context["form"] = response_form(questions, response=response)
    template = "campaigns/party_questionnaire.html"
    return private(TemplateResponse(request, template, context, status=status))


@require_POST
@rate_limit("party-autosave", key=_token)
@rate_limit("party-post-ip")
def autosave(request, token, questionnaire_pk):
    """A draft saved by the page's script while the party types; answers in JSON."""
    invitation = Invitation.for_token(token)
    if invitation is None:
        raise Http404("Lien inconnu ou renouvelé.")
    questionnaire = get_object_or_404(invitation.campaign.questionnaires, pk=questionnaire_pk)
    if not invitation.is_open():
        return private(JsonResponse({"erreur": "La période de réponse est terminée."}, status=403))
    form = response_form(list(questionnaire.questions.all()), data=request.POST)
    if not form.is_valid():
        return private(
            JsonResponse(
                {"erreur": "Brouillon non enregistré : un champ est à corriger."}, status=400
            )
        )
    outcome = save_response(questionnaire, invitation.party, form, autosave=True)
    if outcome.result == CONFLICT:
        return private(
            JsonResponse(
                {
                    "erreur": "Une version plus récente a été enregistrée depuis une autre "
                    "fenêtre. Enregistrez le brouillon pour voir les deux textes et choisir."
                },
                status=409,
            )
        )
    saved_at = timezone.localtime(outcome.version.saved_at)
    return private(
        JsonResponse(
            {"revision": outcome.response.revision, "heure": saved_at.strftime("%H h %M")}
        )
    )


def _saved_message(outcome, invitation):
    if outcome.result == REPLAYED:
        return "Ce formulaire avait déjà été enregistré : rien n’a changé."
    if outcome.version.is_submission:
        return (
            f"Merci! Vos réponses sont soumises (version {outcome.version.submission_number}). "
            f"Une confirmation est envoyée à {invitation.party.contact_email}."
        )
    return "Brouillon enregistré. Vous pouvez revenir avec ce lien."


def _conflict(questions, response, form):
    """A stale tab's post: both texts, question by question, and the tab's text kept in a form
    based on the newer version, so that saving again is a deliberate choice."""
    saved = response.working_answers()
    differences = []
    for sent in form.sent_answers():
        current = saved.get(sent.key)
        if current is None or (current.status, current.text, current.explanation) != (
            sent.status,
            sent.text,
            sent.explanation,
        ):
            differences.append({"sent": sent, "saved": current})
    data = form.data.copy()
    data["base_revision"] = str(response.revision)
    data["client_key"] = uuid.uuid4().hex
    rebased = response_form(questions, data=data, action=form.action)
    rebased.is_valid()
    latest = response.versions.first()
    return {
        "form": rebased,
        "conflict": {
            "differences": differences,
            "saved_at": latest.saved_at if latest else response.updated_at,
        },
    }


def _submissions(response):
    if response is None:
        return []
    return list(response.versions.filter(kind=ResponseVersion.SUBMITTED))


def campaign_page(request, slug):
    """A campaign for the public: its calendar, its questionnaires and where each is placed,
    and once published, the comparison of the parties' answers across every questionnaire."""
    campaign = get_object_or_404(Campaign, slug=slug)
    questionnaires = list(campaign.questionnaires.prefetch_related("questions"))
    pages = live_pages_showing(questionnaires)
    public = campaign.results_are_public()
    selection = records.Selection(request.GET)
    items = [
        {
            "questionnaire": questionnaire,
            "pages": pages.get(questionnaire.pk, []),
            "published": records.published_table(
                questionnaire, list(questionnaire.questions.all()), selection
            )
            if public
            else None,
        }
        for questionnaire in questionnaires
    ]
    context = {
        "campaign": campaign,
        "items": items,
        "results_public": public,
        "closes_on": french_date(timezone.localtime(campaign.closes_at)),
        "share": share.campaign_share(campaign, questionnaires, selection, request),
    }
    return TemplateResponse(request, "campaigns/campaign_page.html", context)


def open_to_every_site(response):
    """Open data may be read by a page of any other site (a newsroom's chart, a notebook)."""
    response["Access-Control-Allow-Origin"] = "*"
    return response


def open_data(request, slug, name):
    """A file of a campaign's published answers, for journalists and researchers."""
    campaign = get_object_or_404(Campaign, slug=slug)
    if not campaign.results_are_public():
        raise Http404("Les réponses de cette campagne ne sont pas encore publiques.")
    if name in opendata.CSV_FILES:
        response = HttpResponse(
            opendata.csv_file(campaign, name), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{campaign.slug}-{name}"'
        return open_to_every_site(response)
    if name == opendata.PACKAGE_FILE:
        document = opendata.datapackage(campaign, request)
    else:
        document = records.open_data_document(campaign)
    return open_to_every_site(
        HttpResponse(
            json.dumps(document, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
    )


def open_data_index(request):
    """« Données ouvertes »: every published campaign's files, licence and citation, and the
    field dictionary of the files."""
    campaigns = [c for c in Campaign.objects.all() if c.results_are_public()]
    datasets = [
        {
            "campaign": campaign,
            "files": opendata.files(campaign, request),
            "licence": licence(campaign.licence),
            "citation": opendata.citation(campaign, records.open_data_record(campaign), request),
        }
        for campaign in campaigns
    ]
    context = {
        "datasets": datasets,
        "id_fields": opendata.ID_FIELDS,
        "long_fields": opendata.LONG_FIELDS[len(opendata.ID_FIELDS) :],
        "question_fields": opendata.question_field_patterns(),
        "formula_note": opendata.FORMULA_NOTE,
        "share": {
            "title": "Données ouvertes",
            "description": "Les réponses des partis politiques aux questionnaires du Collectif "
            "petite enfance, en CSV et JSON, avec leur licence et leur dictionnaire des données.",
            "json_ld": [
                {
                    **opendata.dataset_ld(campaign, request),
                    "includedInDataCatalog": {
                        "@type": "DataCatalog",
                        "name": "Données ouvertes du Collectif petite enfance",
                        "url": request.build_absolute_uri(request.path),
                    },
                }
                for campaign in campaigns
            ],
        },
    }
    return TemplateResponse(request, "campaigns/open_data.html", context)
