"""Gunicorn's logger, without private-link tokens: the access log's request line, path and
referrer, and the error log's messages, go through collectif.operations.logs.redact. With
LOG_FORMAT=json (the default: gunicorn runs in production only), both logs are JSON lines
like the site's own (collectif.operations.logs.JsonFormatter), the access line with the
request id the site answered with. Named in gunicorn.conf.py (logger_class); imports nothing
of Django."""

import datetime
import json
import logging
import os

from gunicorn.glogging import Logger

from collectif.operations.logs import JsonFormatter, redact


def _redact_all(values):
    return tuple(redact(v) if isinstance(v, str) else v for v in values)


def json_logs():
    return os.environ.get("LOG_FORMAT", "json") == "json"


class RedactingLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        if json_logs():
            for handler in self.error_log.handlers:
                handler.setFormatter(JsonFormatter())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }

    def access(self, resp, req, environ, request_time):
        if not json_logs():
            return super().access(resp, req, environ, request_time)
        if not (self.cfg.accesslog or self.cfg.logconfig or self.cfg.syslog):
            return None
        atoms = self.atoms(resp, req, environ, request_time)
        request_id = next(
            (value for name, value in resp.headers if name.lower() == "x-request-id"), None
        )
        entry = {
            "time": datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds"),
            "level": "INFO",
            "logger": "gunicorn.access",
            "message": atoms["r"],
            "request_id": request_id,
            "status": resp.status_code,
            "bytes": atoms["B"],
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            # The proxy's address behind Varnish; a reader's only without a proxy (kept 30
            # days at most: docs/confidentialite.md).
            "client": atoms["h"],
        }
        try:
            self.access_log.info(json.dumps(entry, ensure_ascii=False))
        except Exception:
            logging.getLogger(__name__).exception("Ligne du journal d’accès perdue")
        return None

    def critical(self, msg, *args, **kwargs):
        super().critical(redact(msg), *_redact_all(args), **kwargs)

    def error(self, msg, *args, **kwargs):
        super().error(redact(msg), *_redact_all(args), **kwargs)

    def warning(self, msg, *args, **kwargs):
        super().warning(redact(msg), *_redact_all(args), **kwargs)

    def info(self, msg, *args, **kwargs):
        super().info(redact(msg), *_redact_all(args), **kwargs)

    def debug(self, msg, *args, **kwargs):
        super().debug(redact(msg), *_redact_all(args), **kwargs)

    def exception(self, msg, *args, **kwargs):
        super().exception(redact(msg), *_redact_all(args), **kwargs)
