import os
import shutil
from pathlib import Path

import pytest

# Playwright's synchronous API runs an event loop in the test's thread; the live server and
# the test's own database calls are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

RESULTS_DIR = Path(__file__).resolve().parent.parent / "test-results"


@pytest.fixture(scope="session", autouse=True)
def _clean_media():
    yield
    shutil.rmtree(RESULTS_DIR / "media", ignore_errors=True)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: pages cached by another test's data never
    answer this one."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture
def output_dir(request):
    """A folder of the test's own under test-results/, for screenshots and downloads."""
    path = RESULTS_DIR / request.node.name.replace("/", "_")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and lockouts live in Redis: each test starts without any."""
    from django.core.cache import cache

    cache.clear()
    yield
