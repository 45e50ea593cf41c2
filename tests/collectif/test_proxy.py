"""The caching proxy follows the site's page cache: a change that renews the site's pages
asks every proxy to drop its pages (BAN), once per burst of changes."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from django.test import TestCase, override_settings

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
