"""Real processes: a db_worker killed while it runs a task, and gunicorn under slow clients.
They need a database other processes can open: PostgreSQL."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from django.db import connection

import pytest
from django_tasks_db.models import DBTaskResult

from collectif.operations.worker import requeue_stale_tasks
from tests.collectif.worker_tasks import send_once_after_a_hang

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "Jq7Vq2-secret-token_0123456789abcdefXYZ"

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="other processes cannot open SQLite's test database"
)


def process_env():
    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{host}/{db['NAME']}"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**env, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "collectif.settings.test"}


def wait_for(condition, what, limit=60):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"Still waiting for {what} after {limit} s")


def run_worker(*args):
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-startup-delay",
            "--no-reload",
            "--interval",
            "0.2",
            *args,
        ],
        cwd=ROOT,
        env=process_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_left_running_by_a_killed_worker_runs_again_once(tmp_path):
    result = send_once_after_a_hang.enqueue(str(tmp_path))
    worker = run_worker()
    try:
        wait_for(lambda: (tmp_path / "started").exists(), "the worker to start the task")
        assert DBTaskResult.objects.get(pk=result.id).status == "RUNNING"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    # Dead: the task stays RUNNING, and no worker would take it again.
    assert DBTaskResult.objects.get(pk=result.id).status == "RUNNING"
    # Within its lease, it is left alone (its worker may be alive).
    assert requeue_stale_tasks() == 0
    # After the lease, it is back in the queue and the next worker runs it.
    assert requeue_stale_tasks(lease=timedelta(0)) == 1
    assert DBTaskResult.objects.get(pk=result.id).status == "READY"
    batch = run_worker("--batch")
    assert batch.wait(timeout=120) == 0
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"
    assert (tmp_path / "sent").read_text() == "sent\n"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(port, path, timeout=15):
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_gunicorn_serves_beside_slow_clients_and_logs_no_token(tmp_path):
    from wagtail.models import Page

    from tests.home.factories import build_site_tree

    if not Page.objects.filter(depth=1).exists():
        # An earlier transactional test flushed the tree that the migrations made.
        from home.demo import _make_tree_root

        _make_tree_root()
    build_site_tree()
    port = free_port()
    access_log, error_log = tmp_path / "access.log", tmp_path / "error.log"
    env = {
        **process_env(),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "4",
        "GUNICORN_ACCESS_LOG": str(access_log),
        "GUNICORN_ERROR_LOG": str(error_log),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    slow = []
    try:
        wait_for(lambda: b"HTTP/1.1" in _try_get(port, "/robots.txt"), "gunicorn to answer")
        # Two clients trickle their headers and never finish.
        for _ in range(2):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            slow.append(s)
        # Others are still served, at once.
        response = http_get(port, "/robots.txt", timeout=10)
        assert response.startswith(b"HTTP/1.1 200"), response[:200]
        response = http_get(port, f"/campagnes/acces/{TOKEN}/?x=1", timeout=10)
        assert response.startswith(b"HTTP/1.1 404"), response[:300]
    finally:
        for s in slow:
            s.close()
        server.send_signal(signal.SIGTERM)
        stderr = server.communicate(timeout=60)[1].decode()
    logs = access_log.read_text() + error_log.read_text() + stderr
    assert "/robots.txt" in logs
    assert "/campagnes/acces/[lien-privé]/" in logs
    assert TOKEN not in logs
    # JSON lines (LOG_FORMAT=json, gunicorn's default), each with the site's request id.
    lines = [json.loads(line) for line in access_log.read_text().splitlines()]
    served = [line for line in lines if line["message"].startswith("GET /campagnes/")]
    assert served and served[0]["status"] == 404
    assert all(len(line["request_id"]) == 32 for line in served)
    assert {"time", "level", "logger", "message"} <= set(served[0])


def _try_get(port, path):
    try:
        return http_get(port, path, timeout=2)
    except OSError:
        return b""


class CuttableLink:
    """A TCP relay to PostgreSQL that the test cuts (every connection dropped, new ones
    refused, as when the server stops) and restores."""

    def __init__(self, target_port):
        self.target_port = target_port
        self.port = free_port()
        self.sockets = []
        self.listener = None
        self.restore()

    def restore(self):
        import threading

        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(16)
        threading.Thread(target=self.accept, args=(self.listener,), daemon=True).start()

    def accept(self, listener):
        import threading

        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target_port))
            self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self.pump, args=(a, b), daemon=True).start()

    @staticmethod
    def pump(source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, target):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self):
        # Wakes the thread blocked in accept(), and frees the port.
        try:
            self.listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.listener.close()
        for s in self.sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
        self.sockets = []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_waits_for_the_database_and_reruns_the_task_it_cut_off(tmp_path):
    from tests.collectif.worker_tasks import query_when_told, write_file

    db = connection.settings_dict
    link = CuttableLink(int(db["PORT"] or 5432))
    env = process_env()
    env["DATABASE_URL"] = env["DATABASE_URL"].replace(f":{db['PORT'] or 5432}/", f":{link.port}/")
    log = tmp_path / "worker.log"
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--no-reload"]
        + ["--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        cut_off = query_when_told.enqueue(str(tmp_path))
        wait_for(lambda: (tmp_path / "started").exists(), "the worker to start the task")
        # PostgreSQL goes away while the task runs.
        link.cut()
        (tmp_path / "go").write_text("1")
        wait_for(lambda: "Base de données injoignable" in log.read_text(), "the worker's log")
        assert worker.poll() is None, log.read_text()
        after = write_file.enqueue(str(tmp_path / "after"))
        assert DBTaskResult.objects.get(pk=cut_off.id).status == "RUNNING"
        # Back: the worker reconnects by itself, runs the task it lost again, then the next.
        link.restore()
        wait_for(lambda: (tmp_path / "after").exists(), "the task enqueued during the outage")
        assert worker.poll() is None
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
        link.cut()
    text = log.read_text()
    assert "Base de données de retour" in text and "remise dans la file" in text, text
    assert DBTaskResult.objects.get(pk=cut_off.id).status == "SUCCESSFUL"
    assert DBTaskResult.objects.get(pk=after.id).status == "SUCCESSFUL"
    assert (tmp_path / "done").read_text() == "done\n"
    assert "Traceback" not in text


def test_waiting_for_the_database_doubles_its_delay_up_to_a_cap(monkeypatch, caplog):
    from django.db import OperationalError

    from collectif.operations import worker

    answers = iter([False] * 6 + [True])
    monkeypatch.setattr(worker, "database_answers", lambda: next(answers))
    slept = []
    with caplog.at_level("WARNING", logger="collectif.tasks"):
        worker.wait_for_database(
            "le planificateur", OperationalError("refused"), sleep=slept.append
        )
    assert slept == [0.5, 1, 2, 4, 8, 10, 10]
    messages = [record.getMessage() for record in caplog.records]
    assert messages[0].startswith("Base de données injoignable (OperationalError) : le planif")
    assert messages[-1].startswith("Base de données de retour : le planificateur reprend")


def test_a_mail_already_sent_is_marked_once_the_database_is_back(monkeypatch):
    from django.db import OperationalError

    from collectif.operations import worker

    waited, attempts = [], []

    def mark():
        attempts.append(1)
        if len(attempts) < 3:
            raise OperationalError("server closed the connection unexpectedly")
        return 1

    monkeypatch.setattr(worker, "wait_for_database", lambda who, error: waited.append(who))
    assert worker.once_the_database_answers(mark, "le travailleur w") == 1
    assert len(attempts) == 3 and waited == ["le travailleur w"] * 2
