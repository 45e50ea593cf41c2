"""The caching proxy follows the site's page cache: a change that renews the site's pages
asks every proxy to drop its pages (BAN), once per burst of changes."""

import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

from django.test import TestCase, override_settings

import pytest
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from collectif.proxy import ban_proxy_pages
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
        with self.assertLogs("collectif.proxy", "ERROR") as logs:
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
        'req.http.X-Ban == "path"',
        "obj.http.X-Path == ",
        "(?!(partis|questions)=)",
        "std.querysort(req.url)",
    ):
        assert rule in text, rule


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
