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
