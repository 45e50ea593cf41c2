from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from collectif.privacy import erase


class Command(BaseCommand):
    help = (
        "Efface ce que le site garde sur une adresse courriel (demande d’effacement, Loi 25) : "
        "l’abonnement à l’infolettre est supprimé; la personne-ressource d’un parti est "
        "effacée du parti (les réponses du parti, déclarations publiques, restent). "
        "L’effacement est journalisé."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="L’adresse de la personne qui fait la demande.")
        parser.add_argument("--yes", action="store_true", help="Ne pas demander de confirmation.")

    def handle(self, *args, email, yes, **options):
        try:
            validate_email(email.strip())
        except Exception as error:
            raise CommandError(f"Adresse courriel invalide : {email}") from error
        if not yes and options.get("interactive", True):
            answer = input(f"Effacer les données de {email}? Écrire « oui » pour confirmer : ")
            if answer.strip().lower() != "oui":
                raise CommandError("Rien n’a été effacé.")
        for label, count in erase(email).items():
            self.stdout.write(f"{label} : {count}")
