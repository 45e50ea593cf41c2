"""A task for tests/collectif/test_workers.py, importable by a real worker process."""

import time
from pathlib import Path

from django_tasks import task


@task()
def send_once_after_a_hang(folder):
    """Hangs the first time (the worker is killed meanwhile); the next run "sends"."""
    folder = Path(folder)
    started = folder / "started"
    if not started.exists():
        started.write_text("1")
        time.sleep(600)
    with (folder / "sent").open("a") as sent:
        sent.write("sent\n")


@task()
def always_fails():
    raise RuntimeError("le serveur de courriel ne répond pas")


@task()
def query_when_told(folder):
    """Waits for a "go" file, then asks the database: cut meanwhile, it fails there."""
    from django_tasks_db.models import DBTaskResult

    folder = Path(folder)
    (folder / "started").write_text("1")
    deadline = time.monotonic() + 120
    while not (folder / "go").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    DBTaskResult.objects.count()
    with (folder / "done").open("a") as done:
        done.write("done\n")


@task()
def write_file(path):
    Path(path).write_text("written")
