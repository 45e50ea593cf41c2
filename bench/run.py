"""`make bench`: the site under gunicorn with the production settings, on PostgreSQL and Redis,
loaded from a second process on loopback. Prints the figures and writes them to
test-results/bench.md (docs/performance.md keeps the reference figures).

Measured, in one run: a bare Django view (one view and CommonMiddleware only, bench/bare.py, on
the same gunicorn configuration), robots.txt through the site's whole stack, the home page and
a theme page with published answers served from the page cache (a hit), the same pages
rendered (a miss: each time a new comparison, of a question that does not exist, which the
cache keys on), and the search. The hits are also given as a ratio of the bare view."""

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DATABASE = f"collectif_bench_{os.getpid()}"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(port):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "collectif.settings.production",
        "SECRET_KEY": "bench-" + uuid.uuid4().hex,
        "DATABASE_URL": f"{PG}/{DATABASE}",
        "REDIS_URL": REDIS_URL,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DEFAULT_FROM_EMAIL": "Collectif petite enfance <bonjour@collectif.example>",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": "/dev/null",
        "WEB_CONCURRENCY": os.environ.get("BENCH_WORKERS", "2"),
        # The bench is one client address: the limits per address would answer it 429.
        "RATE_LIMITS_FACTOR": "100000",
    }


def manage(env, *args):
    subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def psql(sql):
    subprocess.run(
        ["psql", PG + "/postgres", "-q", "-c", sql], check=True, stdout=subprocess.DEVNULL
    )


def load(port, paths):
    """Requests per second with CONCURRENCY keep-alive clients for SECONDS; errors counted."""
    stop = time.monotonic() + SECONDS
    counts, errors = [0] * CONCURRENCY, [0] * CONCURRENCY

    def client(n):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        i = 0
        while time.monotonic() < stop:
            path = paths(n, i)
            i += 1
            try:
                connection.request("GET", path, headers={"Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
                if response.status >= 500:
                    errors[n] += 1
                counts[n] += 1
            except (OSError, http.client.HTTPException):
                errors[n] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / SECONDS, sum(errors)


def main():
    port = free_port()
    env = environment(port)
    psql(f'DROP DATABASE IF EXISTS "{DATABASE}"')
    psql(f'CREATE DATABASE "{DATABASE}"')
    server = bare = None
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo_content")
        manage(env, "collectstatic", "--noinput")
        server = serve(env, port)
        bare_port = free_port()
        bare_env = {
            **env,
            "DJANGO_SETTINGS_MODULE": "bench.bare",
            "GUNICORN_BIND": f"127.0.0.1:{bare_port}",
        }
        bare = serve(bare_env, bare_port)
        theme = "/boussole/agir-ensemble/"
        cases = [
            (bare_port, "vue Django nue (bench/bare.py)", lambda n, i: "/"),
            (port, "robots.txt, par tous les intergiciels du site", lambda n, i: "/robots.txt"),
            (port, "accueil, servie du cache", lambda n, i: "/"),
            (port, "thème avec réponses, servie du cache", lambda n, i: theme),
            (port, "accueil, rendue (hors cache)", lambda n, i: f"/?{unknown(n, i)}"),
            (port, "thème avec réponses, rendue", lambda n, i: f"{theme}?{unknown(n, i)}"),
            (port, "recherche « enfants »", lambda n, i: "/recherche/?q=enfants"),
        ]
        for case_port, _, paths in cases:  # warm up: renditions, navigation, first entries
            load_once(case_port, paths(0, 0))
        rows = []
        for case_port, label, paths in cases:
            rate, errors = load(case_port, paths)
            rows.append((label, rate, errors))
            sys.stdout.write(f"{label:50} {rate:8.0f} req/s   erreurs : {errors}\n")
        bare_rate = rows[0][1]
        for label, rate, _ in rows[2:4]:
            sys.stdout.write(f"{label:50} {rate / bare_rate:8.2f} × la vue nue\n")
    finally:
        for process in (server, bare):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
        psql(f'DROP DATABASE IF EXISTS "{DATABASE}"')
    write(rows)
    return 1 if any(errors for _, _, errors in rows) else 0


def unknown(n, i):
    """A question no questionnaire has: the page is whole, under a key of its own."""
    return f"questions=q_bench{n}x{i}"


def serve(env, port):
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return process


def load_once(port, path):
    # The first render of a page (renditions, a busy machine) may take a while.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", path, headers={"Host": "127.0.0.1"})
    connection.getresponse().read()
    connection.close()


def write(rows):
    out = ROOT / "test-results" / "bench.md"
    out.parent.mkdir(exist_ok=True)
    lines = [
        f"Mesuré le {time.strftime('%Y-%m-%d %H:%M')} : gunicorn "
        f"({os.environ.get('BENCH_WORKERS', '2')} processus, fils d’exécution), réglages de "
        f"production, PostgreSQL et Redis, {CONCURRENCY} clients pendant {SECONDS:.0f} s.",
        "",
        "| page | requêtes/s | erreurs |",
        "| --- | --- | --- |",
        *[f"| {label} | {rate:.0f} | {errors} |" for label, rate, errors in rows],
        "",
        *[f"- {label} : {rate / rows[0][1]:.2f} × la vue nue" for label, rate, _ in rows[2:4]],
    ]
    out.write_text("\n".join(lines) + "\n")
    sys.stdout.write(f"Résultats : {out}\n")


if __name__ == "__main__":
    sys.exit(main())
