import datetime

from django.utils import timezone

from wagtail.admin.filters import WagtailFilterSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

import django_filters

from collectif.protection.exports import FormulaSafeExportMixin

from .models import Follower, Subscriber

COLUMNS = ["email", "status", "created_at", "confirmed_at", "unsubscribed_at"]


def local_time(value):
    """A date and time as the team reads it in the list: local time, to the minute."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def local_naive(value):
    # A spreadsheet cell has no time zone: the team's local time.
    return timezone.make_naive(timezone.localtime(value))


class SubscriberFilterSet(WagtailFilterSet):
    """The subscribers by what the team asks: who confirmed, who left."""

    STATES = [
        ("confirmed", "Confirmé·e·s (abonné·e·s)"),
        ("pending", "En attente de confirmation"),
        ("unsubscribed", "Désabonné·e·s"),
    ]
    state = django_filters.ChoiceFilter(
        label="Statut", choices=STATES, method="filter_state", empty_label="Tous"
    )

    def filter_state(self, queryset, name, value):
        if value == "confirmed":
            return queryset.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)
        if value == "pending":
            return queryset.filter(confirmed_at__isnull=True, unsubscribed_at__isnull=True)
        if value == "unsubscribed":
            return queryset.filter(unsubscribed_at__isnull=False)
        return queryset

    class Meta:
        model = Subscriber
        fields = []


class SubscriberIndexView(FormulaSafeExportMixin, IndexView):
    custom_value_preprocess = {
        **IndexView.custom_value_preprocess,
        datetime.datetime: {
            "csv": local_time,
            "xlsx": local_naive,
        },
    }

    def stream_csv(self, queryset):
        # A byte order mark first, so that Excel opens the accents as UTF-8.
        yield "\ufeff"
        yield from super().stream_csv(queryset)


class SubscriberViewSet(SnippetViewSet):
    model = Subscriber
    icon = "mail"
    menu_label = "Infolettre"
    menu_order = 270
    add_to_admin_menu = True
    index_view_class = SubscriberIndexView
    # The export has the list's columns, in the same order.
    list_display = COLUMNS
    filterset_class = SubscriberFilterSet
    list_export = COLUMNS
    export_filename = "infolettre-abonnes"
    search_fields = ["email"]
    inspect_view_enabled = True


register_snippet(SubscriberViewSet)


FOLLOWER_COLUMNS = [
    "email",
    "campaign_name",
    "status",
    "created_at",
    "confirmed_at",
    "publication_sent_at",
    "digest_sent_at",
    "unsubscribed_at",
]


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Followers are read (and exported), never written by hand: a follow comes only from the
    person's own confirmation, and ends by their link or by the privacy commands."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete", "publish", "lock", "unlock"):
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [a for a in actions if a not in ("add", "change", "delete")]
        return super().users_with_any_permission(actions)


register_permission_policy(Follower, ReadOnlyPolicy(Follower))


class FollowerFilterSet(SubscriberFilterSet):
    """The followers by campaign and by what the team asks: who confirmed, who left."""

    class Meta:
        model = Follower
        fields = ["campaign"]


class FollowerViewSet(SnippetViewSet):
    model = Follower
    icon = "mail"
    menu_label = "Suivis de campagne"
    menu_order = 271
    add_to_admin_menu = True
    index_view_class = SubscriberIndexView
    list_display = FOLLOWER_COLUMNS
    filterset_class = FollowerFilterSet
    list_export = FOLLOWER_COLUMNS
    export_filename = "suivis-de-campagne"
    search_fields = ["email"]
    inspect_view_enabled = True

    def get_queryset(self, request):
        return Follower.objects.select_related("campaign")


register_snippet(FollowerViewSet)
