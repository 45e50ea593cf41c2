"""Background tasks survive their worker: a dead worker's tasks run again, and a worker
waits for the database instead of dying with it.

`manage.py db_worker` marks a task RUNNING when it takes it, and SUCCESSFUL or FAILED when it
ends. A worker killed in between (a deploy, the machine restarted, out of memory) leaves the
task RUNNING forever: no other worker would take it. After a lease (TASK_LEASE_SECONDS, far
longer than any of our tasks takes), such a task is put back in the queue. Our tasks are
written to be run again safely: each email is marked sent once sent (campaigns'
ResponseVersion markers, newsletter confirmations only for unconfirmed addresses).

PostgreSQL stopped or restarting: django-tasks-db's worker loop raises OperationalError and the
process exits. Ours (`manage.py db_worker`, collectif/management/commands/db_worker.py) logs it,
waits (0.5 s, then twice as long each time, at most DATABASE_RETRY_MAX_SECONDS), reconnects,
and goes on; a task cut off by the outage is put back in the queue at once, not marked failed.
run_scheduler waits the same way. A task that has just sent a mail marks it sent through
`once_the_database_answers`: a database down at that moment delays the mark, and the mail is
not sent again."""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections, transaction
from django.utils import timezone

from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("collectif.tasks")

DATABASE_ERRORS = (OperationalError, InterfaceError)
DATABASE_RETRY_FIRST_SECONDS = 0.5
DATABASE_RETRY_MAX_SECONDS = 10


def database_answers():
    try:
        connections.close_all()
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DATABASE_ERRORS:
        return False


def wait_for_database(who, error, sleep=time.sleep):
    """Logs that the database is gone, then waits (doubling the delay) until it answers."""
    logger.error(
        "Base de données injoignable (%s) : %s attend et se reconnecte",
        error.__class__.__name__,
        who,
    )
    started, delay = time.monotonic(), DATABASE_RETRY_FIRST_SECONDS
    while True:
        sleep(delay)
        if database_answers():
            break
        delay = min(delay * 2, DATABASE_RETRY_MAX_SECONDS)
    logger.warning(
        "Base de données de retour : %s reprend après %.0f s", who, time.monotonic() - started
    )


def once_the_database_answers(write, who="une tâche"):
    """Runs `write` (an idempotent write: a mail marked sent), waiting for the database as
    long as it takes: what was just done outside it (the mail went) is not done twice."""
    while True:
        try:
            return write()
        except DATABASE_ERRORS as error:
            wait_for_database(who, error)


class DatabaseLost(Exception):
    """A task cut off by the database, neither run nor failed."""


class ReconnectingWorker(Worker):
    """django-tasks-db's worker, which waits for the database instead of exiting."""

    def run(self):
        while True:
            try:
                return super().run()
            except (DatabaseLost, *DATABASE_ERRORS) as error:
                cause = error.__cause__ if isinstance(error, DatabaseLost) else error
                wait_for_database(f"le travailleur {self.worker_id}", cause)
                if isinstance(error, DatabaseLost):
                    put_back(error.args[0], self.worker_id)
                if not self.running:
                    return None
                # The next super().run() would wait its random start-up delay again.
                self.startup_delay = False

    def run_task(self, db_task_result):
        set_failed = db_task_result.set_failed

        def failed_unless_database(exception):
            # The task's error was the database's: it did not really run; it goes back to
            # the queue (ReconnectingWorker.run), instead of being marked FAILED.
            if isinstance(exception, DATABASE_ERRORS):
                raise DatabaseLost(db_task_result.pk) from exception
            set_failed(exception)

        db_task_result.set_failed = failed_unless_database
        super().run_task(db_task_result)


def put_back(result_id, worker_id):
    """A task this worker took and could not finish goes back to the queue."""
    back = DBTaskResult.objects.filter(pk=result_id, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None
    )
    if back:
        logger.warning(
            "Tâche remise dans la file après la coupure : id %s (travailleur %s)",
            result_id,
            worker_id,
        )


def requeue_stale_tasks(lease=None):
    """Put back in the queue every task RUNNING for longer than `lease` (a timedelta,
    TASK_LEASE_SECONDS by default). Returns the number of tasks requeued."""
    if lease is None:
        lease = timedelta(seconds=settings.TASK_LEASE_SECONDS)
    cutoff = timezone.now() - lease
    requeued = 0
    with transaction.atomic():
        stale = (
            DBTaskResult.objects.select_for_update(skip_locked=True)
            .filter(status=TaskResultStatus.RUNNING, started_at__lte=cutoff)
            .only("id", "task_path", "worker_ids", "started_at")
        )
        for result in stale:
            logger.warning(
                "Tâche reprise : %s (id %s), laissée en cours depuis %s par le travailleur %s",
                result.task_path,
                result.id,
                timezone.localtime(result.started_at).strftime("%Y-%m-%d %H:%M"),
                (result.worker_ids or ["?"])[-1],
            )
            DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY, started_at=None
            )
            requeued += 1
    return requeued


def failed_tasks(task, since=None):
    """The FAILED results of one task function (e.g. `send_submission_emails`), newest first,
    for a board to show: each has `args_kwargs`, `finished_at`, `exception_class_path`."""
    results = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED, task_path=task.module_path
    ).order_by("-finished_at")
    if since is not None:
        results = results.filter(finished_at__gte=since)
    return results


def enqueue_once(task, *args, delay=None):
    """Enqueue `task(*args)` unless the same call already waits in the queue (READY): that one
    has not started, so it will see everything committed so far. Call it after the commit
    (transaction.on_commit): a burst of changes then makes one task, not one each. With
    `delay` (a timedelta), the task waits that long before it runs: every change of that
    time joins it."""
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,
        task_path=task.module_path,
        args_kwargs={"args": list(args), "kwargs": {}},
    ).exists()
    if not waiting:
        if delay and task.get_backend().supports_defer:
            # (A backend that runs tasks at once, e.g. while the demo content loads, cannot.)
            task = task.using(run_after=timezone.now() + delay)
        task.enqueue(*args)
    return not waiting
