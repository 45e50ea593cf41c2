from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.userbar import ContentCheckerItem

from collectif import accounts


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
