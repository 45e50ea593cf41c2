"""A party's private pages, and the published answers as open data.

One view per page: it reads the invitation once, builds the form once and hands everything to
its template."""

import json
import logging
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from wagtail.log_actions import log

from collectif.content.links import base_url
from collectif.delivery.cache import remember
from collectif.delivery.renders import serve_reused
from collectif.protection.ratelimit import rate_limit

from . import opendata, records, share
from .admin_views import MANAGE_INVITATIONS
from .answers import french_date
from .forms import ResponseForm, response_form
from .licences import licence
from .models import Campaign, Invitation, Question, Response, ResponseVersion
from .placements import live_pages_showing
from .reading import Reading, calendar_only, calendar_state
from .submissions import CONFLICT, REPLAYED, entered_by_name, save_response

logger = logging.getLogger(__name__)

# A team member who opens a party's link reads its pages; writing for the party is a
# deliberate step of its own (`enter_for_party`), remembered in the session per invitation.
ENTERING = "campaigns-entering"
READ_ONLY, ENTERING_MODE = "read_only", "entering"
# Who may enter a party's answers on its behalf: those who manage the campaign's links.
ENTER_FOR_PARTY = MANAGE_INVITATIONS
TEAM_REFUSAL = (
    "Vous êtes connecté·e comme membre de l’équipe du Collectif : rien n’est enregistré au "
    "nom du parti sans passer par « Saisir les réponses pour ce parti »."
)


def private(response):
    """Private links must stay out of caches, search engines and Referer headers."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    # same-origin: other sites never see the link, and form posts keep their Origin header.
    response["Referrer-Policy"] = "same-origin"
    return response


def _open_invitation(token, request):
    invitation = Invitation.for_token(token)
    if invitation is None:
        raise Http404("Lien inconnu ou renouvelé.")
    # A team member looking at the link is not the party opening it.
    if invitation.opened_at is None and not request.user.is_authenticated:
        opened = Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )
        if opened:
            log(invitation, "campaigns.link_opened")
    return invitation


def team_mode(request, invitation):
    """None for the party; READ_ONLY for a logged-in team member; ENTERING_MODE once that
    member chose to enter the party's answers (and still may)."""
    if not request.user.is_authenticated:
        return None
    if invitation.pk in request.session.get(ENTERING, []) and request.user.has_perm(
        ENTER_FOR_PARTY
    ):
        return ENTERING_MODE
    return READ_ONLY


def _team_context(request, invitation):
    mode = team_mode(request, invitation)
    return {
        "team_mode": mode,
        "can_enter": mode == READ_ONLY and request.user.has_perm(ENTER_FOR_PARTY),
        "team_member_name": entered_by_name(request.user) if mode else "",
    }


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
    invitation = _open_invitation(token, request)
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
        **_team_context(request, invitation),
    }
    context.update(_campaign_state(invitation))
    return private(TemplateResponse(request, "campaigns/party_home.html", context))


def _questionnaire_and_questions(campaign, questionnaire_pk):
    """The campaign's questionnaire (404 if it has no such one) and its questions, in one
    query (two for a questionnaire without questions)."""
    questions = list(
        Question.objects.filter(
            questionnaire_id=questionnaire_pk, questionnaire__campaign_id=campaign.pk
        ).select_related("questionnaire")
    )
    if questions:
        questionnaire = questions[0].questionnaire
    else:
        questionnaire = get_object_or_404(campaign.questionnaires, pk=questionnaire_pk)
    questionnaire.campaign = campaign
    for question in questions:
        question.questionnaire = questionnaire
    return questionnaire, questions


def _token(request):
    return request.resolver_match.kwargs.get("token", "")


