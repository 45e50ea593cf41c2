"""Rate limits kept in the cache (Redis in production), so that they hold across app servers.

Two ways to use them:

- `@rate_limit("search", limit=60, period=60)` on a view: above the limit, per client address
  (or per `key(request)`), the view is not called and the French 429 page answers. Limits may
  also come from settings.RATE_LIMITS[scope] = (limit, period).
- `allow("newsletter-address", email, limit=1, period=3600)` inside a view, for a limit on
  something other than the client (an email address): True while under the limit.
- `hit(scope, key, period)` and `count(scope, key)`: a counter that something else than a
  request raises (the failed logins of a username, collectif/protection/lockout.py), and its value.

Counters are fixed windows: the first hit starts a window of `period` seconds.

When the shared cache cannot answer (Redis down), reading goes on: a GET or HEAD under a limit
is let through uncounted; a write (a POST, or `allow()`) is counted in this process, so that
a flood is still held, server by server, until Redis is back.
"""

import functools
import hashlib
import ipaddress
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.template.response import TemplateResponse

from redis.exceptions import RedisError

logger = logging.getLogger("collectif.protection.ratelimit")

# What a shared cache that cannot answer raises (refused connection, timeout, a Redis error).
CACHE_ERRORS = (RedisError, OSError)
# The counts of writes while the shared cache cannot answer, in this process only.
local_counts = LocMemCache("collectif-ratelimit-local", {"OPTIONS": {"MAX_ENTRIES": 10000}})
# One warning a minute per process while the shared cache is down, not one per request.
WARNING_INTERVAL = 60
_last_warning = {"at": None}
SAFE_METHODS = ("GET", "HEAD")


def client_ip(request):
    """The client's address: REMOTE_ADDR, or the header the configured proxy sets
    (settings.CLIENT_IP_HEADER). Never a header the client could set itself. None when
    there is no valid address (a request made in code)."""
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    value = request.META.get(header, "") if header else ""
    if value and header == "HTTP_X_FORWARDED_FOR":
        # Each proxy appends the address it saw: the Nth from the right is the one our own
        # (trusted) proxy saw; anything to its left was written by the client.
        parts = [p.strip() for p in value.split(",") if p.strip()]
        count = max(1, getattr(settings, "CLIENT_IP_PROXY_COUNT", 1))
        value = parts[-count] if len(parts) >= count else ""
    value = value.strip() or request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _cache_key(scope, key):
    digest = hashlib.sha256(str(key).strip().lower().encode("utf-8", "replace")).hexdigest()
    return f"ratelimit:{scope}:{digest[:32]}"


def limits_for(scope, limit=None, period=None):
    configured = getattr(settings, "RATE_LIMITS", {}).get(scope)
    if configured:
        return configured
    if limit is None or period is None:
        raise KeyError(f"No rate limit for {scope!r}: pass limit and period, or set RATE_LIMITS")
    return limit, period


def _count(store, cache_key, period):
    counter = getattr(store, "count_hit", None)
    if counter is not None:
        # Redis (collectif/delivery/cache_backend.py): one round trip.
        return counter(cache_key, period)
    if store.add(cache_key, 1, timeout=period):
        return 1
    try:
        return store.incr(cache_key)
    except ValueError:
        # Expired between add and incr: a new window.
        store.set(cache_key, 1, timeout=period)
        return 1


def count(scope, key):
    """The hits of `key` in the current window of `scope`, without counting one more (this
    process's count while the shared cache cannot answer)."""
    cache_key = _cache_key(scope, key)
    try:
        return cache.get(cache_key) or 0
    except CACHE_ERRORS:
        return local_counts.get(cache_key) or 0


def _warn_cache_down(scope, counted):
    now = time.monotonic()
    if _last_warning["at"] is not None and now - _last_warning["at"] < WARNING_INTERVAL:
        return
    _last_warning["at"] = now
    logger.warning(
        "Cache partagé injoignable : limite « %s » %s",
        scope,
        "comptée dans ce processus" if counted else "non comptée pour une lecture",
    )


def hit(scope, key, period, reading=False):
    """Count one hit for `key` in `scope`; the number of hits in the current window. When the
    shared cache cannot answer: None for a read (not counted), the count of this process for
    a write."""
    cache_key = _cache_key(scope, key)
    try:
        return _count(cache, cache_key, period)
    except CACHE_ERRORS:
        _warn_cache_down(scope, counted=not reading)
        return None if reading else _count(local_counts, cache_key, period)


def allow(scope, key, limit=None, period=None, reading=False):
    """Count a hit; True while `key` has made at most `limit` hits in `period` seconds.
    `reading`: a request that changes nothing, let through when the count cannot be kept."""
    limit, period = limits_for(scope, limit, period)
    count = hit(scope, key, period, reading=reading)
    if count is None:
        return True
    if count > limit:
        if count == limit + 1:
            logger.warning("Limite « %s » atteinte (%s requêtes en %s s)", scope, limit, period)
        return False
    return True


def too_many_requests(request, period=3600):
    response = TemplateResponse(
        request, "429.html", {"retry_minutes": max(1, round(period / 60))}, status=429
    )
    response["Retry-After"] = str(period)
    return response


def rate_limit(scope, limit=None, period=None, key=client_ip, methods=None):
    """A view decorator: above `limit` requests in `period` seconds per `key(request)` (the
    client address by default), answer the French 429 page. `methods` (e.g. ["POST"]) limits
    only those methods; None counts every request."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if methods is None or request.method in methods:
                _, window = limits_for(scope, limit, period)
                reading = request.method in SAFE_METHODS
                if not allow(scope, key(request) or "inconnue", limit, period, reading):
                    return too_many_requests(request, window)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
