from django.core.management.base import BaseCommand

from collectif.team.translations import compile_all


class Command(BaseCommand):
    help = (
        "Builds the .mo files of collectif/locale from their .po sources (our French wording "
        "over Wagtail's), in plain Python. `make` runs it; run it at each deployment."
    )

    def handle(self, *args, **options):
        for path in compile_all():
            if options["verbosity"] > 1:
                self.stdout.write(f"{path}")