@never_cache
@rate_limit("party-post", key=_token, methods=["POST"])
@rate_limit("party-post-ip", methods=["POST"])
def answer(request, token, questionnaire_pk):
    """One questionnaire through a party's private link: the form while the campaign is open,
    the party's record (its submitted versions, read-only and printable) otherwise."""
    invitation = _open_invitation(token, request)
    campaign = invitation.campaign
    questionnaire, questions = _questionnaire_and_questions(campaign, questionnaire_pk)
    state = _campaign_state(invitation)
    team = _team_context(request, invitation)
    # The form is for the party, or for a team member who chose to enter its answers.
    writable = state["is_open"] and team["team_mode"] != READ_ONLY
    context = {
        "private_link": True,
        "invitation": invitation,
        "campaign": campaign,
        "questionnaire": questionnaire,
        **team,
        **state,
    }
    status = 200
    response = None
    if request.method == "POST":
        action = (
            ResponseForm.SUBMIT if request.POST.get("action") == "submit" else ResponseForm.SAVE
        )
        form = response_form(questions, data=request.POST, action=action)
        if not writable:
            # Nothing is saved: the typed text comes back read-only, to be copied.
            if team["team_mode"] == READ_ONLY:
                message = TEAM_REFUSAL
                logger.warning("Réponses refusées : membre de l’équipe en lecture seule")
            elif state["not_yet_open"]:
                message = (
                    "Le questionnaire n’est pas encore ouvert : vos réponses n’ont pas été "
                    "enregistrées."
                )
            else:
                message = (
                    "La période de réponse est terminée : vos réponses n’ont pas été enregistrées."
                )
            messages.error(request, message)
            context["unsaved"] = form.sent_answers()
            status = 403
        elif form.is_valid():
            outcome = save_response(
                questionnaire,
                invitation.party,
                form.sent(),
                base_url=base_url(request),
                entered_by=request.user if team["team_mode"] == ENTERING_MODE else None,
            )
            if outcome.result != CONFLICT:
                # Answered at once: the page the party comes back to is built by its GET.
                messages.success(request, _saved_message(outcome, invitation, team))
                return private(
                    HttpResponseRedirect(invitation.questionnaire_path(questionnaire), status=303)
                )
            response = outcome.response
            context.update(_conflict(questions, response, form))
            status = 409
        else:
            status = 400
        if writable:
            context.setdefault("form", form)
    if response is None:
        response = Response.objects.filter(
            questionnaire=questionnaire, party=invitation.party
        ).first()
    if writable and "form" not in context:
        context["form"] = response_form(questions, response=response)
    context.update(
        response=response,
        pages=live_pages_showing([questionnaire])[questionnaire.pk],
        submissions=_submissions(response),
        latest=response.versions.first() if response and team["team_mode"] else None,
    )
    template = "campaigns/party_questionnaire.html"
    return private(TemplateResponse(request, template, context, status=status))


@never_cache
def enter_for_party(request, token):
    """« Saisir les réponses pour ce parti »: a team member who holds the campaign's links
    confirms, then the party's forms open in their name (POST `stop` ends it)."""
    invitation = Invitation.for_token(token)
    if invitation is None:
        raise Http404("Lien inconnu ou renouvelé.")
    if not request.user.is_authenticated or not request.user.has_perm(ENTER_FOR_PARTY):
        raise PermissionDenied("Seule l’équipe des campagnes peut saisir des réponses.")
    entering = [pk for pk in request.session.get(ENTERING, []) if pk != invitation.pk]
    if request.method == "POST":
        if request.POST.get("action") == "stop":
            messages.success(
                request, "Saisie terminée : les pages du parti sont en lecture seule."
            )
        else:
            entering.append(invitation.pk)
            log(invitation, "campaigns.entry_started", user=request.user)
            messages.success(
                request, f"Vous saisissez maintenant au nom de {invitation.party.name}."
            )
        request.session[ENTERING] = entering
        return private(HttpResponseRedirect(invitation.private_path, status=303))
    context = {
        "private_link": True,
        "invitation": invitation,
        "campaign": invitation.campaign,
        "team_member_name": entered_by_name(request.user),
    }
    return private(TemplateResponse(request, "campaigns/party_enter.html", context))


