import datetime

from django.utils import timezone

from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

import django_filters

from collectif.exports import FormulaSafeExportMixin

from .models import Subscriber

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
