import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from collectif.content.links import absolute_url


class Command(BaseCommand):
    help = "Creates a demo superuser, and prints its login, when the site has no superuser yet."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write(
                f"Administration : {absolute_url('/admin/')}\n"
                "Un compte administrateur existe déjà. Mot de passe oublié : "
                "python manage.py changepassword <identifiant>"
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(
            username=username, email="admin@collectif-petite-enfance.example", password=password
        )
        self.stdout.write(
            self.style.SUCCESS("Compte administrateur de démonstration créé :")
            + f"\n  adresse       : {absolute_url('/admin/')}"
            f"\n  identifiant   : {username}"
            f"\n  mot de passe  : {password}"
            "\n(Ce mot de passe n’est affiché qu’une fois.)"
        )
