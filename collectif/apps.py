from django.apps import AppConfig


class CollectifConfig(AppConfig):
    name = "collectif"
    verbose_name = "Collectif petite enfance"

    def ready(self):
        from . import cache, moderation, signals  # noqa: F401 - signals connects its receivers

        cache.connect_signals()
        # Before wagtail.admin's ready(): our review emails take the place of Wagtail's.
        moderation.connect()
