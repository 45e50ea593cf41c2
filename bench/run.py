"""`make bench`: the site under gunicorn with the production settings, on PostgreSQL and Redis,
loaded from a second process on loopback. Prints the figures and writes them to
test-results/bench.md (docs/performance.md keeps the reference figures).

Measured in one run with `wrk` (Debian's package): a bare Django view (one view and
CommonMiddleware only, bench/bare.py, on the same gunicorn configuration); the home page, a
pillar, a theme page with published answers and a campaign page, each served from the page
cache (a hit) and rendered (a miss: each request a new comparison, of a question that does not
exist, which the cache keys on); and a search from its cache. Each hit is given as a ratio of
the bare view, each render as a fraction of it, with the 50th and 95th percentiles."""

import http.client
import json
import os
import re
import socket
import subprocess
import sys
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


WRK_SCRIPT = """
math.randomseed(os.time())
local counter = 0
setup = function(thread)
  thread:set("id", tostring(math.random(1, 1000000000)))
end
request = function()
  counter = counter + 1
  local path = string.gsub(wrk.path, "{n}", id .. "x" .. counter)
  return wrk.format(nil, path)
end
done = function(summary, latency, requests)
  io.write(string.format("P50 %d\\nP95 %d\\nP99 %d\\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def wrk(port, path, seconds=SECONDS, connections=CONCURRENCY):
    """Requests per second, 50th and 95th percentiles (ms) and failures (5xx, other non-2xx
    and socket errors) of `wrk` on `path` (`{n}` in it: a new value at each request)."""
    script = ROOT / "test-results" / "bench.lua"
    script.parent.mkdir(exist_ok=True)
    script.write_text(WRK_SCRIPT)
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds:.0f}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            "-H",
            "Host: 127.0.0.1",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50, p95 = (
        int(re.search(rf"^{name} (\d+)$", output, re.M).group(1)) / 1000 for name in ("P50", "P95")
    )
    failures = sum(
        int(n)
        for n in re.findall(
            r"(?:Non-2xx or 3xx responses|connect|read|write|timeout):? (\d+)", output
        )
    )
    amount, unit = re.search(r"Transfer/sec:\s+([\d.]+)([KMG]?B)", output).groups()
    scale = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}[unit]
    size = float(amount) * scale / rate if rate else 0
    return {"rate": rate, "p50": p50, "p95": p95, "failures": failures, "kb": size / 1024}


PATHS_SCRIPT = """
import json
from boussole.models import ThemePage
from campaigns.models import Campaign
from pillars.models import PillarPage
theme = next(p for p in ThemePage.objects.live().order_by("path") if p.questionnaires())
print(json.dumps({
    "pillar": PillarPage.objects.live().order_by("path").first().url,
    "theme": theme.url,
    "campaign": f"/campagnes/{Campaign.objects.order_by('pk').first().slug}/",
}))
"""


def demo_paths(env):
    output = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", PATHS_SCRIPT],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


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
        paths = demo_paths(env)
        server = serve(env, port)
        bare_port = free_port()
        bare_env = {
            **env,
            "DJANGO_SETTINGS_MODULE": "bench.bare",
            "GUNICORN_BIND": f"127.0.0.1:{bare_port}",
        }
        bare = serve(bare_env, bare_port, "bench.bare:application")
        pages = [
            ("accueil", "/"),
            ("pilier", paths["pillar"]),
            ("thème avec réponses", paths["theme"]),
            ("page de campagne", paths["campaign"]),
        ]
        cases = [(bare_port, "vue Django nue (bench/bare.py)", "/", "bare")]
        cases += [(port, f"{name}, du cache", path, "hit") for name, path in pages]
        # A new comparison at each request (of a question that does not exist): the page is
        # whole, under a key of its own, rendered every time.
        cases += [
            (port, f"{name}, rendue", f"{path}?questions=q_bench{{n}}", "render")
            for name, path in pages
        ]
        cases.append((port, "recherche « enfants », du cache", "/recherche/?q=enfants", "hit"))
        for case_port, _, path, _ in cases:  # warm up: renditions, navigation, first entries
            load_once(case_port, path.replace("{n}", "0"))
        rows = []
        for case_port, label, path, kind in cases:
            figures = wrk(case_port, path)
            rows.append((label, kind, figures))
            sys.stdout.write(
                f"{label:45} {figures['rate']:8.0f} req/s  p50 {figures['p50']:6.1f} ms  "
                f"p95 {figures['p95']:6.1f} ms  échecs : {figures['failures']}\n"
            )
    finally:
        for process in (server, bare):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
        psql(f'DROP DATABASE IF EXISTS "{DATABASE}"')
    write(rows)
    return 1 if any(figures["failures"] for _, _, figures in rows) else 0


def ratio(kind, rate, bare_rate):
    if kind == "hit":
        return f"{rate / bare_rate:.2f} × la vue nue"
    if kind == "render":
        return f"1/{bare_rate / rate:.0f} de la vue nue"
    return "1"


def serve(env, port, application=None):
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "-c",
            "gunicorn.conf.py",
            *([application] if application else []),
        ],
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
    bare_rate = rows[0][2]["rate"]
    lines = [
        f"Mesuré le {time.strftime('%Y-%m-%d %H:%M')} : gunicorn "
        f"({os.environ.get('BENCH_WORKERS', '2')} processus × 8 fils), réglages de production, "
        f"PostgreSQL et Redis; `wrk`, {CONCURRENCY} connexions pendant {SECONDS:.0f} s par page.",
        "",
        "| page | requêtes/s | rapport | médiane | 95e centile | taille | échecs |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        *[
            f"| {label} | {f['rate']:.0f} | {ratio(kind, f['rate'], bare_rate)} | "
            f"{f['p50']:.1f} ms | {f['p95']:.1f} ms | {f['kb']:.0f} Ko | {f['failures']} |"
            for label, kind, f in rows
        ],
    ]
    out.write_text("\n".join(lines) + "\n")
    sys.stdout.write("\n".join(lines) + f"\nRésultats : {out}\n")


if __name__ == "__main__":
    sys.exit(main())
