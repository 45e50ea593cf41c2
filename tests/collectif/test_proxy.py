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
from tests.campaigns.factories import PartyFactory

BAN_PATH = ban_proxy_pages.module_path


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
        with self.captureOnCommitCallbacks(execute=True):
            PartyFactory()

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
                received.append((self.command, self.path))
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
        self.assertEqual(received, [("BAN", "/")])

    @override_settings(WAGTAILFRONTENDCACHE=proxy_settings("http://127.0.0.1:1"))
    def test_an_unreachable_proxy_is_logged_not_raised(self):
        with self.assertLogs("collectif.proxy", "ERROR") as logs:
            ban_proxy_pages.call()
        self.assertIn("Mandataire 127.0.0.1:1 injoignable", logs.output[0])


@pytest.mark.skipif(not shutil.which("varnishd"), reason="Debian's varnish is not installed")
def test_the_vcl_compiles_and_keeps_its_rules(tmp_path):
    vcl = Path(__file__).resolve().parents[2] / "deploy" / "varnish" / "collectif.vcl"
    result = subprocess.run(
        ["varnishd", "-C", "-f", str(vcl), "-n", str(tmp_path / "varnish")],
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
    ):
        assert rule in text, rule


VCL = Path(__file__).resolve().parents[2] / "deploy" / "varnish" / "collectif.vcl"
TOKEN = "3f-0123456789abcdef0123456789abcdef01234567"


def documented_format():
    """The varnishncsa format the VCL's header documents (and docs/exploitation.md)."""
    line = next(line for line in VCL.read_text().splitlines() if "varnishncsa -F '" in line)
    return line.split("-F '", 1)[1].rsplit("'", 1)[0]


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
