import os
import shutil
from pathlib import Path

import pytest

# Playwright's synchronous API runs an event loop in the test's thread; the live server and
# the test's own database calls are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    # Our French wording over Wagtail's, as `make` builds it, before any string is translated.
    from django.utils.translation import trans_real

    from collectif.team.translations import compile_all

    if compile_all():
        # Django may have read the catalogs already (pytest-django sets it up first).
        trans_real._translations = {}
        trans_real._default = None


RESULTS_DIR = Path(__file__).resolve().parent.parent / "test-results"


@pytest.fixture(scope="session", autouse=True)
def _clean_media():
    yield
    shutil.rmtree(RESULTS_DIR / "media", ignore_errors=True)


@pytest.fixture
def output_dir(request):
    """A folder of the test's own under test-results/, for screenshots and downloads."""
    path = RESULTS_DIR / request.node.name.replace("/", "_")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (Redis): no rate-limit counter or lockout, and no
    page cached from another test's data, in Redis or in this process's memory of hits."""
    from django.core.cache import cache

    from collectif.delivery.cache import forget_kept, forget_memo

    cache.clear()
    forget_memo()
    forget_kept()
    yield


@pytest.fixture(scope="session", autouse=True)
def _keep_the_migrations_data(request, django_db_setup, django_db_blocker):
    """With --reuse-db (make test on a developer's machine) the next run starts from this
    database: a transactional test's flush must not leave it without what the migrations
    wrote (tree root, groups, workflow). At the end, that data is put back if it is gone."""
    from django.db import connections

    saved = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    yield
    if not request.config.getoption("reuse_db", False):
        return
    from django.contrib.contenttypes.models import ContentType

    with django_db_blocker.unblock():
        for alias, data in saved.items():
            if data and not ContentType.objects.using(alias).exists():
                connections[alias].creation.deserialize_db_from_string(data)
