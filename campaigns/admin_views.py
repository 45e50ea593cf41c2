"""The team's side of a campaign: the board, each response in full, exports, invitations."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .exports import campaign_table, to_csv, to_xlsx
from .models import Campaign, Invitation, Response

VIEW_RESPONSES = "campaigns.view_response"
EXPORT_RESPONSES = "campaigns.export_response"
MANAGE_INVITATIONS = "campaigns.change_campaign"


def require(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied


def board_statuses(campaign):
    """For each invited party, the status of its response to each questionnaire."""
    questionnaires = list(campaign.questionnaires.all())
    invitations = list(campaign.invitations.select_related("party"))
    responses = {
        (r.questionnaire_id, r.party_id): r
        for r in Response.objects.filter(questionnaire__campaign=campaign).only(
            "id", "questionnaire_id", "party_id", "status", "submitted_at", "updated_at"
        )
    }
    rows = []
    for invitation in invitations:
        cells = []
        for questionnaire in questionnaires:
            response = responses.get((questionnaire.pk, invitation.party_id))
            if response and response.submitted_at:
                status = ("submitted", "soumise")
            elif response:
                status = ("draft", "brouillon")
            elif invitation.opened_at:
                status = ("opened", "lien ouvert")
            else:
                status = ("invited", "invité")
            cells.append({"questionnaire": questionnaire, "response": response, "status": status})
        rows.append({"invitation": invitation, "cells": cells})
    return questionnaires, rows


class CampaignIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "campaigns/admin/index.html"
    page_title = "Réponses aux campagnes"
    header_icon = "form"

    def dispatch(self, request, *args, **kwargs):
        require(request, VIEW_RESPONSES)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["campaigns"] = Campaign.objects.all()
        return context


class BoardView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "campaigns/admin/board.html"
    header_icon = "form"

    def dispatch(self, request, *args, **kwargs):
        require(request, VIEW_RESPONSES)
        self.campaign = get_object_or_404(Campaign, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Tableau de bord — {self.campaign.name}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("campaigns_admin:index"), "label": "Réponses aux campagnes"},
            {"url": "", "label": self.campaign.name},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        questionnaires, rows = board_statuses(self.campaign)
        context.update(
            campaign=self.campaign,
            questionnaires=questionnaires,
            rows=rows,
            can_export=self.request.user.has_perm(EXPORT_RESPONSES),
            can_manage=self.request.user.has_perm(MANAGE_INVITATIONS),
            now=timezone.now(),
        )
        return context


class ResponseDetailView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "campaigns/admin/response.html"
    header_icon = "form"

    def dispatch(self, request, *args, **kwargs):
        require(request, VIEW_RESPONSES)
        self.response = get_object_or_404(
            Response.objects.select_related("party", "questionnaire__campaign"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"{self.response.party} — {self.response.questionnaire.title}"

    def get_breadcrumbs_items(self):
        campaign = self.response.questionnaire.campaign
        return self.breadcrumbs_items + [
            {"url": reverse("campaigns_admin:index"), "label": "Réponses aux campagnes"},
            {"url": reverse("campaigns_admin:board", args=[campaign.pk]), "label": campaign.name},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["response"] = self.response
        context["versions"] = list(self.response.versions.all())
        return context


def export(request, pk, format):
    require(request, EXPORT_RESPONSES)
    campaign = get_object_or_404(Campaign, pk=pk)
    header, rows = campaign_table(campaign)
    stamp = timezone.localdate().isoformat()
    if format == "xlsx":
        response = HttpResponse(
            to_xlsx(header, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(to_csv(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{campaign.slug}-reponses-{stamp}.{format}"'
    )
    return response


@require_POST
def regenerate_token(request, pk):
    require(request, MANAGE_INVITATIONS)
    invitation = get_object_or_404(Invitation.objects.select_related("party"), pk=pk)
    invitation.regenerate_token()
    messages.success(
        request,
        f"Nouveau lien créé pour {invitation.party}. L’ancien lien ne fonctionne plus.",
    )
    return redirect("campaigns_admin:board", invitation.campaign_id)


@require_POST
def email_invitation(request, pk):
    require(request, MANAGE_INVITATIONS)
    invitation = get_object_or_404(Invitation.objects.select_related("party", "campaign"), pk=pk)
    context = {"invitation": invitation, "campaign": invitation.campaign}
    try:
        EmailMessage(
            subject=render_to_string("campaigns/emails/invitation_subject.txt", context).strip(),
            body=render_to_string("campaigns/emails/invitation.txt", context),
            to=[invitation.party.contact_email],
        ).send()
    except OSError:
        messages.error(
            request,
            "Le courriel n’a pas pu partir (serveur de courriel injoignable). Réessayez plus tard "
            "ou copiez le lien.",
        )
    else:
        Invitation.objects.filter(pk=invitation.pk).update(emailed_at=timezone.now())
        messages.success(request, f"Invitation envoyée à {invitation.party.contact_email}.")
    return redirect("campaigns_admin:board", invitation.campaign_id)
