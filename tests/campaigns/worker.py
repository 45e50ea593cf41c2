from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_queued_tasks():
    """Runs the due tasks one by one, with the worker of `manage.py db_worker`. The command's
    own loop closes idle database connections, which would end a test's transaction."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    while result := DBTaskResult.objects.ready().filter(backend_name="default").first():
        result.claim(worker.worker_id)
        worker.run_task(result)
