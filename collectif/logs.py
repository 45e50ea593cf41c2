"""Nothing written in a log opens a private link: the path segment after /campagnes/acces/
(a party's token) is replaced by a placeholder, in Django's log records (django.request logs
the path of each 4xx and 5xx) and in gunicorn's access log (gunicorn.conf.py)."""

import contextvars
import datetime
import json
import logging
import re
import uuid

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
    breadcrumbs), no cookie, no query string, no client address."""
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
