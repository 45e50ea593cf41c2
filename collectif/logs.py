"""Nothing written in a log opens a private link: the path segment after /campagnes/acces/
(a party's token) is replaced by a placeholder, in Django's log records (django.request logs
the path of each 4xx and 5xx) and in gunicorn's access log (gunicorn.conf.py)."""

import logging
import re

REDACTED = "[lien-privé]"
PRIVATE_LINK = re.compile(r"(/campagnes/acces/)[^/?#\s\"']+")


def redact(text):
    """`text` with every private-link token replaced by a placeholder."""
    if not isinstance(text, str) or "/acces/" not in text:
        return text
    return PRIVATE_LINK.sub(r"\1" + REDACTED, text)


def _redact_value(value):
    if isinstance(value, str):
        return redact(value)
    return value


class RedactTokensFilter(logging.Filter):
    """Rewrites the record in place, so that every handler after it sees the redacted text."""

    def filter(self, record):
        record.msg = _redact_value(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redact_value(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _redact_value(value) for key, value in record.args.items()}
        request = getattr(record, "request", None)
        if request is not None and "/acces/" in getattr(request, "path", ""):
            # Handlers that print the request (AdminEmailHandler) print it redacted.
            record.request = RedactedRequest(request)
        return True


class RedactedRequest:
    """A request seen through a log: the path, full path and META redacted."""

    def __init__(self, request):
        self._request = request

    def __getattr__(self, name):
        value = getattr(self._request, name)
        if name in ("path", "path_info"):
            return redact(value)
        if name == "META":
            return {key: _redact_value(val) for key, val in value.items()}
        return value

    def get_full_path(self, *args, **kwargs):
        return redact(self._request.get_full_path(*args, **kwargs))

    def build_absolute_uri(self, *args, **kwargs):
        return redact(self._request.build_absolute_uri(*args, **kwargs))
