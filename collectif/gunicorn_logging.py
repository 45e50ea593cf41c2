"""Gunicorn's logger, without private-link tokens: the access log's request line, path and
referrer, and the error log's messages, go through collectif.logs.redact. Named in
gunicorn.conf.py (logger_class); imports nothing of Django."""

from gunicorn.glogging import Logger

from collectif.logs import redact


def _redact_all(values):
    return tuple(redact(v) if isinstance(v, str) else v for v in values)


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }

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
