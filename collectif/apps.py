from django.apps import AppConfig


class CollectifConfig(AppConfig):
    name = "collectif"
    verbose_name = "Collectif petite enfance"

    def ready(self):
        from . import signals  # noqa: F401
