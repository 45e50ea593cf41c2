import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check(**env):
    # The test session's own switch for Playwright must not leak into a deployment check.
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "collectif.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "collectif.settings.production", "SECRET_KEY": ""},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_the_sites_address():
    env = {k: v for k, v in os.environ.items() if k != "WAGTAILADMIN_BASE_URL"}
    for address in (None, "", "collectif.example"):
        result = subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=ROOT,
            env={
                **env,
                "DJANGO_SETTINGS_MODULE": "collectif.settings.production",
                "SECRET_KEY": secrets.token_urlsafe(50),
                **({} if address is None else {"WAGTAILADMIN_BASE_URL": address}),
            },
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode != 0, address
        assert "WAGTAILADMIN_BASE_URL must be set" in result.stderr


def test_production_settings_pass_the_deploy_checks_without_a_warning():
    result = run_check(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="collectif.example",
        WAGTAILADMIN_BASE_URL="https://collectif.example",
    )
    assert result.returncode == 0, result.stderr
    # Only W019 is silenced (X-Frame-Options SAMEORIGIN for Wagtail's preview).
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_hsts_is_on_in_production_and_has_an_off_switch():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SILENCED_SYSTEM_CHECKS)"
    )
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **base,
        "DJANGO_SETTINGS_MODULE": "collectif.settings.production",
        "SECRET_KEY": "x" * 60,
        "WAGTAILADMIN_BASE_URL": "https://collectif.example",
    }
    on = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert on.stdout.split()[:2] == ["31536000", "True"], on.stderr
    assert "['security.W019']" in on.stdout
    off = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT,
        env={**env, "SECURE_HSTS_SECONDS": "0"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert off.stdout.split()[0] == "0", off.stderr


def test_site_speaks_quebec_french():
    from django.conf import settings
    from django.utils import formats, translation

    assert settings.LANGUAGE_CODE == "fr-ca"
    assert settings.TIME_ZONE == "America/Toronto"
    import datetime

    with translation.override("fr-ca"):
        assert formats.date_format(datetime.date(2022, 10, 3)) == "3 octobre 2022"
        moment = datetime.datetime(2026, 11, 22, 11, 24)
        assert formats.date_format(moment, "DATETIME_FORMAT") == "22 novembre 2026, 11\xa0h\xa024"
        assert formats.time_format(moment.time()) == "11\xa0h\xa024"
