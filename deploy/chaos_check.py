"""The chaos phase of make production-check (deploy/production-check.sh starts its own
PostgreSQL cluster and Redis, on ports of their own, and cleans up after it).

It starts Varnish, two gunicorn app servers, two task workers and the scheduler on them; while
readers read public pages through Varnish and parties submit their answers through it (so to
both app servers), it stops Redis, stops PostgreSQL, kills one gunicorn, SIGKILLs a worker in
the middle of a send, and brings each back as a supervisor (systemd) would. Then it requires:
public reads answered (>= 99 % of 200), no traceback shown, no submission lost (each one
confirmed to a party is stored with its text, each other one got a non-2xx answer without a
traceback), each confirmation email sent exactly once, everything healthy again by itself.
Prints the figures and writes them to docs/performance.md."""

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from itertools import count
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "deploy"))

import django  # noqa: E402

django.setup()

from django.db import connections  # noqa: E402

from wagtail.models import Page  # noqa: E402

from django_tasks_db.compat import TaskResultStatus  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402
from production_check import (  # noqa: E402
    CheckFailed,
    answer_data,
    call,
    check,
    csrf_token,
    take_cookies,
    wait_for,
)

from campaigns.models import Campaign, Invitation, Party, ResponseVersion  # noqa: E402

WORK = Path(os.environ["CHECK_WORK"])
PROXY = int(os.environ["CHECK_PROXY_PORT"])
APPS = [int(port) for port in os.environ["CHECK_APP_PORTS"].split(",")]
PG_DATA, PG_BIN = os.environ["CHECK_PG_DATA"], os.environ["CHECK_PG_BIN"]
REDIS_PORT = int(os.environ["CHECK_REDIS_PORT"])
PIDS = WORK / "pids"
PY = sys.executable
BIN = Path(PY).parent
SEND_TASK = "campaigns.tasks.send_submission_emails"
READERS, PARTIES = 4, 4
DOCS = ROOT / "docs" / "performance.md"
START, END = "<!-- chaos:début -->", "<!-- chaos:fin -->"
# What no one may ever be shown.
TRACEBACK = re.compile(r"Traceback|Exception Value|technical_500|DisallowedHost")

processes = {}
timeline = []


def during(moment=None):
    """The last event before `moment` (now by default): which outage an answer fell in."""
    moment = time.monotonic() if moment is None else moment
    last = "avant les pannes"
    for at, event in timeline:
        if at <= moment:
            last = event.split(" pendant")[0]
    return last


def note(event):
    timeline.append((time.monotonic(), event))
    print(f"  ..  {event}", flush=True)


