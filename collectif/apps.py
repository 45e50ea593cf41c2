from django.apps import AppConfig

from wagtail.users.apps import WagtailUsersAppConfig


class CollectifConfig(AppConfig):
    # The default config of the app: this module also holds UsersConfig.
    default = True
    name = "collectif"
    verbose_name = "Collectif petite enfance"

    def ready(self):
        # Here, once the apps are loaded: these modules use models. `signals` connects its
        # receivers by being imported.
        from .delivery import cache  # the page cache connects its receivers below
        from .operations import signals  # noqa: F401
        from .team import moderation  # its receivers replace Wagtail's review emails

        cache.connect_signals()
        # Before wagtail.admin's ready(): our review emails take the place of Wagtail's.
        moderation.connect()


class UsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app, with the account screens that hold the rule of who manages whom
    (collectif/protection/accounts.py)."""

    user_viewset = "collectif.protection.accounts.UserViewSet"
