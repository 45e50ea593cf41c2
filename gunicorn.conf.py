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
# Few threads per process: the site's work is Python (one core per process at a time), and
# eight threads fighting for it cost up to a third more processor per request than two (measured
# on a party's submission, docs/performance.md).
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# A process takes a connection only when it has a thread free for it: the others wait in the
# listening socket's queue, first come first served, for whichever process frees a thread
# first. With more, a busy process would queue requests of its own while another sits idle
# (election night: a party waited up to four times longer than the median).
worker_connections = threads

# A request that takes longer than this is stopped and its worker restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# No keep-alive: an idle connection kept open would hold one of the process's connections
# (above). Behind the proxy (Varnish, nginx) this costs one connection per request on the
# local network.
keepalive = 0
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
