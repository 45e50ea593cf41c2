"""A hostile run: every forged header of inputs.yaml, with every method, to every kind of
address, with strange query strings and paths: more than ten thousand requests, not one 5xx
and not one ERROR line in the log (a refused request is a WARNING), on the production's host
rule (only the site's own name)."""

import itertools

from django.core.cache import cache
from django.db import connection
from django.test import Client, TestCase, override_settings

import pytest

from tests.collectif.support import ConsoleOutput
from tests.home.factories import build_site_tree
from tests.hostile.catalogue import CATALOGUE

# As a WSGI server passes them: the bytes received, read as Latin-1.
HEADERS = [
    {k: v.encode("utf-8").decode("latin-1") for k, v in entry.items() if k != "kind"}
    for entry in CATALOGUE["headers"]
]
BODY = b"email=parent%40exemple.ca&consent=on&q=x"
MINIMUM_REQUESTS = 10_000


# Once per CI run: the requests meet the same code on SQLite (and the catalogue's inputs run on
# both, tests/hostile/test_hostile_inputs.py).
@pytest.mark.skipif(connection.vendor != "postgresql", reason="run once, on PostgreSQL")
@override_settings(ALLOWED_HOSTS=["testserver", "site.example"], CLIENT_IP_HEADER="HTTP_X_REAL_IP")
class HostileRunTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        from tests.campaigns.factories import campaign_on_theme

        tree = build_site_tree()
        theme = tree["themes"][0]
        campaign, questionnaire, _, (invitation, _) = campaign_on_theme(
            theme, results_published=True
        )
        cls.addresses = [
            "/",
            theme.url,
            tree["pillars"][0].url,
            "/recherche/",
            "/infolettre/",
            "/admin/login/",
            "/admin/",
            invitation.private_path,
            invitation.questionnaire_path(questionnaire),
            f"/campagnes/{campaign.slug}/",
            "/sitemap.xml",
            "/sante/ping",
            "/robots.txt",
            *CATALOGUE["paths"],
        ]

    def requests(self):
        """(method, address, META) of the run: each header × each method × each address, with
        the query strings in turn; then each query string, oversized ones included, alone."""
        queries = CATALOGUE["queries"]
        methods = CATALOGUE["methods"]
        combos = itertools.product(HEADERS, methods, self.addresses)
        for number, (headers, method, address) in enumerate(combos):
            yield method, address + queries[number % len(queries)], headers
        oversized = ["?q=" + "a" * 100_000, "?" + "&".join(f"p{n}=1" for n in range(5000))]
        for query, method, address in itertools.product(
            queries + oversized, methods, self.addresses
        ):
            yield method, address + query, {}

    def test_ten_thousand_hostile_requests_make_no_5xx(self):
        client = Client(raise_request_exception=False)
        cache.clear()
        statuses, server_errors = {}, []
        with ConsoleOutput() as output:
            for method, address, headers in self.requests():
                path, _, query = address.partition("?")
                body = BODY if method in ("POST", "PUT", "PATCH", "DELETE") else b""
                response = client.generic(
                    method,
                    path,
                    body,
                    content_type="application/x-www-form-urlencoded",
                    QUERY_STRING=query,
                    **headers,
                )
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                if response.status_code >= 500 and len(server_errors) < 10:
                    server_errors.append((response.status_code, method, address[:80], headers))
        total = sum(statuses.values())
        self.assertGreaterEqual(total, MINIMUM_REQUESTS)
        self.assertEqual(server_errors, [], statuses)
        errors = [line for line in output.text.splitlines() if line.startswith("ERROR")]
        self.assertEqual(errors[:5], [])
        # Refusals did happen (the run is hostile), and readers were still served.
        for status in (200, 400, 405):
            self.assertGreater(statuses.get(status, 0), 0, statuses)
