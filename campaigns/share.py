"""How a campaign, a comparison and a theme page showing answers look when shared: title,
description, canonical address, image (a card drawn for what is compared, renewed when the
published answers change), the open data they link to and their schema.org description."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime

from collectif.content.cards import share_card
from collectif.content.links import absolute_url

from . import opendata, records
from .models import Response
from .reading import Reading

EYEBROW = "La boussole · campagne"


def _names(parties):
    names = [p.name for p in parties]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]


def published_fingerprint(campaign, parties):
    """What a card stands for besides its texts: the submissions of the compared parties that
    the public may read. A new submission or correction makes a new card. One query."""
    if not Reading(campaign).answers_readable:
        return None
    submitted = Response.objects.filter(
        questionnaire__campaign=campaign,
        party__in=[p.pk for p in parties],
        submitted_at__isnull=False,
    ).order_by("pk")
    return {
        "public_since": campaign.public_since(),
        "responses": [list(r) for r in submitted.values_list("pk", "revision", "submitted_at")],
    }


def campaign_card(campaign, parties, compared, request=None):
    if compared:
        subtitle = "Comparaison : " + " · ".join(p.name for p in parties)
    elif Reading(campaign).answers_readable:
        subtitle = f"Les réponses de {len(parties)} parti{'s' if len(parties) > 1 else ''}"
    else:
        subtitle = "Les questions du Collectif aux partis politiques"
    return share_card(
        f"campagne-{campaign.slug}",
        campaign.name,
        subtitle,
        EYEBROW,
        fingerprint=published_fingerprint(campaign, parties),
        request=request,
    )


def _choice(campaigns, questionnaires, selection):
    """(chosen parties, query of the canonical address, whether it is a comparison), among the
    invited parties and the questions of the questionnaires shown (questions prefetched)."""
    invited = [party for campaign in campaigns for party in records.invited_parties(campaign)]
    keys = [
        q.clean_name for questionnaire in questionnaires for q in questionnaire.questions.all()
    ]
    query = selection.query_string({p.pk for p in invited}, keys)
    parties = list({p.pk: p for p in invited if selection.wants_party(p)}.values())
    return parties, query, bool(query)


def alternates(campaigns, request=None):
    """The open data of the public campaigns, as <link rel="alternate">."""
    links = []
    for campaign in campaigns:
        for name, title, url in opendata.files(campaign, request):
            kind = "text/csv" if name.endswith(".csv") else "application/json"
            links.append({"type": kind, "title": f"{campaign.name} — {title}", "href": url})
    return links


def campaign_share(campaign, questionnaires, selection, request):
    """The share of a campaign's public page, or of a comparison made on it."""
    public = Reading(campaign).answers_readable
    parties, query, compared = _choice([campaign], questionnaires, selection)
    compared = compared and public
    path = reverse("campaigns:campaign", args=[campaign.slug])
    if compared:
        title = f"Comparaison : {_names(parties)} — {campaign.name}"
        description = (
            f"Les réponses de {_names(parties)} aux questionnaires du Collectif petite enfance "
            f"pour « {campaign.name} », question par question."
        )
    elif public:
        title = f"{campaign.name} : les réponses des partis"
        description = (
            f"Les réponses de {len(parties)} partis politiques aux questionnaires du Collectif "
            f"petite enfance pour « {campaign.name} » : question par question, avec leurs "
            "corrections, et en données ouvertes."
        )
    else:
        title = f"{campaign.name} : les questions aux partis"
        when = (
            f" le {date_format(localtime(campaign.publish_at), 'j F Y')}"
            if campaign.publish_at
            else ""
        )
        description = (
            f"Les questions du Collectif petite enfance aux partis politiques pour "
            f"« {campaign.name} ». Leurs réponses seront publiées ici{when}."
        )
    return {
        "title": title,
        "description": description,
        "canonical": absolute_url(path + (f"?{query}" if compared else ""), request=request),
        "image": campaign_card(campaign, parties, compared, request),
        "alternates": alternates([campaign], request) if public else [],
        "json_ld": [opendata.dataset_ld(campaign, request)] if public else [],
    }


def theme_share(page, questionnaires, selection, request):
    """What a theme page showing `questionnaires` (with their campaign and questions, as the
    page prepared them) adds to its share: the open data of its public campaigns and, for a
    comparison, a title, an address and a card saying what it compares. No query, and a few
    for a comparison."""
    if not questionnaires:
        return {}
    campaigns = {q.campaign.pk: q.campaign for q in questionnaires}
    public = [c for _, c in sorted(campaigns.items()) if Reading(c).answers_readable]
    share = {"alternates": alternates(public, request)}
    if not public or not selection.is_narrowed:
        return share
    shown = [q for q in questionnaires if q.campaign in public]
    parties, query, compared = _choice(public, shown, selection)
    if not compared:
        return share
    own_title = page.seo_title or page.title
    share.update(
        title=f"{own_title} : comparaison de {_names(parties)}",
        description=f"Les réponses de {_names(parties)} sur le thème « {page.title} ».",
        canonical=f"{page.full_url}?{query}",
        image=campaign_card(public[0], parties, True, request),
    )
    return share
