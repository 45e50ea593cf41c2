"""JSON log lines: one object per line, with the request's id, and never a private link's
token."""

import io
import json
import logging

import pytest

from collectif.operations.logs import JsonFormatter, RedactTokensFilter, RequestIdFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """What the production console handler writes, for django.request."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactTokensFilter())
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


def test_request_id_comes_in_goes_out_and_is_in_each_line(client, json_lines):
    token = "Zx9" * 12
    response = client.get(f"/campagnes/acces/{token}/", HTTP_X_REQUEST_ID="req-42.a_b")
    assert response.status_code == 404
    assert response["X-Request-ID"] == "req-42.a_b"
    (line,) = json_lines()
    assert set(line) >= {"time", "level", "logger", "message", "request_id"}
    assert line["request_id"] == "req-42.a_b"
    assert line["level"] == "WARNING" and line["logger"] == "django.request"
    assert token not in json.dumps(line)
    assert "/campagnes/acces/[lien-privé]/" in line["message"]


def test_a_strange_request_id_is_replaced(client):
    response = client.get("/sante/ping", HTTP_X_REQUEST_ID='x" injected\nline')
    sent = response["X-Request-ID"]
    assert sent != 'x" injected\nline'
    assert len(sent) == 32 and sent.isalnum()


def test_an_exception_is_one_line_without_token():
    record = logging.LogRecord(
        "collectif", logging.ERROR, __file__, 1, "Échec sur %s", ("/campagnes/acces/abc/",), None
    )
    try:
        raise ValueError("/campagnes/acces/secret-token/2/")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    RedactTokensFilter().filter(record)
    RequestIdFilter().filter(record)
    text = JsonFormatter().format(record)
    assert "\n" not in text
    line = json.loads(text)
    assert "secret-token" not in text and "abc" not in line["message"]
    assert "ValueError" in line["exception"]


def test_sentry_events_carry_no_token_cookie_or_address():
    from collectif.operations.logs import scrub_sentry_event

    event = {
        "request": {
            "url": "https://site.example/campagnes/acces/3-abcdef/2/",
            "cookies": {"sessionid": "s"},
            "query_string": "courriel=parent@exemple.ca",
            "headers": {"Cookie": "sessionid=s", "X-Real-IP": "203.0.113.5", "Accept": "*/*"},
        },
        "user": {"ip_address": "203.0.113.5"},
        "transaction": "/campagnes/acces/3-abcdef/",
        "exception": {"values": [{"value": "Lien /campagnes/acces/3-abcdef/ inconnu"}]},
    }
    scrubbed = json.dumps(scrub_sentry_event(event), ensure_ascii=False)
    for secret in ("3-abcdef", "sessionid", "203.0.113.5", "parent@exemple.ca"):
        assert secret not in scrubbed
    assert "/campagnes/acces/[lien-privé]/2/" in scrubbed
    assert '"Accept": "*/*"' in scrubbed


def party_token():
    from django.utils.crypto import salted_hmac

    return "3f-" + salted_hmac("x", "y", algorithm="sha256").hexdigest()[:40]


@pytest.mark.parametrize(
    "line",
    [
        "GET /campagnes/acces/{t}/ HTTP/1.1",
        "Not Found: /campagnes/acces/ {t}/2/",  # a space after the prefix
        "Lien ouvert : {t} (parti 3)",  # the token alone, after a space
        'Referer "https://site.example/campagnes/acces/{t}/2/brouillon/"',
        "next=%2Fcampagnes%2Facces%2F{t}%2F",  # percent-encoded, in a query string
        "Jeton {T} en majuscules",
    ],
)
def test_a_token_is_redacted_wherever_it_stands(line):
    from collectif.operations.logs import redact

    token = party_token()
    text = line.format(t=token, T=token.upper())
    redacted = redact(text)
    assert token not in redacted.lower()
    assert token[3:20] not in redacted.lower()
    assert "[lien-privé]" in redacted


def test_text_without_a_token_is_left_alone():
    from collectif.operations.logs import redact

    for text in ("Purge : 3 éléments", "a-b", "commit 0123456789abcdef", "/campagnes/"):
        assert redact(text) == text


def test_a_request_logged_with_its_referer_carries_no_token(client, json_lines):
    token = party_token()
    client.get("/page-introuvable/", HTTP_REFERER=f"https://site.example/campagnes/acces/{token}/")
    record_request = None

    class Keep(logging.Handler):
        def emit(self, record):
            nonlocal record_request
            record_request = record.request

    handler = Keep()
    handler.addFilter(RedactTokensFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client.get(
            "/page-introuvable/", HTTP_REFERER=f"https://site.example/campagnes/acces/{token}/"
        )
    finally:
        logger.removeHandler(handler)
    assert token not in record_request.META["HTTP_REFERER"]
    assert token not in json.dumps(json_lines())


def test_a_long_line_costs_the_redaction_a_linear_time():
    """A stranger may send a path of a million letters: every 4xx is logged, and a pattern that
    backtracks over the run of letters would hold the worker for hours (a denial of service
    through the log). In a child process, so that the old pattern fails the test, not the run."""
    import subprocess
    import sys

    code = (
        "from collectif.operations.logs import redact; "
        "line = '/' + 'a' * 300_000 + '/16-' + '0' * 40; "
        "assert redact(line) == '/' + 'a' * 300_000 + '/[lien-privé]'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