def spawn(name, args, log, **kwargs):
    process = subprocess.Popen(
        args,
        cwd=ROOT,
        stdout=open(WORK / log, "a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
        **kwargs,
    )
    with PIDS.open("a") as pids:
        pids.write(f"{process.pid}\n")
    processes[name] = process
    return process


def start_app(n):
    port = APPS[n - 1]
    env = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": str(WORK / f"app{n}-access.log"),
    }
    spawn(f"app{n}", [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py"], f"app{n}.log", env=env)


def start_worker(n):
    spawn(
        f"worker{n}",
        [PY, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"]
        + ["--no-reload", "--worker-id", f"chaos-worker-{n}"],
        f"worker{n}.log",
    )


def as_postgres(*args):
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run(prefix + list(args), check=True, capture_output=True, timeout=120)


def start_redis():
    subprocess.run(
        ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no", "--daemonize", "yes", "--dir", str(WORK)],
        check=True,
        capture_output=True,
    )


def stop_redis():
    subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "shutdown", "nosave"], capture_output=True)


def kill(name, sig=signal.SIGKILL):
    process = processes[name]
    os.killpg(process.pid, sig)
    process.wait(timeout=30)


def healthy(port):
    try:
        return call(port, "GET", "/sante/", timeout=10).status == 200
    except OSError:
        return False


# The load: readers and parties, until told to stop.


class Load:
    def __init__(self, paths, invitations, questionnaire, questions):
        self.paths = paths
        self.invitations = iter(invitations)
        self.questionnaire = questionnaire
        self.questions = questions
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.reads = []  # (status, cache, traceback shown)
        self.submissions = []  # (party id, text, status, traceback shown, body)
        form = call(PROXY, "GET", invitations[0].questionnaire_path(questionnaire))
        self.cookies = take_cookies(form, {})
        self.token = csrf_token(form)

    def reader(self, n):
        for i in count(n):
            if self.stop.is_set():
                return
            path = self.paths[i % len(self.paths)]
            try:
                reply = call(PROXY, "GET", path, timeout=30)
                result = (
                    reply.status,
                    during(),
                    bool(TRACEBACK.search(reply.text)),
                )
            except OSError as error:
                result = (type(error).__name__, during(), False)
            with self.lock:
                self.reads.append(result)
            time.sleep(0.02)

    def party(self):
        while not self.stop.is_set():
            with self.lock:
                invitation = next(self.invitations, None)
            if invitation is None:
                return
            text = f"Réponse sous tempête {uuid.uuid4().hex[:10]}"
            data = answer_data(self.questions, "submit", 0, text)
            data["csrfmiddlewaretoken"] = self.token
            path = invitation.questionnaire_path(self.questionnaire)
            try:
                reply = call(PROXY, "POST", path, data, cookies=self.cookies, timeout=60)
                result = (reply.status, bool(TRACEBACK.search(reply.text)), during())
            except OSError as error:
                result = (type(error).__name__, False, during())
            with self.lock:
                self.submissions.append((invitation.party_id, text, *result))
            time.sleep(0.1)

    def start(self):
        self.threads = [
            threading.Thread(target=self.reader, args=(n,), daemon=True) for n in range(READERS)
        ]
        self.threads += [threading.Thread(target=self.party, daemon=True) for _ in range(PARTIES)]
        for thread in self.threads:
            thread.start()

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=120)


def setup():
    print("== Chaos : démarrage (PostgreSQL et Redis à part) ==")
    for n in (1, 2):
        start_app(n)
        start_worker(n)
    spawn("scheduler", [PY, "manage.py", "run_scheduler", "--interval", "3"], "scheduler.log")
    spawn(
        "varnish",
        ["varnishd", "-F", "-n", str(WORK / "varnish"), "-a", f"127.0.0.1:{PROXY}"]
        + ["-f", str(WORK / "collectif.vcl"), "-s", "malloc,128m"],
        "varnish.log",
    )
    for port in APPS:
        wait_for(f"gunicorn :{port}", lambda p=port: healthy(p), timeout=120)
    wait_for("Varnish", lambda: call(PROXY, "GET", "/sante/ping").status == 200)
    wait_for(
        "file de tâches vide",
        lambda: (
            not DBTaskResult.objects.filter(
                status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
            ).exists()
        ),
        timeout=180,
    )
    paths = [page.url for page in Page.objects.live().filter(depth__gte=2).specific()]
    paths = [path for path in paths if path][:40]
    for path in paths:
        call(PROXY, "GET", path)
    campaign = Campaign.objects.order_by("pk").first()
    questionnaire = campaign.questionnaires.order_by("pk").first()
    questions = list(questionnaire.questions.all())
    parties = Party.objects.bulk_create(
        Party(
            name=f"Parti tempête {n}",
            short_name=f"PT{n}",
            contact_email=f"tempete{n}@parti.example",
        )
        for n in range(1000)
    )
    invitations = Invitation.objects.bulk_create(
        Invitation(campaign=campaign, party=party) for party in parties
    )
    print(f"  ok  {len(paths)} pages publiques lues une première fois à travers Varnish")
    return Load(paths, invitations, questionnaire, questions)


