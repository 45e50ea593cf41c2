"""Requests Django refuses (a forged host, a method the site never answers, a bad body): a
French 4xx, logged at WARNING, never a 500, on the production's settings as on `make run`'s
development server."""

import urllib.error
import urllib.request

from django.test import LiveServerTestCase, TestCase, override_settings

from tests.collectif.support import ConsoleOutput
from tests.home.factories import build_site_tree

# As in production: only the site's own name (test settings accept any host).
SITE_HOSTS = ["site.example"]


@override_settings(ALLOWED_HOSTS=SITE_HOSTS)
class ForgedHostTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()

    def test_a_forged_host_is_a_french_400_on_every_kind_of_page(self):
        # Home (kept by the page cache), a theme, the search, a form, the admin, a private
        # link, health: each reads the host in its own way.
        for path in (
            "/",
            self.tree["themes"][0].url,
            "/recherche/?q=x",
            "/infolettre/",
            "/admin/",
            "/campagnes/acces/1-abc/",
            "/sante/",
            "/sitemap.xml",
        ):
            for host in (
                "evil.example",
                "site.example.evil.example",
                "site.example:bad",
                "[::1",
                "a" * 300,
                "site.example\r\nX: y",
            ):
                with self.subTest(path=path, host=host[:20]):
                    response = self.client.get(path, HTTP_HOST=host)
                    self.assertContains(response, "Demande refusée", status_code=400)
                    self.assertContains(response, "rien n’a été enregistré", status_code=400)
        # The victim's side: the real host still reads the page.
        self.assertEqual(self.client.get("/", HTTP_HOST="site.example").status_code, 200)

    def test_a_forged_host_is_logged_at_warning_not_error(self):
        with ConsoleOutput() as output:
            self.client.get("/", HTTP_HOST="evil.example")
            self.client.post("/infolettre/", {"email": "a@b.ca"}, HTTP_HOST="evil.example")
        self.assertIn("WARNING django.security.DisallowedHost", output.text)
        self.assertNotIn("ERROR", output.text)

    def test_forwarded_host_headers_are_not_trusted(self):
        response = self.client.get(
            "/", HTTP_HOST="site.example", HTTP_X_FORWARDED_HOST="evil.example"
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "evil.example")


class MethodTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()

    def test_trace_and_unknown_methods_get_a_french_405(self):
        for method in ("TRACE", "TRACK", "CONNECT", "PROPFIND", "FOO"):
            for path in ("/", self.tree["themes"][0].url, "/infolettre/", "/admin/"):
                with self.subTest(method=method, path=path):
                    response = self.client.generic(method, path)
                    self.assertContains(response, "Demande refusée", status_code=405)
                    self.assertIn("GET", response["Allow"])

    def test_a_view_refusing_a_method_answers_in_french_with_its_allow_header(self):
        for method, path in (
            ("PUT", "/infolettre/"),
            ("DELETE", "/infolettre/"),
            ("POST", "/recherche/"),
        ):
            with self.subTest(method=method, path=path):
                response = self.client.generic(method, path)
                self.assertContains(response, "ce type de demande", status_code=405)
                self.assertNotIn("PUT", response["Allow"])

    def test_a_refused_method_is_one_warning_line(self):
        with ConsoleOutput() as output:
            self.client.generic("PUT", "/infolettre/")
            self.client.generic("TRACE", "/")
        lines = [line for line in output.text.splitlines() if "Method Not Allowed" in line]
        self.assertEqual(len(lines), 2, output.text)
        self.assertTrue(all(line.startswith("WARNING") for line in lines), lines)

    def test_bad_bodies_are_french_400_at_warning(self):
        with ConsoleOutput() as output, override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=5):
            many = "&".join(f"f{n}=x" for n in range(10))
            broken = b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb'
            for body, kind in (
                (many, "application/x-www-form-urlencoded"),
                (broken, "multipart/form-data; boundary=x"),
                (b"x", "multipart/form-data"),
            ):
                with self.subTest(kind=kind):
                    response = self.client.generic("POST", "/infolettre/", body, content_type=kind)
                    # Refused by Django (400) or by the form (its French errors, 400).
                    self.assertEqual(response.status_code, 400)
                    self.assertContains(response, "<h1>", status_code=400)
                    self.assertNotContains(response, "Traceback", status_code=400)
        self.assertNotIn("ERROR", output.text)


class ContentLengthTests(TestCase):
    def test_an_invalid_content_length_is_a_french_400(self):
        for value in ("abc", "1e9", "-1", "0x10"):
            for path in ("/infolettre/", "/admin/login/", "/campagnes/acces/1-abc/1/"):
                with self.subTest(value=value, path=path):
                    response = self.client.generic(
                        "POST",
                        path,
                        b"email=a%40b.ca",
                        content_type="application/x-www-form-urlencoded",
                        CONTENT_LENGTH=value,
                    )
                    self.assertContains(response, "Demande refusée", status_code=400)

    def test_a_valid_one_still_reads_the_form(self):
        response = self.client.generic(
            "POST",
            "/infolettre/",
            b"email=pas-une-adresse&consent=on",
            content_type="application/x-www-form-urlencoded",
            CONTENT_LENGTH=" 32 ",
        )
        self.assertContains(response, "n’est pas valide", status_code=400)


class DevelopmentServerBodyLimitTests(LiveServerTestCase):
    """The server of `make run` (and of the browser tests) answers the 413 too: a WSGI
    application may not send `Connection: close`, which that server answers with a 500."""

    # What the migrations wrote (the tree's root, its locale) comes back before the test and
    # after another transactional test's flush.
    serialized_rollback = True

    def test_a_body_over_the_limit_is_a_french_413(self):
        build_site_tree()
        request = urllib.request.Request(
            f"{self.live_server_url}/infolettre/",
            data=b"email=a%40b.ca&x=" + b"x" * (300 * 1024),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        with self.assertRaises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(request, timeout=30)
        self.assertEqual(caught.exception.code, 413)
        self.assertIn("Envoi trop volumineux", caught.exception.read().decode())
