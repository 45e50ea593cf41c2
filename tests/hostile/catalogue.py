"""The catalogue of hostile inputs (inputs.yaml), for every endpoint's test to share."""

from pathlib import Path
from urllib.parse import quote

from django.core.validators import validate_email

import yaml

CATALOGUE = yaml.safe_load((Path(__file__).parent / "inputs.yaml").read_text(encoding="utf-8"))
INPUTS = CATALOGUE["inputs"]
FORM = "application/x-www-form-urlencoded"


def expand(entry):
    """(text for forms and query strings or None for raw bytes, the same percent-encoded)."""
    if "raw" in entry:
        return None, entry["raw"]
    if "repeat" in entry:
        value = entry["repeat"]["text"] * entry["repeat"]["times"]
    else:
        value = entry["value"]
    return value, quote(value, safe="")


def form_body(fields, encoded):
    """A urlencoded body: each field whose value is None gets the hostile input."""
    return "&".join(f"{name}={encoded if value is None else value}" for name, value in fields)


def response_text(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace")


def assert_escaped(testcase, response, value):
    """Markup a page echoes is escaped: the input never comes back as it was sent."""
    if value is None or "<" not in value or len(value) < 4:
        return
    testcase.assertNotIn(value[:200], response_text(response))


def assert_valid_emails(values):
    for email in values:
        validate_email(email)
