from urllib.parse import urlsplit

from django.contrib import messages
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format

from wagtail import hooks
from wagtail.admin import messages as admin_messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.userbar import ContentCheckerItem

from collectif.protection import accounts


class CollectifContentChecker(ContentCheckerItem):
    """Wagtail's accessibility checker, looking at what editors write: the content of the
    page (its <main>), not the site's header and footer which they cannot change, with two
    more rules that their content can break."""

    axe_include = ["main"]
    axe_run_only = [
        *ContentCheckerItem.axe_run_only,
        "image-alt",
        "list",
    ]
    axe_messages = {
        **ContentCheckerItem.axe_messages,
        "image-alt": {
            "error_name": "Image sans texte de remplacement",
            "help_text": "Décrivez l’image, ou cochez « décorative » si elle n’apporte rien.",
        },
        "list": {
            "error_name": "Liste mal construite",
            "help_text": "Utilisez les boutons de liste de l’éditeur plutôt que des tirets.",
        },
        "heading-order": {
            "error_name": "Niveau de titre sauté",
            "help_text": "Sous un titre H2, utilisez H3 avant H4. Le titre de la page est le H1.",
        },
    }


@hooks.register("construct_wagtail_userbar")
def use_the_collectif_checker(request, items, page=None):
    for position, item in enumerate(items):
        if isinstance(item, ContentCheckerItem):
            items[position] = CollectifContentChecker(in_editor=item.in_editor)


@hooks.register("before_bulk_action")
def guard_bulk_account_actions(request, action_type, objects, action):
    return accounts.refuse_bulk_actions_on_reserved_accounts(request, action_type, objects, action)


@hooks.register("register_admin_urls")
def register_locked_accounts_url():
    return [
        path(
            "comptes-verrouilles/",
            accounts.LockedAccountsView.as_view(),
            name="collectif_locked_accounts",
        )
    ]


class AccountManagerMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("auth.change_user")


@hooks.register("register_settings_menu_item")
def register_locked_accounts_menu_item():
    return AccountManagerMenuItem(
        "Comptes verrouillés",
        reverse("collectif_locked_accounts"),
        icon_name="lock",
        order=610,
    )


@hooks.register("register_log_actions")
def register_account_log_actions(actions):
    actions.register_action(accounts.UNLOCKED, "Compte débloqué", "Connexion débloquée")


@hooks.register("before_edit_page")
def tell_of_an_unpublished_draft(request, page):
    """An editor reopening a published page whose latest version is a draft (saved by hand or
    by the editor's autosave) is told so: the editor shows that draft, not the live page."""
    if request.method != "GET" or not page.live or not page.has_unpublished_changes:
        return
    if urlsplit(request.headers.get("Referer", "")).path == request.path:
        return  # back on the editor after saving: the editor knows
    draft = page.get_latest_revision()
    if draft is None or draft.pk == page.live_revision_id:
        return
    author = draft.user.get_full_name() or draft.user.get_username() if draft.user else ""
    messages.warning(
        request,
        f"Cette page a un brouillon non publié, enregistré le "
        f"{date_format(timezone.localtime(draft.created_at), 'DATETIME_FORMAT')}"
        f"{f' par {author}' if author else ''}. C’est ce brouillon que vous modifiez ; la "
        "version publiée reste en ligne. L’historique de la page permet de les comparer.",
    )


@hooks.register("after_edit_page")
def say_the_approved_page_is_published(request, page):
    """« Approuver et publier »: the reviewer is told that the page is now online, with a
    link to it (Wagtail only says it was updated)."""
    if request.POST.get("workflow-action-name") != "approve":
        return
    page.refresh_from_db()
    if page.live and not page.has_unpublished_changes and not page.workflow_in_progress:
        admin_messages.success(
            request,
            f"La page « {page.get_admin_display_title()} » est publiée.",
            buttons=[admin_messages.button(page.get_url(request), "Voir la page en ligne")],
        )
