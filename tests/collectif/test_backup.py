"""make backup and make restore: a round trip through a scratch PostgreSQL database gives
back the same pages, revisions, campaigns, responses, versions and subscribers, row for row,
and the same uploaded files."""

import os
import subprocess
import uuid
from pathlib import Path

from django.db import connection

import psycopg
import pytest

from campaigns.models import Response, ResponseVersion
from newsletter.models import Subscriber
from tests.campaigns.factories import campaign_on_theme, save_answers
from tests.home.factories import build_site_tree

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="pg_dump and pg_restore need PostgreSQL"
    ),
    # Like every transactional test of the suite: the migrations' data comes back from
    # Django's copy, and the flush after it keeps the same ids.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Every table named in the issue, and the rest of what they hang on.
TABLES = [
    "wagtailcore_page",
    "wagtailcore_revision",
    "wagtailcore_site",
    "campaigns_campaign",
    "campaigns_questionnaire",
    "campaigns_question",
    "campaigns_party",
    "campaigns_invitation",
    "campaigns_response",
    "campaigns_responseversion",
    "newsletter_subscriber",
    "auth_user",
    "django_tasks_database_dbtaskresult",
]


def database_url(name):
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def fingerprint(url):
    """Per table: the number of rows and a hash of all of them, in a stable order."""
    with psycopg.connect(url) as conn:
        result = {}
        for table in TABLES:
            result[table] = conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                f' FROM "{table}" t'
            ).fetchone()
        return result


@pytest.fixture
def scratch_database():
    name = f"{connection.settings_dict['NAME']}_restauration_{uuid.uuid4().hex[:6]}"
    admin = database_url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield database_url(name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(script, tmp_path, *args, **env):
    result = subprocess.run(
        [str(ROOT / "deploy" / script), *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def tree_root():
    """What the migrations made (a locale, the tree's root), back if an earlier transactional
    test flushed the database."""
    from django.contrib.contenttypes.models import ContentType

    from wagtail.models import Locale, Page

    Locale.objects.get_or_create(language_code="fr-ca")
    if Page.get_first_root_node() is None:
        Page.add_root(
            instance=Page(
                title="Racine", slug="root", content_type=ContentType.objects.get_for_model(Page)
            )
        )


def test_backup_and_restore_give_back_every_row_and_file(tmp_path, scratch_database, tree_root):
    theme = build_site_tree()["themes"][0]
    _, questionnaire, questions, invitations = campaign_on_theme(theme, parties=3)
    save_answers(questionnaire, questions, invitations[0].party, action="save")
    save_answers(questionnaire, questions, invitations[0].party, action="submit")
    save_answers(questionnaire, questions, invitations[1].party, action="submit")
    Subscriber.objects.create(email="parent@exemple.ca", consent_text="Oui, l’infolettre.")
    assert ResponseVersion.objects.count() == 3 and Response.objects.count() == 2

    media = tmp_path / "media"
    (media / "images").mkdir(parents=True)
    (media / "images" / "affiche.png").write_bytes(b"\x89PNG fausse image")
    backups = tmp_path / "sauvegardes"
    source = database_url(connection.settings_dict["NAME"])
    env = {"DATABASE_URL": source, "MEDIA_ROOT": str(media), "BACKUP_DIR": str(backups)}

    # Three backups, two kept.
    for _ in range(3):
        run("backup.sh", tmp_path, **env, BACKUP_KEEP="2")
    dumps = sorted(backups.glob("collectif-*.dump"))
    assert len(dumps) == 2
    assert len(list(backups.glob("collectif-*.medias.tar.gz"))) == 2

    restored_media = tmp_path / "media-restaure"
    run(
        "restore.sh",
        tmp_path,
        str(dumps[-1]),
        DATABASE_URL=scratch_database,
        MEDIA_ROOT=str(restored_media),
    )
    before, after = fingerprint(source), fingerprint(scratch_database)
    assert after == before
    assert before["campaigns_responseversion"][0] == 3
    assert before["newsletter_subscriber"][0] == 1
    assert (restored_media / "images" / "affiche.png").read_bytes() == b"\x89PNG fausse image"

    # Restoring again over the restored database changes nothing.
    run(
        "restore.sh",
        tmp_path,
        str(dumps[-1]),
        DATABASE_URL=scratch_database,
        MEDIA_ROOT=str(restored_media),
    )
    assert fingerprint(scratch_database) == before


def test_restore_refuses_a_missing_backup(tmp_path):
    result = subprocess.run(
        [str(ROOT / "deploy" / "restore.sh"), str(tmp_path / "absente.dump")],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": "postgres://personne@127.0.0.1:1/rien"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Sauvegarde introuvable" in result.stderr
