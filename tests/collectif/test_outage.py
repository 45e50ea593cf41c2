"""PostgreSQL unreachable: cached public pages are still served, anything else is a French
503 page with Retry-After (never a traceback), and the site comes back by itself."""

import logging
import socket
from contextlib import contextmanager

from django.db import connection
from django.test import Client

import pytest

from tests.home.factories import build_site_tree

# A stopped server is a PostgreSQL matter: SQLite opens its file whatever the host and port.
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only: a server that stops answering"
)


def dead_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def database_down(monkeypatch):
    """Every new connection of this process is refused, as when PostgreSQL is stopped."""
    connection.close()
    with monkeypatch.context() as patch:
        patch.setitem(connection.settings_dict, "HOST", "127.0.0.1")
        patch.setitem(connection.settings_dict, "PORT", dead_port())
        yield
        connection.close()


@pytest.fixture
def site_tree(db):
    from wagtail.models import Page

    if not Page.objects.filter(depth=1).exists():
        # An earlier transactional test flushed the tree that the migrations made.
        from home.demo import _make_tree_root

        _make_tree_root()
    return build_site_tree()


def assert_outage_page(response):
    text = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert "Le site est momentanément indisponible" in text
    assert "Traceback" not in text and "OperationalError" not in text
    assert "<script" not in text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_database_down_a_reader_gets_the_cached_page_or_a_french_503(
    site_tree, monkeypatch, caplog
):
    reader = Client(raise_request_exception=False)
    cached, uncached = site_tree["platform"].url, site_tree["standard"].url
    assert reader.get(cached).status_code == 200

    with database_down(monkeypatch), caplog.at_level(logging.WARNING):
        # Already in the page cache: served as if nothing happened.
        response = reader.get(cached)
        assert response.status_code == 200 and response["X-Cache"] == "HIT"
        # Not in it: the outage page, logged once at ERROR.
        assert_outage_page(reader.get(uncached))
        errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert [r.name for r in errors] == ["django.request"]
        # A party's form sent meanwhile: the same page, nothing half done.
        assert_outage_page(reader.post("/campagnes/acces/x/", {"texte": "ma réponse"}))

    # PostgreSQL is back: the next request reconnects, nothing to restart.
    assert reader.get(uncached).status_code == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_database_down_a_page_renewed_just_before_keeps_its_previous_copy(site_tree, monkeypatch):
    from collectif.delivery import cache

    reader = Client(raise_request_exception=False)
    # The platform page reads its pillars at each render: it needs the database.
    platform = site_tree["platform"].url
    assert reader.get(platform).status_code == 200
    # A change renewed its address (as a correction renews a campaign's pages); the whole
    # site renewed nothing.
    cache.renew_paths([platform], "essai", proxy=False)
    with database_down(monkeypatch):
        response = reader.get(platform)
        assert response.status_code == 200 and response["X-Cache"] == "STALE"
        assert response["Cache-Control"] == "no-store"
    # A change the whole site shows (a page made private, unpublished) is never undone by an
    # outage: no previous copy then.
    cache.bump("essai")
    with database_down(monkeypatch):
        assert_outage_page(reader.get(platform))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_any_other_error_keeps_the_ordinary_500_page(site_tree, monkeypatch):
    from wagtail.models import Page

    def broken(*args, **kwargs):
        raise RuntimeError("a bug, not an outage")

    monkeypatch.setattr(Page, "serve", broken)
    response = Client(raise_request_exception=False).get(site_tree["standard"].url)
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()
    assert "Retry-After" not in response
