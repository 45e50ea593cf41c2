from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "site_search"
    verbose_name = "Recherche"

    def ready(self):
        from . import signals  # noqa: F401  (connects the receivers: the apps must be loaded)
