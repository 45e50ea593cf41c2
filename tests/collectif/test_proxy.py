"""The caching proxy follows the site's page cache: a change that renews the site's pages
asks every proxy to drop its pages (BAN), once per burst of changes."""

import shutil
import subprocess
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer
from pathlib import Path

from django.test import TestCase, override_settings
from django.utils import timezone

import pytest
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from collectif.delivery import cache, proxy
from collectif.delivery.proxy import ban_proxy_pages
from tests.home.factories import MemberOrganisationFactory

BAN_PATH = ban_proxy_pages.module_path
ROOT = Path(__file__).resolve().parents[2]


def proxy_settings(location="http://127.0.0.1:6081"):
    return {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": location,
        }
    }


def waiting_bans():
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=BAN_PATH).count()


class BanTests(TestCase):
    def change(self):
        # A member organisation shows on the home page: every page is renewed.
        with self.captureOnCommitCallbacks(execute=True):
            MemberOrganisationFactory()

    def test_no_proxy_no_task(self):
        self.change()
        self.assertEqual(waiting_bans(), 0)

    @override_settings(WAGTAILFRONTENDCACHE=proxy_settings())
    def test_a_burst_of_changes_makes_one_waiting_ban(self):
        self.change()
        self.change()
        self.change()
        self.assertEqual(waiting_bans(), 1)

    @override_settings(WAGTAILFRONTENDCACHE=proxy_settings())
    def test_a_campaigns_pages_are_banned_once_per_burst_a_moment_later(self):
        # Parties correcting every second after publication: one ban waits two seconds and
        # takes every correction of that time, instead of one ban each.
        before = timezone.now()
        for _ in range(3):
            cache.renew_paths(["/campagnes/c/", "/boussole/theme/"], "essai")
        waiting = DBTaskResult.objects.get(status=TaskResultStatus.READY, task_path=BAN_PATH)
        self.assertEqual(waiting.args_kwargs["args"], [["/boussole/theme/", "/campagnes/c/"]])
        self.assertGreaterEqual(waiting.run_after, before + proxy.PATH_BAN_DELAY)
        self.assertLess(waiting.run_after, timezone.now() + proxy.PATH_BAN_DELAY)
        self.assertEqual(proxy.PATH_BAN_DELAY, timedelta(seconds=2))
        # A change the whole site shows is banned at once.
        self.change()
        site_wide = DBTaskResult.objects.get(
            status=TaskResultStatus.READY, task_path=BAN_PATH, args_kwargs__args=[]
        )
        # (the queue's « no date » is its largest date)
        self.assertFalse(before < site_wide.run_after < timezone.now() + timedelta(days=1))

    @override_settings(
        WAGTAILFRONTENDCACHE=proxy_settings("http://127.0.0.1:1"),
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    )
    def test_a_backend_that_runs_tasks_at_once_bans_at_once(self):
        # load_demo_content runs its tasks at once: a campaign's ban cannot wait there.
        with self.assertLogs("collectif.delivery.proxy", "ERROR") as logs:
            cache.renew_paths(["/campagnes/c/"], "essai")
        self.assertIn("Mandataire 127.0.0.1:1 injoignable", logs.output[0])

    def test_the_task_sends_ban_to_each_proxy(self):
        received = []

        class Proxy(BaseHTTPRequestHandler):
            def do_BAN(self):
                received.append((self.command, self.path, self.headers.get("X-Ban")))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        server = HTTPServer(("127.0.0.1", 0), Proxy)
        thread = threading.Thread(target=server.handle_request)
        thread.start()
        try:
            with override_settings(
                WAGTAILFRONTENDCACHE=proxy_settings(f"http://127.0.0.1:{server.server_port}")
            ):
                ban_proxy_pages.call()
        finally:
            thread.join(5)
            server.server_close()
        self.assertEqual(received, [("BAN", "/", None)])

    def test_a_ban_of_addresses_sends_one_ban_per_address(self):
        received = []

        class Proxy(BaseHTTPRequestHandler):
            def do_BAN(self):
                received.append((self.command, self.path, self.headers.get("X-Ban")))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        server = HTTPServer(("127.0.0.1", 0), Proxy)
        thread = threading.Thread(target=lambda: [server.handle_request() for _ in range(2)])
        thread.start()
        try:
            with override_settings(
                WAGTAILFRONTENDCACHE=proxy_settings(f"http://127.0.0.1:{server.server_port}")
            ):
                ban_proxy_pages.call(["/boussole/thème/", "/campagnes/c/"])
        finally:
            thread.join(5)
            server.server_close()
        self.assertEqual(
            received,
            [("BAN", "/boussole/th%C3%A8me/", "path"), ("BAN", "/campagnes/c/", "path")],
        )

    @override_settings(WAGTAILFRONTENDCACHE=proxy_settings("http://127.0.0.1:1"))
    def test_an_unreachable_proxy_is_logged_not_raised(self):
        with self.assertLogs("collectif.delivery.proxy", "ERROR") as logs:
            ban_proxy_pages.call()
        self.assertIn("Mandataire 127.0.0.1:1 injoignable", logs.output[0])


