import datetime

from django.utils import timezone

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from collectif.exports import FormulaSafeExportMixin

from .models import Subscriber

COLUMNS = ["email", "status", "created_at", "confirmed_at", "unsubscribed_at"]


def local_time(value):
    """A date and time as the team reads it in the list: local time, to the minute."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def local_naive(value):
    # A spreadsheet cell has no time zone: the team's local time.
    return timezone.make_naive(timezone.localtime(value))


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
    list_filter = {"confirmed_at": ["isnull"], "unsubscribed_at": ["isnull"]}
    list_export = COLUMNS
    export_filename = "infolettre-abonnes"
    search_fields = ["email"]
    inspect_view_enabled = True


register_snippet(SubscriberViewSet)
