from django.apps import AppConfig

from wagtail.users.apps import WagtailUsersAppConfig


class CollectifConfig(AppConfig):
    # The default config of the app: this module also holds UsersConfig.
    default = True
    name = "collectif"
    verbose_name = "Collectif petite enfance"

    def ready(self):
        from . import cache, moderation, signals  # noqa: F401 - signals connects its receivers

        cache.connect_signals()
        # Before wagtail.admin's ready(): our review emails take the place of Wagtail's.
        moderation.connect()


class UsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app, with the account screens that hold the rule of who manages whom
    (collectif/accounts.py)."""

    user_viewset = "collectif.accounts.UserViewSet"