def storm(load):
    print("== Chaos : pannes pendant la charge ==")
    load.start()
    time.sleep(5)

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        running = [
            result
            for result in DBTaskResult.objects.filter(
                status=TaskResultStatus.RUNNING, task_path=SEND_TASK
            )
            if (result.worker_ids or [""])[-1] == "chaos-worker-1"
        ]
        if running:
            running = running[0]
            break
        time.sleep(0.02)
    else:
        raise CheckFailed("aucun envoi du travailleur 1 à interrompre")
    kill("worker1")
    note("travailleur 1 tué (SIGKILL) pendant un envoi de courriel")
    print(f"        (tâche {running.id})")
    killed_task = running.id
    time.sleep(3)
    start_worker(1)
    note("travailleur 1 redémarré")
    time.sleep(5)

    note("Redis arrêté")
    stop_redis()
    time.sleep(8)
    start_redis()
    note("Redis redémarré")
    time.sleep(5)

    note("PostgreSQL arrêté")
    as_postgres(f"{PG_BIN}/pg_ctl", "-D", PG_DATA, "-m", "fast", "-w", "stop")
    time.sleep(6)
    as_postgres(f"{PG_BIN}/pg_ctl", "-D", PG_DATA, "-l", f"{PG_DATA}/server.log", "-w", "start")
    note("PostgreSQL redémarré")
    time.sleep(5)

    note("gunicorn 1 tué (SIGKILL)")
    kill("app1")
    time.sleep(12)
    start_app(1)
    wait_for("gunicorn 1 de retour", lambda: healthy(APPS[0]), timeout=120)
    note("gunicorn 1 redémarré")
    time.sleep(8)
    load.finish()
    note("fin de la charge")
    return killed_task


def results(load, killed_task, started):
    print("== Chaos : ce qu’ont vu les lecteurs et les partis ==")
    connections.close_all()
    wait_for(
        "file de tâches vide (bail compris)",
        lambda: (
            not DBTaskResult.objects.filter(
                status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
            ).exists()
        ),
        timeout=180,
        interval=1,
    )
    figures = {"elapsed": time.monotonic() - started}
    reads = load.reads
    ok_reads = sum(1 for status, _, _ in reads if status == 200)
    figures["reads"] = len(reads)
    figures["reads_ok"] = ok_reads
    figures["reads_other"] = Counter(f"{s} ({when})" for s, when, _ in reads if s != 200)
    shown = sum(1 for *_, tb in reads if tb) + sum(1 for s in load.submissions if s[3])
    figures["tracebacks"] = shown

    submitted = load.submissions
    confirmed = [s for s in submitted if s[2] == 303]
    refused = [s for s in submitted if s[2] != 303]
    versions = {
        v.response.party_id: v
        for v in ResponseVersion.objects.filter(
            kind=ResponseVersion.SUBMITTED, response__party__name__startswith="Parti tempête"
        ).select_related("response")
    }
    lost = [
        s
        for s in confirmed
        if s[0] not in versions
        or s[1] not in json.dumps(versions[s[0]].answers, ensure_ascii=False)
    ]
    untold = [s for s in refused if not isinstance(s[2], int) or 200 <= s[2] < 300]
    figures.update(
        submissions=len(submitted),
        confirmed=len(confirmed),
        refused=Counter(f"{s[2]} ({s[4]})" for s in refused),
        lost=len(lost),
        untold=len(untold),
        stored_though_refused=sum(1 for s in refused if s[0] in versions),
    )
    received, moments = Counter(), {}
    offset = time.time() - time.monotonic()
    for message in (WORK / "mail").glob("*"):
        for to in re.findall(r"^To: (tempete\d+@parti\.example)$", message.read_text(), re.M):
            received[to] += 1
            moments.setdefault(to, []).append(during(message.stat().st_mtime - offset))
    expected = {versions[p].response.party.contact_email for p in versions}
    figures["emails"] = sum(received.values())
    figures["emails_twice"] = sum(1 for n in received.values() if n > 1)
    figures["emails_twice_when"] = Counter(
        " / ".join(moments[to]) for to, n in received.items() if n > 1
    )
    figures["emails_missing"] = len(expected - set(received))
    killed = DBTaskResult.objects.get(pk=killed_task)
    figures["killed_task"] = killed.status
    figures["failed_tasks"] = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count()
    figures["healthy"] = all(healthy(port) for port in APPS) and healthy(PROXY)
    figures["alive"] = [n for n, p in processes.items() if p.poll() is not None]
    return figures


