from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import MemberOrganisation


class MemberOrganisationViewSet(SnippetViewSet):
    model = MemberOrganisation
    icon = "group"
    menu_label = "Organisations membres"
    list_display = ["name", "url"]
    search_fields = ["name"]
    add_to_admin_menu = False


register_snippet(MemberOrganisationViewSet)
