"""What `make run` prints: the links, the login and the emails, not one line per task."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def query(code, env):
    """The last line a `manage.py shell -c` printed (the shell prints its imports first)."""
    return manage("shell", "-c", code, env=env).stdout.strip().splitlines()[-1]


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_demo_content_queues_no_task_and_the_worker_runs_tasks_quietly(tmp_path):
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **base,
        "DJANGO_SETTINGS_MODULE": "collectif.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
        "WAGTAILADMIN_BASE_URL": "http://127.0.0.1:8300",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    assert manage("migrate", "--noinput", env=env).returncode == 0
    assert manage("set_site_address", env=env).returncode == 0
    loaded = manage("load_demo_content", env=env)
    assert loaded.returncode == 0, loaded.stderr
    count = "from django_tasks_db.models import DBTaskResult as T; print(T.objects.count())"
    assert query(count, env) == "0"

    admin = manage("create_demo_admin", env=env)
    assert "http://127.0.0.1:8300/admin/" in admin.stdout

    # An editor publishes: Wagtail queues its index updates, which the worker runs silently.
    publish = (
        "from pillars.models import PillarPage as P; P.objects.first().save_revision().publish()"
    )
    assert manage("shell", "-c", publish, env=env).returncode == 0
    assert int(query(count, env)) > 0
    worker = manage("db_worker", "--batch", "--no-startup-delay", "--no-reload", env=env)
    assert worker.returncode == 0, worker.stderr
    assert "Task id" not in worker.stdout + worker.stderr
    ready = count.replace("objects.count()", "objects.filter(status='READY').count()")
    assert query(ready, env) == "0"
