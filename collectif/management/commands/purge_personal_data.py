from django.core.management.base import BaseCommand

from collectif.privacy import purge


class Command(BaseCommand):
    help = (
        "Efface les données personnelles dont la durée de conservation est passée "
        "(docs/confidentialite.md) : inscriptions non confirmées après 7 jours, adresses "
        "désabonnées, résultats de tâches, termes de recherche, journal des connexions, noms "
        "des répondant·e·s. run_scheduler la lance chaque jour; chaque passage est journalisé."
    )

    def handle(self, *args, **options):
        for label, count in purge().items():
            self.stdout.write(f"{label} : {count}")
