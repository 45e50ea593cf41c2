import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# What production needs besides the secret key; nothing is connected to by `check`.
SERVICES = {
    "DATABASE_URL": "postgres://collectif@127.0.0.1:5432/collectif",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "WAGTAILADMIN_BASE_URL": "https://collectif.example",
    "DEFAULT_FROM_EMAIL": "Collectif petite enfance <bonjour@collectif.example>",
}


def production(*args, **env):
    """Runs manage.py with the production settings and `env` over the test's environment."""
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "collectif.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_check(**env):
    # The test session's own switch for Playwright must not leak into a deployment check.
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **base,
            **SERVICES,
            "DJANGO_SETTINGS_MODULE": "collectif.settings.production",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={
            **env,
            **SERVICES,
            "DJANGO_SETTINGS_MODULE": "collectif.settings.production",
            "SECRET_KEY": "",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    assert "SECRET_KEY manque" in result.stderr


def test_production_refuses_to_start_without_the_sites_address():
    env = {k: v for k, v in os.environ.items() if k != "WAGTAILADMIN_BASE_URL"}
    services = {k: v for k, v in SERVICES.items() if k != "WAGTAILADMIN_BASE_URL"}
    for address in (None, "", "collectif.example"):
        result = subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=ROOT,
            env={
                **env,
                **services,
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
        **SERVICES,
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


@pytest.mark.parametrize("name", ["DATABASE_URL", "REDIS_URL", "DEFAULT_FROM_EMAIL"])
def test_production_refuses_to_start_without_a_required_service(name):
    result = production("check", SECRET_KEY="x" * 60, **{**SERVICES, name: ""})
    assert result.returncode != 0
    assert f"{name} manque dans l’environnement" in result.stderr
    assert f"{name} must be set in the environment in production" in result.stderr


def test_production_refuses_sqlite():
    result = production(
        "check", SECRET_KEY="x" * 60, **{**SERVICES, "DATABASE_URL": "sqlite:///prod.db"}
    )
    assert result.returncode != 0
    assert "DATABASE_URL doit désigner une base PostgreSQL" in result.stderr


SHOW = (
    "from django.conf import settings as s; import json; print(json.dumps({"
    "'db': s.DATABASES['default']['CONN_MAX_AGE'],"
    "'health': s.DATABASES['default']['CONN_HEALTH_CHECKS'],"
    "'cache': s.CACHES['default']['BACKEND'],"
    "'sessions': s.SESSION_ENGINE,"
    "'media': s.STORAGES['default']['BACKEND'],"
    "'proxy': getattr(s, 'WAGTAILFRONTENDCACHE', None),"
    "'email': [s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS],"
    "'log': s.LOGGING['handlers']['console']['formatter']}))"
)


def shown(**env):
    result = production("shell", "-v", "0", "-c", SHOW, SECRET_KEY="x" * 60, **SERVICES, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_takes_every_service_from_the_environment():
    plain = shown()
    assert plain["db"] == 60 and plain["health"] is True
    assert plain["cache"] == "collectif.delivery.cache_backend.RedisCache"
    assert plain["sessions"] == "collectif.delivery.sessions"
    assert plain["media"] == "django.core.files.storage.FileSystemStorage"
    assert plain["proxy"] is None
    assert plain["log"] == "json"

    full = shown(
        AWS_STORAGE_BUCKET_NAME="collectif-medias",
        AWS_S3_ENDPOINT_URL="https://s3.example.ca",
        FRONTEND_CACHE_URL="http://10.0.0.5:6081",
        EMAIL_HOST="smtp.example.ca",
        EMAIL_PORT="587",
        EMAIL_USE_TLS="1",
        LOG_FORMAT="text",
    )
    assert full["media"] == "storages.backends.s3.S3Storage"
    assert full["proxy"] == {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": "http://10.0.0.5:6081",
        }
    }
    assert full["email"] == ["smtp.example.ca", 587, True]
    assert full["log"] == "text"


def test_sentry_is_set_up_without_personal_data():
    code = (
        "import sentry_sdk; o = sentry_sdk.get_client().options; "
        "print(o['dsn'], o['send_default_pii'], o['before_send'].__name__)"
    )
    result = production(
        "shell",
        "-v",
        "0",
        "-c",
        code,
        SECRET_KEY="x" * 60,
        SENTRY_DSN="https://cle@sentry.example.ca/1",
        **SERVICES,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "https://cle@sentry.example.ca/1",
        "False",
        "scrub_sentry_event",
    ]
