from django.apps import AppConfig


class BoussoleConfig(AppConfig):
    name = "boussole"
    verbose_name = "La boussole"
