from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from collectif.exports import FormulaSafeExportMixin

from .models import Subscriber


class SubscriberIndexView(FormulaSafeExportMixin, IndexView):
    pass


class SubscriberViewSet(SnippetViewSet):
    model = Subscriber
    icon = "mail"
    menu_label = "Infolettre"
    menu_order = 270
    add_to_admin_menu = True
    index_view_class = SubscriberIndexView
    list_display = ["email", "status", "created_at", "confirmed_at"]
    list_filter = {"confirmed_at": ["isnull"], "unsubscribed_at": ["isnull"]}
    list_export = ["email", "status", "created_at", "confirmed_at", "unsubscribed_at"]
    export_filename = "infolettre-abonnes"
    search_fields = ["email"]
    inspect_view_enabled = True


register_snippet(SubscriberViewSet)
