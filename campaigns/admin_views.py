"""The team's side of a campaign, as views of Wagtail's viewsets: the campaign's board (with
its publication and the private links), and the responses as a read-only listing with an
inspect view, a diff between versions and spreadsheet exports."""

import csv
import smtplib

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.text import slugify
from django.views.generic import TemplateView

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.models import IndexView, InspectView
from wagtail.admin.views.mixins import Echo
from wagtail.admin.widgets.button import Button
from wagtail.admin.widgets.slug import SlugInput
from wagtail.log_actions import log

import django_filters

from collectif.content.links import base_url
from collectif.protection.exports import FormulaSafeExportMixin
from collectif.team.widgets import FrenchDateTimeInput

from . import diff, records
from .admin_forms import CampaignForm, DeadlineExtensionForm
from .answers import french_date, french_datetime
from .board import board_state, board_url, campaign_log, failed_emails, open_campaigns
from .models import Campaign, Invitation, Questionnaire, Response
from .reading import TEAM, Reading
from .tasks import (
    email_invitation,
    schedule_campaign_reminders,
    schedule_reminders,
    send_invitation_email,
)

VIEW_RESPONSES = "campaigns.view_response"
EXPORT_RESPONSES = "campaigns.export_response"
MANAGE_INVITATIONS = "campaigns.change_campaign"
PUBLISH = "campaigns.publish_campaign"
ADD_CAMPAIGN = "campaigns.add_campaign"


def require(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied


def responses_url(campaign, **params):
    return (
        reverse("campaigns_response:index") + "?" + urlencode({"campaign": campaign.pk, **params})
    )


class OpenCampaignsPanel(Component):
    """The admin's dashboard, for the campaign team: each campaign still open, at a glance."""

    name = "campagnes-ouvertes"
    template_name = "campaigns/admin/home_panel.html"
    order = 90

    def get_context_data(self, parent_context=None):
        return {
            "campaigns": open_campaigns(),
            "list_url": reverse("wagtailsnippets_campaigns_campaign:list"),
        }


class CampaignObjectView(WagtailAdminTemplateMixin, TemplateView):
    """A page about one campaign, reached from the campaign's listing."""

    permission = VIEW_RESPONSES
    header_icon = "form"
    index_url_name = None

    def dispatch(self, request, *args, **kwargs):
        require(request, self.permission)
        self.campaign = get_object_or_404(Campaign, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("wagtailsnippets_campaigns_campaign:list"), "label": "Campagnes"},
            {"url": board_url(self.campaign), "label": self.campaign.name},
            {"url": "", "label": self.get_page_title()},
        ]


class BoardView(CampaignObjectView):
    template_name = "campaigns/admin/board.html"
    page_title = "Tableau de bord"

    def get_page_subtitle(self):
        return self.campaign.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(board_state(self.campaign))
        context.update(
            campaign=self.campaign,
            results_public=self.campaign.results_are_public(),
            is_open=self.campaign.is_open(),
            can_export=user.has_perm(EXPORT_RESPONSES),
            can_manage=user.has_perm(MANAGE_INVITATIONS),
            can_publish=user.has_perm(PUBLISH),
            can_copy=user.has_perm(ADD_CAMPAIGN),
            responses_url=responses_url(self.campaign),
            export_urls={
                "xlsx": responses_url(self.campaign, export="xlsx"),
                "csv": responses_url(self.campaign, export="csv"),
                "csv_fr": responses_url(self.campaign, export="csv-fr"),
            },
            log_entries=campaign_log(self.campaign),
            failed_emails=failed_emails(self.campaign),
        )
        for row in context["rows"]:
            row["link"] = row["invitation"].private_url(request=self.request)
        return context


class PublishView(CampaignObjectView):
    """Publishing is deliberate: a confirmation first, naming the parties that can still
    change their answers; then the publication is logged with who and when."""

    template_name = "campaigns/admin/publish.html"
    permission = PUBLISH
    page_title = "Publier les réponses"

    def get_page_subtitle(self):
        return self.campaign.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.campaign
        open_invitations = self.open_invitations()
        context.update(
            campaign=campaign,
            still_open=bool(open_invitations),
            campaign_open=campaign.is_open(),
            closes_on=french_date(timezone.localtime(campaign.closes_at)),
            parties=[
                {
                    "party": invitation.party,
                    "closes_on": french_datetime(invitation.closes_at),
                    "extended": invitation.is_extended,
                }
                for invitation in open_invitations
            ],
            already_public=campaign.results_are_public(),
        )
        return context

    def open_invitations(self):
        """The invitations whose party may still change its answers (own deadline)."""
        now = timezone.now()
        invitations = self.campaign.invitations.select_related("party")
        return [i for i in invitations if i.is_open(now)]

    def post(self, request, *args, **kwargs):
        if not self.campaign.results_are_public():
            before_deadline = bool(self.open_invitations())
            self.campaign.publish_results(request.user)
            log(
                self.campaign,
                "campaigns.published",
                user=request.user,
                data={"before_deadline": before_deadline},
            )
            messages.success(request, f"Les réponses de « {self.campaign.name} » sont publiées.")
        return redirect(board_url(self.campaign))