VARNISHD = shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin")


@pytest.mark.skipif(not VARNISHD, reason="Debian's varnish is not installed")
def test_the_vcl_compiles_and_keeps_its_rules(tmp_path):
    vcl = Path(__file__).resolve().parents[2] / "deploy" / "varnish" / "collectif.vcl"
    result = subprocess.run(
        [VARNISHD, "-C", "-f", str(vcl), "-n", str(tmp_path / "varnish")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    text = vcl.read_text()
    # What make production-check exercises depends on these staying.
    for rule in (
        "acl purgers",
        '"127.0.0.1";',
        "return (purge);",
        "campagnes/acces",
        "(sessionid|messages)=",
        'req.method != "GET" && req.method != "HEAD"',
        '.url = "/sante/ping";',
        'std.log("url:"',
        'std.log("referer:"',
        'req.http.X-Ban == "path"',
        "obj.http.X-Path == ",
        "(?!(partis|questions)=)",
        "std.querysort(req.url)",
    ):
        assert rule in text, rule


# Varnish itself, in front of an app server that can be told to fail or to stop.


class FakeApp(BaseHTTPRequestHandler):
    """Answers like the site: /sante/ping always, a public page kept 1 s by Varnish
    (s-maxage=1, then only served from its grace), or the 503 that the site shows when its
    database is down (mode "fail")."""

    protocol_version = "HTTP/1.1"
    mode = "ok"
    version = 1
    hits = {}
    released = threading.Event()

    def log_message(self, *args):
        pass

    def do_GET(self):
        if FakeApp.mode == "down":
            # Even on a connection kept alive from before: no answer at all.
            self.close_connection = True
            return
        if self.path != "/sante/ping":
            FakeApp.hits[self.path] = FakeApp.hits.get(self.path, 0) + 1
            # Busy rendering until the test releases it (released at every start).
            FakeApp.released.wait(timeout=60)
        if self.path == "/sante/ping":
            self.answer(200, b"ok", {"Cache-Control": "no-store"})
        elif FakeApp.mode == "fail":
            body = "<p>Base de données indisponible (page du site)</p>".encode()
            self.answer(503, body, {"Retry-After": "60"})
        else:
            body = f"<p>{self.path} version {FakeApp.version}</p>".encode()
            self.answer(200, body, {"Cache-Control": "public, max-age=0, s-maxage=1"})

    do_POST = do_GET

    def answer(self, status, body, headers):
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


def free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path, method="GET", timeout=30):
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=b"" if method == "POST" else None)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


