from django.urls import include, path, re_path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import Campaign, Party, Questionnaire


class CampaignViewSet(SnippetViewSet):
    model = Campaign
    icon = "date"
    menu_label = "Campagnes"
    list_display = ["name", "opens_at", "closes_at", "results_published"]
    search_fields = ["name"]


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

admin_urls = (
    [
        path("", admin_views.CampaignIndexView.as_view(), name="index"),
        path("<int:pk>/tableau/", admin_views.BoardView.as_view(), name="board"),
        re_path(r"^(?P<pk>\d+)/export\.(?P<format>csv|xlsx)$", admin_views.export, name="export"),
        path("reponses/<int:pk>/", admin_views.ResponseDetailView.as_view(), name="response"),
        path(
            "invitations/<int:pk>/renouveler/",
            admin_views.regenerate_token,
            name="regenerate",
        ),
        path(
            "invitations/<int:pk>/envoyer/",
            admin_views.email_invitation,
            name="email_invitation",
        ),
    ],
    "campaigns_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("campagnes-reponses/", include(admin_urls))]


class ResponsesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.VIEW_RESPONSES)


@hooks.register("register_admin_menu_item")
def register_responses_menu_item():
    return ResponsesMenuItem(
        "Réponses aux campagnes",
        reverse("campaigns_admin:index"),
        icon_name="table",
        order=260,
    )
