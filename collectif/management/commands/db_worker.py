"""`manage.py db_worker`: django-tasks-db's worker, which outlives a database outage
(collectif.operations.worker.ReconnectingWorker). Same options."""

from django_tasks_db.management.commands import db_worker

from collectif.operations.worker import ReconnectingWorker


class Command(db_worker.Command):
    help = (
        "Exécute les tâches de fond (courriels, purges du mandataire, index). Si la base de "
        "données ne répond plus, attend et se reconnecte au lieu de s’arrêter."
    )

    def handle(self, *args, **options):
        # The parent builds its Worker by name from its own module.
        original = db_worker.Worker
        db_worker.Worker = ReconnectingWorker
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original
