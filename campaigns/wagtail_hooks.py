from datetime import datetime

from django.urls import path

from wagtail import hooks
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from collectif.content.links import base_url

from . import admin_views
from .answers import french_datetime
from .models import Campaign, Party, Questionnaire, Response
from .tasks import schedule_campaign_reminders


class PublicationColumn(Column):
    def get_value(self, instance):
        if instance.results_are_public():
            return "Publiées"
        if instance.publish_at:
            return "Programmées"
        return "Non publiées"


class CampaignViewSet(SnippetViewSet):
    model = Campaign
    icon = "date"
    menu_label = "Campagnes"
    list_display = [
        "name",
        "opens_at",
        "closes_at",
        PublicationColumn("publication", label="Réponses"),
        TitleColumn(
            "board",
            label="Suivi",
            accessor=lambda campaign: "Tableau de bord",
            get_url=lambda campaign: admin_views.board_url(campaign),
        ),
    ]
    search_fields = ["name"]

    @property
    def board_view(self):
        return admin_views.BoardView.as_view()

    @property
    def publish_view(self):
        return admin_views.PublishView.as_view()

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("tableau/<int:pk>/", self.board_view, name="board"),
            path("publier/<int:pk>/", self.publish_view, name="publish"),
            path("copier/<int:pk>/", admin_views.CopyView.as_view(), name="copy_campaign"),
            path(
                "invitation/<int:pk>/renouveler/",
                admin_views.RenewLinkView.as_view(),
                name="renew_link",
            ),
            path(
                "invitation/<int:pk>/envoyer/",
                admin_views.EmailLinkView.as_view(),
                name="email_link",
            ),
            path("inviter/<int:pk>/", admin_views.InviteAllView.as_view(), name="invite_all"),
            path(
                "invitation/<int:pk>/prolonger/",
                admin_views.ExtendDeadlineView.as_view(),
                name="extend_deadline",
            ),
        ]


class QuestionnaireViewSet(SnippetViewSet):
    model = Questionnaire
    icon = "form"
    menu_label = "Questionnaires"
    list_display = ["title", "campaign"]
    list_filter = ["campaign"]
    search_fields = ["title"]


class PartyViewSet(SnippetViewSet):
    model = Party
    icon = "group"
    menu_label = "Partis"
    list_display = ["name", "short_name", "contact_email"]
    search_fields = ["name"]


class CampaignsGroup(SnippetViewSetGroup):
    items = (CampaignViewSet, QuestionnaireViewSet, PartyViewSet)
    menu_icon = "form"
    menu_label = "Campagnes"
    menu_name = "campagnes"
    menu_order = 250


register_snippet(CampaignsGroup)


class ResponseViewSet(ModelViewSet):
    """The parties' responses, read-only: what a party sent is never edited by the team."""

    model = Response
    icon = "table"
    # Short enough for the sidebar: « Réponses aux campagnes » was cut.
    menu_label = "Réponses des partis"
    menu_name = "reponses"
    menu_order = 260
    add_to_admin_menu = True
    url_prefix = "campagnes-reponses"
    url_namespace = "campaigns_response"
    index_view_class = admin_views.ResponseIndexView
    inspect_view_enabled = True
    inspect_view_class = admin_views.ResponseInspectView
    history_view_class = admin_views.ResponseHistoryView
    copy_view_enabled = False
    list_display = [
        "party",
        Column("questionnaire", label="Questionnaire", accessor="questionnaire.title"),
        Column("campaign", label="Campagne", accessor="questionnaire.campaign"),
        "status",
        "submitted_at",
        "updated_at",
    ]
    filterset_class = admin_views.ResponseFilterSet
    list_export = admin_views.ResponseIndexView.base_export_fields
    # Never routed (read-only), but the viewset builds its form class.
    form_fields = ["status"]

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs.update(add_url_name=None, edit_url_name=None, delete_url_name=None)
        return view_kwargs

    def get_urlpatterns(self):
        read_only = {"index", "index_results", "inspect", "history", "history_results"}
        return [p for p in super().get_urlpatterns() if p.name in read_only]

    def get_permissions_to_register(self):
        return (
            super()
            .get_permissions_to_register()
            .filter(codename__in=["view_response", "export_response"])
        )


