"""Personal data (Québec's Law 25): what is purged when its retention ends, and what a person
may ask to see or to erase, by email address. docs/confidentialite.md lists every datum.

Three registries, filled by each app in its `privacy.py` module (imported by `discover()`,
like wagtail_hooks), or here:

- `@register_purge("label")` on `fn(now) -> int`: called by `manage.py purge_personal_data`
  (and so daily by run_scheduler); returns how many records it purged or blanked.
- `@register_export("key")` on `fn(email) -> list[dict]`: what is stored about `email`, as
  JSON-ready dicts, for `manage.py export_personal_data EMAIL`.
- `@register_erase("label")` on `fn(email) -> int`: erases (or blanks) it, for
  `manage.py erase_personal_data EMAIL`; returns how many records it changed.
"""

import importlib
import importlib.util
import logging
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("collectif.privacy")

PURGES = {}
EXPORTS = {}
ERASES = {}

# The campaigns app registers its purge of respondent names under this label
# (`@register_purge(RESPONDENT_NAMES)` in campaigns/privacy.py); until it does, every purge
# says so in the logs.
RESPONDENT_NAMES = "noms des répondant·e·s"


def register_purge(label):
    def decorator(fn):
        PURGES[label] = fn
        return fn

    return decorator


def register_export(key):
    def decorator(fn):
        EXPORTS[key] = fn
        return fn

    return decorator


def register_erase(label):
    def decorator(fn):
        ERASES[label] = fn
        return fn

    return decorator


def discover():
    """Imports the `privacy` module of each of the project's own apps, so that its
    registrations are made."""
    for app_config in apps.get_app_configs():
        if not str(app_config.path).startswith(str(settings.BASE_DIR)):
            continue
        module = f"{app_config.name}.privacy"
        if importlib.util.find_spec(module) is not None:
            importlib.import_module(module)


def retention(name):
    """Days to keep one kind of datum (settings.PERSONAL_DATA_RETENTION_DAYS)."""
    return timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS[name])


def mask(email):
    """An address as the logs may show it: enough to recognise a request, not to read it."""
    local, _, domain = (email or "").partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def purge(now=None):
    """Runs every registered purge; returns {label: count}, and logs the run."""
    discover()
    now = now or timezone.now()
    counts = {}
    for label, fn in PURGES.items():
        with transaction.atomic():
            counts[label] = fn(now)
    if RESPONDENT_NAMES not in PURGES:
        logger.warning("Purge des %s : non faite (aucune fonction enregistrée)", RESPONDENT_NAMES)
    logger.info(
        "Purge des données personnelles : %s",
        "; ".join(f"{label} : {count}" for label, count in counts.items()),
    )
    return counts


def export(email):
    discover()
    data = {key: fn(email) for key, fn in EXPORTS.items()}
    logger.info("Export des données personnelles de %s", mask(email))
    return data


def erase(email):
    discover()
    counts = {}
    with transaction.atomic():
        for label, fn in ERASES.items():
            counts[label] = fn(email)
    logger.info(
        "Effacement des données personnelles de %s : %s",
        mask(email),
        "; ".join(f"{label} : {count}" for label, count in counts.items()),
    )
    return counts


def when(value):
    return timezone.localtime(value).isoformat() if value else None


# Site-wide data: background task results, search terms, login records.


@register_purge("résultats de tâches terminées")
def purge_task_results(now):
    deleted, _ = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
        finished_at__lt=now - retention("task_results"),
    ).delete()
    return deleted


@register_purge("journal des connexions à l’administration")
def purge_login_records(now):
    cutoff = now - retention("login_records")
    count = AccessLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
    count += AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
    count += AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()[0]
    return count
