from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(
            "Debian's chromium is missing: `make test` installs it (apt-get install chromium)."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def migrated_data(django_db_setup, django_db_blocker):
    """What the migrations wrote (tree root, groups, workflow), as Django serialized it when
    it created the test database."""
    from django.db import connection

    return getattr(connection, "_test_serialized_contents", None)


@pytest.fixture
def restore_migrated_data(migrated_data):
    # Once Playwright runs, the test sees another database connection object than the one
    # Django serialized onto: hand the data over, so that serialized rollback restores it.
    from django.db import connection

    if migrated_data is not None:
        connection._test_serialized_contents = migrated_data


@pytest.fixture
def demo_site(restore_migrated_data, django_db_serialized_rollback, transactional_db, live_server):
    """The demo content behind a live server. Serialized rollback gives each browser test back
    what the migrations made, which the flush after each transactional test erases."""
    from django.core.management import call_command

    call_command("load_demo_content", verbosity=0)
    return live_server