def spelled(counter):
    return ", ".join(f"{what} : {n}" for what, n in sorted(counter.items())) or "aucune"


def requirements(f):
    return [
        (
            "lectures publiques à travers Varnish : au moins 99 % de 200",
            f["reads_ok"] >= 0.99 * f["reads"],
            f"{f['reads_ok']}/{f['reads']} ({100 * f['reads_ok'] / max(f['reads'], 1):.1f} %)"
            + (f"; autres : {spelled(f['reads_other'])}" if f["reads_other"] else ""),
        ),
        ("aucune trace d’erreur (traceback) montrée", f["tracebacks"] == 0, str(f["tracebacks"])),
        (
            "aucune soumission confirmée perdue (enregistrée, avec son texte)",
            f["lost"] == 0 and f["confirmed"] > 0,
            f"{f['confirmed']} confirmées sur {f['submissions']}, {f['lost']} perdues",
        ),
        (
            "chaque soumission refusée l’a été par une réponse d’erreur (jamais un 2xx)",
            f["untold"] == 0,
            f"refusées : {spelled(f['refused'])}, sans réponse ou 2xx : {f['untold']}, "
            f"enregistrées quand même : {f['stored_though_refused']}",
        ),
        (
            "chaque courriel de confirmation envoyé exactement une fois",
            f["emails_twice"] == 0 and f["emails_missing"] == 0,
            f"{f['emails']} courriels, {f['emails_twice']} en double"
            + (f" ({spelled(f['emails_twice_when'])})" if f["emails_twice"] else "")
            + f", {f['emails_missing']} manquants",
        ),
        (
            "l’envoi interrompu par le SIGKILL repris (bail) et réussi",
            f["killed_task"] == TaskResultStatus.SUCCESSFUL,
            str(f["killed_task"]),
        ),
        ("aucune tâche en échec", f["failed_tasks"] == 0, str(f["failed_tasks"])),
        (
            "tout rétabli sans intervention : /sante/ en ordre, aucun processus mort",
            f["healthy"] and not f["alive"],
            "oui" if f["healthy"] and not f["alive"] else f"arrêtés : {f['alive']}",
        ),
    ]


def write_figures(rows, f):
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    events = "; ".join(event for _, event in timeline)
    table = "\n".join(
        [
            START,
            f"Mesuré le {today} par la phase de chaos de `make production-check` "
            f"({os.cpu_count()} cœurs, {f['elapsed']:.0f} s, {READERS} lecteurs et {PARTIES} "
            f"partis en continu) : {events}.",
            "",
            "| exigence | résultat | tenue |",
            "| --- | --- | --- |",
            *(
                f"| {what} | {result} | {'oui' if ok else '**non**'} |"
                for what, ok, result in rows
            ),
            END,
        ]
    )
    print(table)
    text = DOCS.read_text()
    if START in text and END in text:
        before, rest = text.split(START, 1)
        DOCS.write_text(before + table + rest.split(END, 1)[1])


def main():
    started, load = time.monotonic(), None
    try:
        load = setup()
        killed_task = storm(load)
        figures = results(load, killed_task, started)
    except CheckFailed as failure:
        if load:
            load.finish()
        print(f"ÉCHEC : {failure}", file=sys.stderr)
        return 1
    rows = requirements(figures)
    write_figures(rows, figures)
    failed = [what for what, ok, _ in rows if not ok]
    for what, ok, result in rows:
        print(f"  {'ok' if ok else 'NON'}  {what} : {result}")
    if failed:
        print(f"ÉCHEC (chaos) : {len(failed)} exigence(s) non tenue(s)", file=sys.stderr)
        return 1
    check(True, "phase de chaos : toutes les exigences tenues")
    return 0


if __name__ == "__main__":
    sys.exit(main())
