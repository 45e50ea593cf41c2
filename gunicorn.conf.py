"""Gunicorn, as the site runs in production: `gunicorn -c gunicorn.conf.py`.

Threads (gthread): a slow client (a phone on a bad network, or someone trickling headers on
purpose) holds one thread, not a whole worker; the proxy in front (nginx, Caddy) still should
buffer requests and cap their size and time (docs/exploitation.md). Every value can be
changed by an environment variable."""

import multiprocessing
import os

wsgi_app = "collectif.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8)))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))

# A request that takes longer than this is stopped and its worker restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Idle keep-alive connections are closed quickly: each holds a thread.
keepalive = 5
# No recycling after a count of requests: under load it restarted a worker every few seconds
# (each restart reloads the site and empties its in-process caches), halving capacity. A
# worker is recycled instead when its memory passes GUNICORN_MAX_WORKER_MEMORY_MB (after the
# request it is serving): a slow leak never grows for long, and a healthy worker is never
# restarted. GUNICORN_MAX_REQUESTS brings the count back if ever needed.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
max_worker_memory_mb = int(os.environ.get("GUNICORN_MAX_WORKER_MEMORY_MB", "512"))


def worker_memory_mb():
    """The worker's resident memory now, in MiB (Linux)."""
    with open("/proc/self/statm") as statm:
        resident_pages = int(statm.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


def post_request(worker, req, environ, resp):
    if max_worker_memory_mb and worker.alive and worker_memory_mb() > max_worker_memory_mb:
        worker.log.warning(
            "Processus gunicorn %s recyclé : mémoire au-delà de %s Mo",
            worker.pid,
            max_worker_memory_mb,
        )
        # Gunicorn ends the worker gracefully once its requests are done; the arbiter starts
        # a new one.
        worker.alive = False


# Request line and headers: gunicorn's own limits, kept explicit.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# Logs on standard output and error; no private-link token in either.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
logger_class = "collectif.operations.gunicorn_logging.RedactingLogger"
# The client address of the access log is the proxy's; the forwarded one comes from the
# trusted proxy's header (see CLIENT_IP_HEADER in docs/exploitation.md).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
