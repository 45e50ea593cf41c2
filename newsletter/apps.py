from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = "Infolettre"

    def ready(self):
        from . import signals  # noqa: F401 - connects its receivers
