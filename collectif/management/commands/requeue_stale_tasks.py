from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand

from collectif.operations.worker import requeue_stale_tasks


class Command(BaseCommand):
    help = (
        "Remet dans la file les tâches de fond restées « en cours » plus longtemps que le bail "
        "(TASK_LEASE_SECONDS) : celles d’un travailleur arrêté brutalement. run_scheduler le "
        "fait à chaque passage."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--lease",
            type=int,
            default=None,
            help="Bail en secondes (défaut : TASK_LEASE_SECONDS).",
        )

    def handle(self, *args, lease, **options):
        seconds = settings.TASK_LEASE_SECONDS if lease is None else lease
        count = requeue_stale_tasks(timedelta(seconds=seconds))
        self.stdout.write(f"{count} tâche(s) remise(s) dans la file.")
