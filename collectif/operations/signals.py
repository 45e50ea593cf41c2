"""What the operators must find in the logs: a locked-out login, a failed background task; and
the failed logins counted for the slowdown and the alerts of collectif/protection/lockout.py."""

import logging

from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from axes.signals import user_locked_out
from django_tasks_db.compat import task_finished

from collectif.protection import lockout
from collectif.protection.ratelimit import client_ip

security_logger = logging.getLogger("collectif.protection.security")
tasks_logger = logging.getLogger("collectif.tasks")


@receiver(user_locked_out)
def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    security_logger.warning(
        "Connexion bloquée après des échecs répétés : compte « %s », adresse %s "
        "(débloquer : Paramètres › Comptes verrouillés)",
        username,
        ip_address,
    )
    lockout.alert(username, ip_address)


@receiver(user_login_failed)
def count_login_failure(sender, credentials=None, request=None, **kwargs):
    if request is not None:
        lockout.record_failure((credentials or {}).get("username"), client_ip(request))


@receiver(task_finished)
def log_failed_task(sender, task_result, **kwargs):
    status = getattr(task_result.status, "value", task_result.status)
    if status != "FAILED":
        return
    error = task_result.errors[-1] if task_result.errors else None
    tasks_logger.error(
        "Tâche en échec : %s (id %s) — %s",
        task_result.task.name if task_result.task else "?",
        task_result.id,
        error.exception_class_path if error else "erreur inconnue",
    )