@pytest.fixture
def varnish():
    import tempfile

    FakeApp.mode, FakeApp.version, FakeApp.hits = "ok", 1, {}
    FakeApp.released.set()
    app = ThreadingHTTPServer(("127.0.0.1", 0), FakeApp)
    app.daemon_threads = True
    threading.Thread(target=app.serve_forever, daemon=True).start()
    app_port, proxy_port = app.server_address[1], free_port()
    work = Path(tempfile.mkdtemp(prefix="collectif-varnish-"))
    work.chmod(0o755)
    vcl = Path(__file__).resolve().parents[2] / "deploy" / "varnish" / "collectif.vcl"
    text = vcl.read_text().replace('"8000"', f'"{app_port}"').replace('"8001"', f'"{app_port}"')
    (work / "collectif.vcl").write_text(text)
    process = subprocess.Popen(
        ["varnishd", "-F", "-n", str(work / "n"), "-a", f"127.0.0.1:{proxy_port}"]
        + ["-f", str(work / "collectif.vcl"), "-s", "malloc,32m"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(proxy_port, "/sante/ping")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "Varnish did not start"
            time.sleep(0.2)
        yield app, proxy_port
    finally:
        process.terminate()
        process.wait(timeout=30)
        app.server_close()
        shutil.rmtree(work, ignore_errors=True)


def wait_until(condition, what, limit=60):
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.1)


def assert_maintenance_page(status, headers, body):
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert "no-store" in headers["Cache-Control"]
    assert "Le site est momentanément indisponible" in body
    assert "<script" not in body and "style=" not in body


@pytest.mark.skipif(not shutil.which("varnishd"), reason="Debian's varnish is not installed")
def test_varnish_serves_stale_pages_while_the_app_fails_and_never_stores_an_error(varnish):
    app, proxy = varnish
    assert get(proxy, "/page/")[2] == "<p>/page/ version 1</p>"
    time.sleep(2)  # past its 1 s: stale

    # The site answers 503 (its database is down): the stored page is served, again and
    # again; the app was asked (a refresh), its error was not kept.
    FakeApp.mode = "fail"
    FakeApp.version = 2
    hits = FakeApp.hits["/page/"]
    for _ in range(3):
        status, _, body = get(proxy, "/page/")
        assert (status, body) == (200, "<p>/page/ version 1</p>")
    wait_until(lambda: FakeApp.hits["/page/"] > hits, "the app asked for a refresh")
    # A page Varnish never had: the site's own 503 page (French, Retry-After), fetched each
    # time (never stored).
    for _ in range(2):
        status, headers, body = get(proxy, "/jamais-lue/")
        assert status == 503 and "page du site" in body and headers["Retry-After"] == "60"
    before = FakeApp.hits["/jamais-lue/"]
    get(proxy, "/jamais-lue/")
    assert FakeApp.hits["/jamais-lue/"] > before

    # Every app server down: stored pages still served, Varnish's maintenance page for the
    # rest, forms included.
    FakeApp.mode = "down"
    app.shutdown()
    app.socket.close()
    status, _, body = get(proxy, "/page/")
    assert (status, body) == (200, "<p>/page/ version 1</p>")
    assert_maintenance_page(*get(proxy, "/autre/"))
    assert_maintenance_page(*get(proxy, "/campagnes/acces/x/", method="POST"))


@pytest.mark.skipif(not shutil.which("varnishd"), reason="Debian's varnish is not installed")
def test_varnish_serves_fresh_pages_again_once_the_app_is_back(varnish):
    app, proxy = varnish
    get(proxy, "/page/")
    time.sleep(2)  # past its 1 s: stale
    FakeApp.mode = "fail"
    assert get(proxy, "/jamais-lue/")[0] == 503
    # Back: the error was not stored, and the stale page is renewed by the next reads.
    FakeApp.mode, FakeApp.version = "ok", 2
    assert get(proxy, "/jamais-lue/")[:3:2] == (200, "<p>/jamais-lue/ version 2</p>")
    wait_until(lambda: get(proxy, "/page/")[2] == "<p>/page/ version 2</p>", "a fresh page")


@pytest.mark.skipif(not shutil.which("varnishd"), reason="Debian's varnish is not installed")
def test_readers_of_a_page_kept_seconds_never_wait_for_its_refresh(varnish):
    """A live page (collectif/delivery/cache.py: kept LIVE_PROXY_MAX_AGE by the proxy, here
    1 s): past its time, its readers get the copy Varnish has at once while one fetch
    refreshes it, however long the app takes; then the new one."""
    app, proxy = varnish
    assert get(proxy, "/page/")[2] == "<p>/page/ version 1</p>"
    time.sleep(2)  # past its 1 s
    FakeApp.version = 2
    FakeApp.released.clear()
    try:
        hits = FakeApp.hits["/page/"]
        # The app is held until released: a reader who waited for it would time out here.
        for _ in range(5):
            status, _, body = get(proxy, "/page/", timeout=10)
            assert (status, body) == (200, "<p>/page/ version 1</p>")
        wait_until(lambda: FakeApp.hits["/page/"] > hits, "the refresh")
        # One refresh for all of them.
        assert FakeApp.hits["/page/"] == hits + 1
    finally:
        FakeApp.released.set()
    wait_until(lambda: get(proxy, "/page/")[2] == "<p>/page/ version 2</p>", "the new page")


@pytest.mark.skipif(not VARNISHD, reason="Debian's varnish is not installed")
def test_varnish_keys_on_the_read_parameters_and_bans_one_address(tmp_path):
    """The VCL run for real in front of a stub app: made-up query parameters make no new
    object, the comparison's are sorted, and `BAN <path>` drops that address only."""
    import socket
    import time
    import urllib.request
    from http.server import ThreadingHTTPServer

    seen = []

    class App(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            body = f"{self.path} {len(seen)}".encode()
            self.send_response(200)
            self.send_header("Cache-Control", "public, max-age=60, s-maxage=600")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    app = ThreadingHTTPServer(("127.0.0.1", 0), App)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    vcl = tmp_path / "test.vcl"
    source = (
        Path(__file__).resolve().parents[2] / "deploy" / "varnish" / "collectif.vcl"
    ).read_text()
    for original in ('.port = "8000";', '.port = "8001";'):
        source = source.replace(original, f'.port = "{app.server_port}";')
    vcl.write_text(source)
    varnish = subprocess.Popen(
        # No jail: the test runs as whoever runs it, on files only that user may read.
        [
            VARNISHD,
            "-F",
            "-j",
            "none",
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(vcl),
            "-n",
            str(tmp_path / "n"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "varnish.log").open("w"),
    )

    def get(path, method="GET", **headers):
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method)
        for name, value in headers.items():
            request.add_header(name.replace("_", "-"), value)
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.read().decode()

    try:
        # Until Varnish has compiled its VCL (a C compiler: slow on a busy machine) and listens.
        for _ in range(1200):
            try:
                get("/pret/")
                break
            except OSError:
                time.sleep(0.1)
        first = get("/a/?x=1")
        assert first == get("/a/?x=2") == get("/a/")
        compared = get("/a/?partis=2&utm=1&partis=1")
        assert compared.startswith("/a/?partis=1&partis=2 ")
        assert get("/a/?partis=1&partis=2") == compared
        other = get("/b/")
        get("/a/", method="BAN", X_Ban="path")
        assert get("/a/") != first
        assert get("/a/?partis=1&partis=2") != compared
        assert get("/b/") == other
        get("/", method="BAN")
        assert get("/b/") != other
    finally:
        varnish.terminate()
        varnish.wait(timeout=30)
        app.shutdown()


VCL = Path(__file__).resolve().parents[2] / "deploy" / "varnish" / "collectif.vcl"
TOKEN = "3f-0123456789abcdef0123456789abcdef01234567"


def documented_format():
    """The varnishncsa format the VCL's header documents (and docs/exploitation.md)."""
    line = next(line for line in VCL.read_text().splitlines() if "varnishncsa -F '" in line)
    return line.split("-F '", 1)[1].rsplit("'", 1)[0]


@pytest.mark.skipif(not shutil.which("varnishd"), reason="Debian's varnish is not installed")
def test_varnish_logs_no_private_link(tmp_path):
    import os
    import signal
    import time
    import urllib.error
    import urllib.request

    port, name, pidfile = free_port(), str(tmp_path / "varnish"), tmp_path / "varnishd.pid"
    subprocess.run(
        ["varnishd", "-a", f"127.0.0.1:{port}", "-f", str(VCL), "-n", name, "-P", str(pidfile),
         "-s", "malloc,16m", "-T", "127.0.0.1:0", "-p", "vsl_space=1M"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    try:
        # A party's four addresses (its home, a questionnaire, its drafts, a static file asked
        # from its page), the app servers being down: Varnish answers 503, and logs them.
        for path, referer in (
            (f"/campagnes/acces/{TOKEN}/", None),
            (f"/campagnes/acces/{TOKEN}/2/", f"http://site.example/campagnes/acces/{TOKEN}/"),
            (f"/campagnes/acces/{TOKEN}/2/brouillon/", None),
            ("/static/css/site.css", f"http://site.example/campagnes/acces/{TOKEN}/2/"),
        ):
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
            if referer:
                request.add_header("Referer", referer)
            with pytest.raises(urllib.error.HTTPError):
                urllib.request.urlopen(request, timeout=30)

        def log(*args):
            return subprocess.run(
                ["varnishncsa", "-d", "-n", name, *args],
                capture_output=True, text=True, timeout=30,
            ).stdout.splitlines()  # fmt: skip

        deadline = time.monotonic() + 30
        while len(log()) < 4 and time.monotonic() < deadline:
            time.sleep(0.2)  # waits for Varnish to write the four transactions
        # The attacker's side: varnishncsa's default format prints the token…
        assert sum(TOKEN in line for line in log()) == 4
        # …the documented one never does, and still says what was asked.
        lines = log("-F", documented_format())
        assert len(lines) == 4
        assert not [line for line in lines if TOKEN in line or TOKEN[3:] in line]
        assert sum(line.count("/campagnes/acces/[lien-prive]/") for line in lines) == 5
        assert '"GET /static/css/site.css HTTP/1.1" 503' in lines[3]
    finally:
        os.kill(int(pidfile.read_text()), signal.SIGTERM)