class InviteAllView(CampaignObjectView):
    """« Inviter tous les partis »: a confirmation naming who gets the email and who is
    skipped, then one email per party, sent by the task queue. A party already emailed is
    skipped; the task itself checks again, so that a double click sends once."""

    template_name = "campaigns/admin/invite_all.html"
    permission = MANAGE_INVITATIONS
    page_title = "Inviter tous les partis"

    def sort_invitations(self):
        now = timezone.now()
        to_send, already_sent, closed = [], [], []
        for invitation in self.campaign.invitations.select_related("party"):
            invitation.campaign = self.campaign
            if invitation.emailed_at is not None:
                already_sent.append(invitation)
            elif not invitation.is_open(now) and not self.campaign.has_not_opened(now):
                closed.append(invitation)
            else:
                to_send.append(invitation)
        return to_send, already_sent, closed

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        to_send, already_sent, closed = self.sort_invitations()
        context.update(
            campaign=self.campaign, to_send=to_send, already_sent=already_sent, closed=closed
        )
        return context

    def post(self, request, *args, **kwargs):
        to_send, already_sent, closed = self.sort_invitations()
        address = base_url(request)
        for invitation in to_send:
            send_invitation_email.enqueue(invitation.pk, address, request.user.pk)
        skipped = len(already_sent) + len(closed)
        if to_send:
            message = f"{_count(len(to_send), 'invitation', 'invitations')} en cours d’envoi."
        else:
            message = "Aucune invitation à envoyer."
        if skipped:
            message += (
                f" {_count(skipped, 'parti ignoré', 'partis ignorés')} (lien déjà envoyé ou "
                "date limite passée)."
            )
        messages.success(request, message)
        return redirect(board_url(self.campaign))


def _count(n, singular, plural):
    return f"{n} {singular if n == 1 else plural}"


