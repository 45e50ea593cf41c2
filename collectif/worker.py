"""Background tasks that a dead worker left RUNNING are run again.

`manage.py db_worker` marks a task RUNNING when it takes it, and SUCCESSFUL or FAILED when it
ends. A worker killed in between (a deploy, the machine restarted, out of memory) leaves the
task RUNNING forever: no other worker would take it. After a lease (TASK_LEASE_SECONDS, far
longer than any of our tasks takes), such a task is put back in the queue. Our tasks are
written to be run again safely: each email is marked sent once sent (campaigns'
ResponseVersion markers, newsletter confirmations only for unconfirmed addresses)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("collectif.tasks")


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


def enqueue_once(task, *args):
    """Enqueue `task(*args)` unless the same call already waits in the queue (READY): that one
    has not started, so it will see everything committed so far. Call it after the commit
    (transaction.on_commit): a burst of changes then makes one task, not one each."""
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,
        task_path=task.module_path,
        args_kwargs={"args": list(args), "kwargs": {}},
    ).exists()
    if not waiting:
        task.enqueue(*args)
    return not waiting
