from django.core.management.base import BaseCommand

from campaigns.submissions import count_submissions


class Command(BaseCommand):
    help = (
        "Counts again each party response's submissions (the number of its next version): "
        "once every server runs a version of the site that keeps the count (campaigns "
        "migration 0010), after a deploy made server by server."
    )

    def handle(self, *args, **options):
        responses = count_submissions()
        self.stdout.write(f"Soumissions recomptées; réponses : {responses}.")