@require_POST
@rate_limit("party-autosave", key=_token)
@rate_limit("party-post-ip")
def autosave(request, token, questionnaire_pk):
    """A draft saved by the page's script while the party types; answers in JSON."""
    invitation = Invitation.for_token(token)
    if invitation is None:
        raise Http404("Lien inconnu ou renouvelé.")
    questionnaire, questions = _questionnaire_and_questions(invitation.campaign, questionnaire_pk)
    if request.user.is_authenticated:
        # The team's entries are saved with the buttons only, each one with its name.
        logger.warning("Brouillon automatique refusé : membre de l’équipe connecté")
        return private(JsonResponse({"erreur": TEAM_REFUSAL}, status=403))
    if not invitation.is_open():
        return private(JsonResponse({"erreur": "La période de réponse est terminée."}, status=403))
    form = response_form(questions, data=request.POST)
    if not form.is_valid():
        return private(
            JsonResponse(
                {"erreur": "Brouillon non enregistré : un champ est à corriger."}, status=400
            )
        )
    outcome = save_response(questionnaire, invitation.party, form.sent(), autosave=True)
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


def _saved_message(outcome, invitation, team):
    if outcome.result == REPLAYED:
        return "Ce formulaire avait déjà été enregistré : rien n’a changé."
    if team["team_mode"] == ENTERING_MODE:
        kind = "soumises" if outcome.version.is_submission else "enregistrées en brouillon"
        return (
            f"Réponses {kind} au nom de {invitation.party.name}, saisies par "
            f"{outcome.version.entered_by_name}. Le parti en est averti par courriel à "
            f"{invitation.party.contact_email}."
        )
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
    and once published, the comparison of the parties' answers across every questionnaire.
    Its render is reused for the same comparison and calendar (`campaign_render_key`)."""
    loaded = {}
    key = campaign_render_key(request, slug, loaded)
    if key is None:
        raise Http404
    return serve_reused(request, key, lambda: render_campaign_page(request, slug, loaded))


def campaign_render_key(request, slug, loaded):
    """The key of a campaign page's render: the comparison among its parties and questions,
    its calendar. None for a campaign that does not exist. What it reads to know them is
    left in `loaded` for the render."""

    def known():
        campaign = Campaign.objects.filter(slug=slug).first()
        if campaign is None:
            return None
        questionnaires = list(campaign.questionnaires.prefetch_related("questions"))
        parties, keys = records.vocabulary([campaign], questionnaires)
        loaded.update(campaign=campaign, questionnaires=questionnaires)
        return {"campaign": calendar_only(campaign), "parties": parties, "keys": keys}

    state = remember(
        f"collectif:campaign-vocabulary:{slug}", known, path=request.path, request=request
    )
    if state is None:
        return None
    selection = records.Selection(request.GET).among(state["parties"], state["keys"])
    return f"campaign:{slug}:{selection.query}|{calendar_state(state['campaign'])}"


def render_campaign_page(request, slug, loaded):
    campaign = loaded.get("campaign") or get_object_or_404(Campaign, slug=slug)
    questionnaires = loaded.get("questionnaires")
    if questionnaires is None:
        questionnaires = list(campaign.questionnaires.prefetch_related("questions"))
    pages = live_pages_showing(questionnaires)
    reading = Reading(campaign)
    public = reading.answers_readable
    selection = records.Selection(request.GET).among(
        *records.vocabulary([campaign], questionnaires)
    )
    items = [
        {
            "questionnaire": questionnaire,
            "pages": pages.get(questionnaire.pk, []),
            "published": records.published_table(
                questionnaire, list(questionnaire.questions.all()), selection, reading
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
    if not Reading(campaign).answers_readable:
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
    campaigns = [c for c in Campaign.objects.all() if Reading(c).answers_readable]
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
