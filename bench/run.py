"""`make bench`: the site under gunicorn with the production settings, on PostgreSQL and Redis,
loaded from a second process on loopback. Prints the figures and writes them to
test-results/bench.md (docs/performance.md keeps the reference figures).

Measured in one run with `wrk` (Debian's package): a bare Django view (one view and
CommonMiddleware only, bench/bare.py, on the same gunicorn configuration); the home page, a
pillar, a theme page with published answers and a campaign page, each served from the page
cache (a hit) and missed by it (each request a new address: a comparison naming a question
that does not exist, which the page cache keys apart; the render of the same content is
reused, collectif/delivery/renders.py); and a search from its cache. Each hit is given as a
ratio of the bare view, each miss as a fraction of it, with the 50th and 95th percentiles.
Then the CPU time of each page rendered in full (its address renewed before each request,
in one process), and the parties' submissions."""

import http.client
import json
import os
import re
import resource
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

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


# A new value for `{n}` in the path at each request (renders). Only where the path asks for
# it: wrk builds each request in Lua then, which slows it down for large pages.
WRK_REQUEST = """
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
"""
WRK_PERCENTILES = """
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
    script.write_text((WRK_REQUEST if "{n}" in path else "") + WRK_PERCENTILES)
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


FULL_RENDER_SCRIPT = """
import json, time
from django.test import Client
from collectif.delivery.cache import renew_paths
client = Client(HTTP_HOST="127.0.0.1")
figures = {}
for name, path in %s:
    client.get(path)
    used = 0.0
    for _ in range(%d):
        # Its address renewed, as a change of what it shows would: rendered in full.
        renew_paths([path], "banc d'essai", proxy=False)
        started = time.process_time()
        assert client.get(path).status_code == 200
        used += time.process_time() - started
    figures[name] = used / %d * 1000
