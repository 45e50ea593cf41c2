"""/sante/ answers 200 only when the database, the cache and the task queue are fine."""

import json
from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

import pytest
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.collectif.worker_tasks import always_fails

pytestmark = pytest.mark.django_db

CLOSED_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        # Nothing listens on port 1: every command fails at once.
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


def checks(response):
    body = json.loads(response.content)
    return body["statut"], body["verifications"]


def test_healthy_server_answers_200_never_cached(client):
    response = client.get("/sante/")
    assert response.status_code == 200
    assert checks(response) == (
        "ok",
        {"base_de_donnees": "ok", "cache": "ok", "taches": "ok"},
    )
    assert "no-store" in response["Cache-Control"]
    assert "X-Cache" not in response
    # Asked twice, it checks twice: never answered from the page cache.
    assert "X-Cache" not in client.get("/sante/")


def test_unreachable_cache_answers_503_without_detail(client):
    with override_settings(CACHES=CLOSED_REDIS):
        response = client.get("/sante/")
    assert response.status_code == 503
    status, results = checks(response)
    assert status == "erreur"
    assert results == {"base_de_donnees": "ok", "cache": "erreur", "taches": "ok"}
    # No address, port or exception text in the body.
    assert b"127.0.0.1" not in response.content
    assert b"redis" not in response.content.lower()


def _task(age, **fields):
    always_fails.enqueue()
    result = DBTaskResult.objects.latest("enqueued_at")
    DBTaskResult.objects.filter(pk=result.pk).update(enqueued_at=timezone.now() - age, **fields)
    return result


def test_a_task_waiting_too_long_answers_503(client, settings):
    settings.HEALTH_TASK_MAX_AGE = 300
    _task(timedelta(seconds=60))
    assert client.get("/sante/").status_code == 200
    _task(timedelta(minutes=10))
    response = client.get("/sante/")
    assert response.status_code == 503
    assert checks(response)[1]["taches"] == "erreur"


def test_tasks_scheduled_later_or_finished_do_not_count(client, settings):
    settings.HEALTH_TASK_MAX_AGE = 300
    # Enqueued long ago to run in an hour (a retried email): not late.
    _task(timedelta(hours=2), run_after=timezone.now() + timedelta(hours=1))
    # Finished long ago.
    _task(timedelta(hours=2), status=TaskResultStatus.SUCCESSFUL)
    assert client.get("/sante/").status_code == 200


def test_unreachable_database_answers_503(client, monkeypatch):
    from collectif.operations import health

    def refuse():
        raise OSError("connection refused to postgres://secret@db:5432")

    monkeypatch.setitem(health.CHECKS, "base_de_donnees", refuse)
    response = client.get("/sante/")
    assert response.status_code == 503
    assert checks(response)[1]["base_de_donnees"] == "erreur"
    assert b"secret" not in response.content


def test_ping_is_a_bare_view(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/sante/ping")
    assert response.status_code == 200
    assert response.content == b"ok"