@hooks.register("register_admin_viewset")
def register_response_viewset():
    return ResponseViewSet()


@hooks.register("construct_homepage_panels")
def add_open_campaigns_panel(request, panels):
    """The campaign team finds its open campaigns on the dashboard, linking to their boards."""
    if request.user.has_perm(admin_views.VIEW_RESPONSES):
        panels.append(admin_views.OpenCampaignsPanel())


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def plan_campaign_reminders(request, instance):
    """A campaign saved (its offsets, its deadline, its invitations): its reminders are planned
    again; those already planned or sent are left as they are."""
    if isinstance(instance, Campaign):
        schedule_campaign_reminders(instance, base_url=base_url(request))


@hooks.register("register_log_actions")
def register_campaign_log_actions(actions):
    """The audit trail of invitations and responses, in the words of the team."""
    simple = {
        "campaigns.link_emailed": ("Lien privé envoyé", "Lien privé envoyé par courriel"),
        "campaigns.link_opened": ("Lien privé ouvert", "Lien privé ouvert par le parti"),
        "campaigns.link_renewed": (
            "Lien privé renouvelé",
            "Lien privé renouvelé : l’ancien ne fonctionne plus",
        ),
        "campaigns.entry_started": (
            "Saisie au nom du parti",
            "Saisie des réponses au nom du parti commencée par un membre de l’équipe",
        ),
    }
    for action, (label, message) in simple.items():
        actions.register_action(action, label, message)

    @actions.register_action("campaigns.draft_saved")
    class DraftSaved(LogFormatter):
        label = "Brouillon enregistré"

        def format_message(self, log_entry):
            return "Brouillon enregistré " + _by_whom(log_entry)

    @actions.register_action("campaigns.submitted")
    class Submitted(LogFormatter):
        label = "Réponses soumises"

        def format_message(self, log_entry):
            message = (
                f"Réponses soumises par {log_entry.data.get('respondent', '?')} "
                f"(version {log_entry.data.get('version', '?')})"
            )
            if log_entry.data.get("entered_by"):
                message += f", saisies {_by_whom(log_entry)}"
            return message

    @actions.register_action("campaigns.exported")
    class Exported(LogFormatter):
        label = "Réponses exportées"

        def format_message(self, log_entry):
            return (
                f"Réponses exportées ({log_entry.data.get('format', '?').upper()}, "
                f"{log_entry.data.get('rows', 0)} lignes)"
            )

    @actions.register_action("campaigns.deadline_extended")
    class DeadlineExtended(LogFormatter):
        label = "Date limite prolongée"

        def format_message(self, log_entry):
            return f"Date limite prolongée pour ce parti jusqu’au {_logged_date(log_entry)}"

    @actions.register_action("campaigns.reminder_sent")
    class ReminderSent(LogFormatter):
        label = "Rappel envoyé"

        def format_message(self, log_entry):
            return (
                f"Rappel envoyé ({log_entry.data.get('days_before', '?')} j avant la date limite "
                f"du {_logged_date(log_entry)})"
            )

    @actions.register_action("campaigns.copied")
    class Copied(LogFormatter):
        label = "Campagne copiée"

        def format_message(self, log_entry):
            return f"Campagne créée par copie de « {log_entry.data.get('source', '?')} »"

    @actions.register_action("campaigns.published")
    class Published(LogFormatter):
        label = "Réponses publiées"

        def format_message(self, log_entry):
            if log_entry.data.get("before_deadline"):
                return "Réponses publiées avant la date limite"
            return "Réponses publiées"


def _by_whom(log_entry):
    """Who wrote a version: the party, or a team member on its behalf."""
    entered_by = log_entry.data.get("entered_by")
    if entered_by:
        return f"par {entered_by} (équipe du Collectif) au nom du parti"
    return "par le parti"


def _logged_date(log_entry):
    try:
        return french_datetime(datetime.fromisoformat(log_entry.data.get("deadline", "")))
    except (TypeError, ValueError):
        return "?"