print(json.dumps(figures))
"""
FULL_RENDERS = int(os.environ.get("BENCH_FULL_RENDERS", "30"))


def full_render_cpu(env, pages):
    """{page: CPU ms of one render in full}: the page's address renewed before each request
    (a render reused for the same inputs is what the wrk cases measure)."""
    script = FULL_RENDER_SCRIPT % (json.dumps(pages), FULL_RENDERS, FULL_RENDERS)
    return shell(env, script)


def shell(env, script):
    """What `script`, run by `manage.py shell` on the bench's database, prints last (JSON)."""
    output = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", script],
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
    # The bench's own Redis database, emptied: nothing kept from an earlier run.
    subprocess.run(
        ["redis-cli", "-u", REDIS_URL, "FLUSHDB"], check=True, stdout=subprocess.DEVNULL
    )
    server = bare = None
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo_content")
        manage(env, "collectstatic", "--noinput")
        paths = shell(env, PATHS_SCRIPT)
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
        # A new address at each request (a comparison of a question that does not exist): the
        # page cache keys it apart; its render for the same inputs is reused.
        cases += [
            (port, f"{name}, adresse nouvelle", f"{path}?questions=q_bench{{n}}", "render")
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
        full = full_render_cpu(env, pages)
        for name, ms in full.items():
            sys.stdout.write(f"{name}, rendue en entier : {ms:.1f} ms de processeur\n")
        submissions = submit_at_once(env, port, server)
        sys.stdout.write(f"soumissions : {submissions}\n")
    finally:
        for process in (server, bare):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
        psql(f'DROP DATABASE IF EXISTS "{DATABASE}"')
    write(rows, submissions, full)
    failed = any(figures["failures"] for _, _, figures in rows) or submissions["failures"]
    return 1 if failed else 0


PARTIES = int(os.environ.get("BENCH_PARTIES", "20"))
PARTY_SUBMISSIONS = int(os.environ.get("BENCH_PARTY_SUBMISSIONS", "10"))
PARTIES_SCRIPT = """
import json
from campaigns.models import Campaign, Invitation, Party
campaign = Campaign.objects.order_by("pk").first()
questionnaire = campaign.questionnaires.order_by("pk").first()
parties = Party.objects.bulk_create(
    Party(name=f"Parti de banc {n}", short_name=f"B{n}", contact_email=f"banc{n}@parti.example")
    for n in range(%d)
)
invitations = Invitation.objects.bulk_create(
    Invitation(campaign=campaign, party=p) for p in parties
)
print(json.dumps({
    "paths": [i.questionnaire_path(questionnaire) for i in invitations],
    "questions": [q.clean_name for q in questionnaire.questions.all()],
}))
"""


def cpu_seconds(pids):
    """User and system CPU time used so far by these processes (Linux /proc)."""
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def worker_pids(server):
    with open(f"/proc/{server.pid}/task/{server.pid}/children") as children:
        return [int(pid) for pid in children.read().split()]


def submit_at_once(env, port, server):
    """PARTIES parties, each submitting PARTY_SUBMISSIONS times as fast as it can, all at once:
    the latency of a submission, the app servers' CPU per submission, then the task worker's
    CPU per submission (its confirmation email) once it empties the queue."""
    setup = shell(env, PARTIES_SCRIPT % PARTIES)
    form = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    form.request("GET", setup["paths"][0], headers={"Host": "127.0.0.1"})
    reply = form.getresponse()
    page = reply.read().decode()
    cookie = re.search(r"csrftoken=([^;]+)", reply.getheader("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    results = []

    def party(path):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for revision in range(PARTY_SUBMISSIONS):
            data = {
                "csrfmiddlewaretoken": token,
                "action": "submit",
                "respondent_name": "Camille Banc",
                "base_revision": revision,
                "client_key": uuid.uuid4().hex,
            }
            for key in setup["questions"]:
                data.update({key: f"Réponse {revision}", f"{key}__status": "answered"})
                data.update({f"{key}__pending_until": "", f"{key}__explanation": ""})
            started = time.monotonic()
            connection.request(
                "POST",
                path,
                body=urlencode(data),
                headers={
                    "Host": "127.0.0.1",
                    "Cookie": f"csrftoken={cookie}",
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            )
            response = connection.getresponse()
            response.read()
            results.append((response.status, time.monotonic() - started))

    pids = worker_pids(server)
    before = cpu_seconds(pids)
    began = time.monotonic()
    with ThreadPoolExecutor(PARTIES) as pool:
        list(pool.map(party, setup["paths"]))
    elapsed = time.monotonic() - began
    app_cpu = cpu_seconds(pids) - before
    count = len(results)
    worker_cpu = run_worker(env)
    # What the worker costs with nothing to do (Django's start, its first query) is taken off.
    idle = run_worker(env)
    durations = sorted(duration for _, duration in results)
    return {
        "count": count,
        "rate": count / elapsed,
        "p50": durations[count // 2] * 1000,
        "p95": durations[int(count * 0.95)] * 1000,
        "app_cpu_ms": app_cpu / count * 1000,
        "worker_cpu_ms": max(worker_cpu - idle, 0) / count * 1000,
        "failures": sum(1 for status, _ in results if status != 303),
    }


def run_worker(env):
    """The CPU time (s) of `manage.py db_worker --batch`: it runs the tasks due, then ends."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = usage.ru_utime + usage.ru_stime
    subprocess.run(
        [PYTHON, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--interval", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime - before


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


def gunicorn_shape():
    """« N processus × M fils », as gunicorn.conf.py makes them here."""
    namespace = {}
    source = (ROOT / "gunicorn.conf.py").read_text()
    environ = os.environ.copy()
    os.environ["WEB_CONCURRENCY"] = environ.get("BENCH_WORKERS", "2")
    try:
        exec(compile(source, "gunicorn.conf.py", "exec"), namespace)
    finally:
        os.environ.clear()
        os.environ.update(environ)
    return f"{namespace['workers']} processus × {namespace['threads']} fils"


def write(rows, submissions, full):
    out = ROOT / "test-results" / "bench.md"
    out.parent.mkdir(exist_ok=True)
    bare_rate = rows[0][2]["rate"]
    lines = [
        f"Mesuré le {time.strftime('%Y-%m-%d %H:%M')} : gunicorn "
        f"({gunicorn_shape()}), réglages de production, "
        f"PostgreSQL et Redis; `wrk`, {CONCURRENCY} connexions pendant {SECONDS:.0f} s par page.",
        "",
        "| page | requêtes/s | rapport | médiane | 95e centile | taille | échecs |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        *[
            f"| {label} | {f['rate']:.0f} | {ratio(kind, f['rate'], bare_rate)} | "
            f"{f['p50']:.1f} ms | {f['p95']:.1f} ms | {f['kb']:.0f} Ko | {f['failures']} |"
            for label, kind, f in rows
        ],
        "",
        "Rendue en entier (son adresse renouvelée avant chaque requête, dans le processus, "
        f"{FULL_RENDERS} fois) : "
        + ", ".join(f"{name} {ms:.1f} ms" for name, ms in full.items())
        + " de processeur par page.",
        "",
        f"{PARTIES} partis à la fois, {PARTY_SUBMISSIONS} soumissions chacun "
        f"({submissions['count']} soumissions, {submissions['rate']:.0f} par seconde) : "
        f"médiane {submissions['p50']:.0f} ms, 95e centile {submissions['p95']:.0f} ms; "
        f"processeur des serveurs {submissions['app_cpu_ms']:.1f} ms par soumission, du "
        f"travailleur de tâches {submissions['worker_cpu_ms']:.1f} ms; "
        f"échecs : {submissions['failures']}.",
    ]
    out.write_text("\n".join(lines) + "\n")
    sys.stdout.write("\n".join(lines) + f"\nRésultats : {out}\n")


if __name__ == "__main__":
    sys.exit(main())
