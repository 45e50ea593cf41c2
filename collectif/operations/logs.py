"""Nothing written in a log opens a private link: a party's token (campaigns/tokens.py:
`<invitation id in base 36>-<40 hex digits>`) is replaced by a placeholder wherever it stands
in a line, and so is whatever follows /campagnes/acces/, in Django's log records
(django.request logs the path of each 4xx and 5xx) and in gunicorn's access log
(gunicorn.conf.py). Varnish's log gets the same rule from deploy/varnish/collectif.vcl.

Requests Django refuses before any view (a forged Host header, a body too large, a malformed
one) are logged by django.security at ERROR: `RefusedRequestsFilter` writes them at WARNING,
since a stranger can send as many as they like and they say nothing about the site's health."""

import contextvars
import datetime
import json
import logging
import re
import uuid

REDACTED = "[lien-privé]"
# The token's own format, wherever it stands (after a space, in a query string, an email): an
# id in base 36 (13 characters at most for a 64-bit id) not glued to another letter or digit.
# Bounded, so that a long line costs a linear time (`[0-9a-z]+-` would retry the whole run
# of letters from each of its characters: a long address sent on purpose would stall the log).
TOKEN = re.compile(r"(?<![0-9a-z])[0-9a-z]{1,13}-[0-9a-f]{40}", re.IGNORECASE)
# Whatever follows the private links' prefix, even when it is not a well-formed token.
PRIVATE_LINK = re.compile(r"(/campagnes/acces/)\s*[^/?#\s\"']+")


def redact(text):
    """`text` with every private-link token replaced by a placeholder."""
    if not isinstance(text, str):
        return text
    text = TOKEN.sub(REDACTED, text)
    if "/acces/" in text:
        text = PRIVATE_LINK.sub(r"\1" + REDACTED, text)
    return text


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
        if hasattr(request, "META") and not isinstance(request, RedactedRequest):
            # Handlers that print the request (AdminEmailHandler) print it redacted: its
            # path, and its headers (a Referer may be a private link).
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


class RefusedRequestsFilter(logging.Filter):
    """django.security's records of refused requests (DisallowedHost, RequestDataTooBig,
    TooManyFieldsSent, a bad multipart body…) at WARNING: the client gets a 4xx, the site is
    fine. Set on the handlers, since a logger's filter never sees its children's records."""

    def filter(self, record):
        if record.name.startswith("django.security.") and record.levelno > logging.WARNING:
            record.levelno = logging.WARNING
            record.levelname = logging.getLevelName(logging.WARNING)
        return True


# Request ids and JSON lines.

_request_id = contextvars.ContextVar("request_id", default="-")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def current_request_id():
    return _request_id.get()


class RequestIdMiddleware:
    """Each request gets an id: the proxy's `X-Request-ID` when it looks like one, a new one
    otherwise. Every log record of the request carries it, and the response returns it, so
    that a reader's report, the proxy's log and the app's logs meet."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = sent if REQUEST_ID.match(sent) else uuid.uuid4().hex
        request.request_id = request_id
        # Kept after the response: Django logs a 4xx or 5xx once every middleware is done.
        # The thread's next request sets its own.
        _request_id.set(request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        if not hasattr(record, "request_id"):
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id (and the traceback
    of an error). The message is the one the redaction filter already rewrote; a traceback is
    redacted here. The `request` attached by django.request is never written: its headers hold
    cookies."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
            "request_id": getattr(record, "request_id", None) or _request_id.get(),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def scrub_sentry_event(event, hint=None):
    """What goes to Sentry: no private-link token (in the address, the message, the
    breadcrumbs), no cookie, no query string, no client address; and nothing for a request
    Django refused (a 4xx the client asked for, see RefusedRequestsFilter)."""
    if str(event.get("logger", "")).startswith("django.security."):
        return None
    request = event.get("request") or {}
    if "url" in request:
        request["url"] = redact(request["url"])
    request.pop("cookies", None)
    request.pop("query_string", None)
    request.pop("data", None)
    headers = request.get("headers") or {}
    for name in list(headers):
        if name.lower() in {"cookie", "authorization", "referer", "x-forwarded-for", "x-real-ip"}:
            headers.pop(name)
    event.pop("user", None)
    if "transaction" in event and isinstance(event["transaction"], str):
        event["transaction"] = redact(event["transaction"])
    return json.loads(redact(json.dumps(event, default=str)))
