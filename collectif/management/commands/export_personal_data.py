import json

from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.utils import timezone

from collectif.privacy import export


class Command(BaseCommand):
    help = (
        "Écrit en JSON tout ce que le site garde sur une adresse courriel (demande d’accès, "
        "Loi 25) : abonnement à l’infolettre, personne-ressource d’un parti. L’export est "
        "journalisé."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="L’adresse de la personne qui fait la demande.")

    def handle(self, *args, email, **options):
        try:
            validate_email(email.strip())
        except Exception as error:
            raise CommandError(f"Adresse courriel invalide : {email}") from error
        data = {
            "adresse": email.strip(),
            "exporte_le": timezone.localtime().isoformat(),
            **export(email),
        }
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