class ExtendDeadlineView(CampaignObjectView):
    """« Prolonger pour ce parti »: a later deadline for one party, logged; its reminders are
    planned again for the new date. A refused date comes back here with its message."""

    template_name = "campaigns/admin/extend_deadline.html"
    permission = MANAGE_INVITATIONS
    page_title = "Prolonger pour ce parti"

    def dispatch(self, request, *args, **kwargs):
        require(request, self.permission)
        self.invitation = get_object_or_404(
            Invitation.objects.select_related("party", "campaign"), pk=kwargs["pk"]
        )
        self.campaign = self.invitation.campaign
        return super(CampaignObjectView, self).dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.invitation.party.name

    def get_form(self):
        data = self.request.POST if self.request.method == "POST" else None
        form = DeadlineExtensionForm(data, invitation=self.invitation, now=timezone.now())
        if data is not None and not form.is_valid():
            form.fields["deadline"].widget.attrs.update(
                {"aria-invalid": "true", "aria-describedby": "prolonger-erreur"}
            )
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.get_form())
        context.update(
            invitation=self.invitation,
            campaign=self.campaign,
            closes_on=french_datetime(self.invitation.closes_at),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        invitation = self.invitation
        previous = invitation.closes_at
        invitation.deadline = form.cleaned_data["deadline"]
        invitation.save(update_fields=["deadline"])
        log(
            invitation,
            "campaigns.deadline_extended",
            user=request.user,
            data={"deadline": invitation.deadline.isoformat(), "previous": previous.isoformat()},
        )
        schedule_reminders([invitation], base_url=base_url(request))
        messages.success(
            request,
            f"Date limite de {invitation.party} prolongée jusqu’au "
            f"{french_datetime(invitation.deadline)}.",
        )
        return redirect(board_url(self.campaign))


class InvitationActionView(WagtailAdminTemplateMixin, TemplateView):
    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        require(request, MANAGE_INVITATIONS)
        self.invitation = get_object_or_404(
            Invitation.objects.select_related("party", "campaign"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)


class RenewLinkView(InvitationActionView):
    def post(self, request, *args, **kwargs):
        self.invitation.renew_link()
        log(self.invitation, "campaigns.link_renewed", user=request.user)
        messages.success(
            request,
            f"Nouveau lien créé pour {self.invitation.party}. L’ancien lien ne fonctionne plus.",
        )
        return redirect(board_url(self.invitation.campaign))


class EmailLinkView(InvitationActionView):
    """« Envoyer par courriel »: sends the link now, even if it was sent before."""

    def post(self, request, *args, **kwargs):
        invitation = self.invitation
        try:
            email_invitation(invitation, base_url(request), request.user)
        except (smtplib.SMTPException, OSError):
            messages.error(
                request,
                "Le courriel n’a pas pu partir (serveur de courriel injoignable). Réessayez plus "
                "tard ou copiez le lien.",
            )
        else:
            messages.success(request, f"Invitation envoyée à {invitation.party.contact_email}.")
        return redirect(board_url(invitation.campaign))


class CampaignCopyForm(forms.ModelForm):
    """« Copier la campagne »: the copy's name, slug and dates, checked as a campaign's are
    (unique slug, deadline after the opening, publication after the deadline)."""

    class Meta:
        model = Campaign
        fields = ["name", "slug", "opens_at", "closes_at", "publish_at"]
        widgets = {
            "name": forms.TextInput(
                attrs={
                    "data-controller": "w-sync",
                    "data-action": "focus->w-sync#check blur->w-sync#apply "
                    "change->w-sync#apply keyup->w-sync#apply",
                    "data-w-sync-target-value": "#id_slug",
                }
            ),
            "slug": SlugInput,
            "opens_at": FrenchDateTimeInput,
            "closes_at": FrenchDateTimeInput,
            "publish_at": FrenchDateTimeInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in CampaignForm.DATE_FIELDS:
            self.fields[name].error_messages["invalid"] = CampaignForm.DATE_ERROR


class CopyView(CampaignObjectView):
    """« Copier la campagne »: the next election's campaign, from this one (Campaign.copy),
    once its name, slug and dates are given; logged on both campaigns."""

    template_name = "campaigns/admin/copy.html"
    permission = ADD_CAMPAIGN
    page_title = "Copier la campagne"

    def get_page_subtitle(self):
        return self.campaign.name

    def get_form(self):
        if self.request.method == "POST":
            return CampaignCopyForm(self.request.POST)
        name = f"{self.campaign.name} (copie)"
        # The slug starts in step with the name, so that the name keeps filling it.
        return CampaignCopyForm(initial={"name": name, "slug": slugify(name)})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.get_form())
        context.update(
            campaign=self.campaign,
            questionnaires=list(self.campaign.questionnaires.all()),
            parties=[i.party for i in self.campaign.invitations.select_related("party")],
        )
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        copy = self.campaign.copy(**form.cleaned_data)
        log(copy, "campaigns.copied", user=request.user, data={"source": self.campaign.name})
        schedule_campaign_reminders(copy, base_url=base_url(request))
        messages.success(
            request,
            f"Campagne « {copy.name} » créée à partir de « {self.campaign.name} ». Placez ses "
            "questionnaires sur les pages thèmes, puis invitez les partis.",
        )
        return redirect(board_url(copy))


# Responses


class ResponseFilterSet(WagtailFilterSet):
    campaign = django_filters.ModelChoiceFilter(
        field_name="questionnaire__campaign",
        queryset=Campaign.objects.all(),
        label="Campagne",
    )
    submitted_only = django_filters.BooleanFilter(
        field_name="submitted_at",
        lookup_expr="isnull",
        exclude=True,
        label="Soumises seulement",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = Response
        fields = ["questionnaire", "party", "status"]


class ResponseIndexView(FormulaSafeExportMixin, IndexView):
    """The responses, filtered by campaign, questionnaire, party or status; exported with one
    row per response and two columns (answer, explanation) per question of the questionnaires
    listed. A CSV separated by semicolons opens directly in French spreadsheet programs."""

    FORMAT_CSV_FR = "csv-fr"
    FORMATS = (*IndexView.FORMATS, FORMAT_CSV_FR)
    export_filename = "reponses"
    base_export_fields = ["party", "questionnaire", "status_label", "submitted_by", "submitted_on"]
    export_headings = {
        "party": "Parti",
        "questionnaire": "Questionnaire",
        "status_label": "Statut",
        "submitted_by": "Répondant·e",
        "submitted_on": "Soumise le",
    }

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("party", "questionnaire__campaign")

    def get(self, request, *args, **kwargs):
        if self.is_export and not request.user.has_perm(EXPORT_RESPONSES):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        responses = list(queryset)
        questionnaires = list(
            Questionnaire.objects.filter(pk__in={r.questionnaire_id for r in responses})
            .select_related("campaign")
            .prefetch_related("questions")
        )
        self.columns_of_questions = records.question_columns(questionnaires)
        headings = records.question_headings(self.columns_of_questions)
        self.list_export = self.base_export_fields + [f"q{n}" for n in range(len(headings))]
        self.export_headings = {
            **type(self).export_headings,
            **{f"q{n}": heading for n, heading in enumerate(headings)},
        }
        for campaign in {q.campaign for q in questionnaires}:
            log(
                campaign,
                "campaigns.exported",
                user=self.request.user,
                data={"format": spreadsheet_format, "rows": len(responses)},
            )
        if spreadsheet_format == self.FORMAT_CSV_FR:
            return self.write_csv_response(responses, delimiter=";")
        return super().as_spreadsheet(responses, spreadsheet_format)

    def write_csv_response(self, queryset, delimiter=","):
        response = StreamingHttpResponse(
            self.stream_csv(queryset, delimiter), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.csv"'
        return response

    def stream_csv(self, queryset, delimiter=","):
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export, delimiter=delimiter)
        # A byte order mark first, so that spreadsheet programs read the accents as UTF-8.
        yield "\ufeff".encode() + writer.writerow(
            {field: self.export_headings[field] for field in self.list_export}
        )
        for item in queryset:
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def get_heading(self, queryset, field):
        return self.export_headings.get(field, field)

    def to_row_dict(self, item):
        reading = Reading(item.questionnaire.campaign, TEAM)
        submitted = item.submitted_at is not None
        row = {
            "party": item.party.name,
            "questionnaire": item.questionnaire.title,
            "status_label": reading.status(item)[1],
            "submitted_by": item.submitted_by if submitted else "",
            "submitted_on": timezone.localtime(item.submitted_at).strftime("%Y-%m-%d %H:%M")
            if submitted
            else "",
        }
        cells = records.answer_cells(
            self.columns_of_questions, item.questionnaire_id, reading.answers(item)
        )
        row.update({f"q{n}": cell for n, cell in enumerate(cells)})
        return row

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.request.user.has_perm(EXPORT_RESPONSES):
            buttons.append(
                Button(
                    "Télécharger CSV (points-virgules, Excel en français)",
                    url=self.get_export_url(self.FORMAT_CSV_FR),
                    icon_name="download",
                    priority=95,
                )
            )
        else:
            buttons = [b for b in buttons if "export=" not in (b.url or "")]
        return buttons


class ResponseHistoryView(HistoryView):
    """The audit trail of a response, for whoever may read responses (they are never edited)."""

    any_permission_required = ["view"]


class ResponseInspectView(InspectView):
    """A response in full: every version, drafts and submissions, and a diff between two."""

    template_name = "campaigns/admin/response_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Response.objects.select_related("party", "questionnaire__campaign"),
            pk=self.pk,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = list(self.object.versions.all())
        context["response"] = self.object
        context["versions"] = versions
        context["board_url"] = board_url(self.object.questionnaire.campaign)
        by_number = {v.number: v for v in versions}
        try:
            a = by_number.get(int(self.request.GET.get("de", "")))
            b = by_number.get(int(self.request.GET.get("a", "")))
        except ValueError:
            a = b = None
        if a is None and b is None and len(versions) >= 2:
            a, b = versions[1], versions[0]
        if a is not None and b is not None:
            context["diff"] = {"from": a, "to": b, "questions": version_diff(a, b)}
        return context


def version_diff(older, newer):
    """Question by question, what changed from one version to another, word by word."""
    before = {a.key: a for a in older.answer_list()}
    rows = []
    for answer in newer.answer_list():
        previous = before.get(answer.key)
        old_text = diff.answer_text(previous) if previous else ""
        new_text = diff.answer_text(answer)
        rows.append(
            {
                "title": answer.title,
                "changed": old_text != new_text,
                "html": diff.word_diff(old_text, new_text, hidden="w-sr-only"),
            }
        )
    return rows
