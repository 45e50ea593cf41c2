"""/sante/: whether this app server can serve the site, for a load balancer and monitoring.

200 only when the database answers, the shared cache (Redis) answers, and the task queue is
not stuck (the oldest task ready to run has waited less than HEALTH_TASK_MAX_AGE seconds);
503 otherwise. The body says which check failed, never why in detail (no address, no
password, no exception text): the details go to the log. Three cheap round trips, never
cached. /sante/ping answers without touching anything: the process is up."""

import logging
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import Case, F, Q, When
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

logger = logging.getLogger("collectif.operations.health")

OK, FAILED = "ok", "erreur"


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache():
    cache = caches["default"]
    key = "collectif:health"
    value = uuid.uuid4().hex
    cache.set(key, value, timeout=30)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not keep a value")


def oldest_ready_task_age(now=None):
    """Seconds the oldest task ready to run has waited (0 when none waits)."""
    now = now or timezone.now()
    # A task to run at once has the largest date as run_after: it waits since enqueued.
    immediate = get_date_max()
    ready = (
        DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        .filter(Q(run_after=immediate) | Q(run_after__lte=now))
        .annotate(
            waiting_since=Case(
                When(run_after=immediate, then=F("enqueued_at")), default=F("run_after")
            )
        )
        .order_by("waiting_since")
        .values_list("waiting_since", flat=True)
        .first()
    )
    if ready is None:
        return 0
    return max(0, (now - ready).total_seconds())


def check_tasks():
    age = oldest_ready_task_age()
    if age > settings.HEALTH_TASK_MAX_AGE:
        raise RuntimeError(f"the oldest ready task has waited {timedelta(seconds=int(age))}")


CHECKS = {"base_de_donnees": check_database, "cache": check_cache, "taches": check_tasks}


def run_checks():
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # any failure makes the server unhealthy
            logger.error("Vérification « %s » en échec : %s", name, error.__class__.__name__)
            logger.debug("Détail de « %s »", name, exc_info=True)
            results[name] = FAILED
        else:
            results[name] = OK
    return results


@never_cache
def health(request):
    started = time.monotonic()
    results = run_checks()
    healthy = all(value == OK for value in results.values())
    response = JsonResponse(
        {
            "statut": OK if healthy else FAILED,
            "verifications": results,
            "duree_ms": round((time.monotonic() - started) * 1000),
        },
        status=200 if healthy else 503,
    )
    response["Cache-Control"] = "no-store"
    return response


@never_cache
def ping(request):
    """The cheapest view of the site, through every middleware: the process answers."""
    response = HttpResponse("ok", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
