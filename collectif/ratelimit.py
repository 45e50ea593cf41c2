"""Rate limits kept in the cache (Redis in production), so that they hold across app servers.

Two ways to use them:

- `@rate_limit("search", limit=60, period=60)` on a view: above the limit, per client address
  (or per `key(request)`), the view is not called and the French 429 page answers. Limits may
  also come from settings.RATE_LIMITS[scope] = (limit, period).
- `allow("newsletter-address", email, limit=1, period=3600)` inside a view, for a limit on
  something other than the client (an email address): True while under the limit.
- `hit(scope, key, period)` and `count(scope, key)`: a counter that something else than a
  request raises (the failed logins of a username, collectif/lockout.py), and its value.

Counters are fixed windows: the first hit starts a window of `period` seconds.
"""

import functools
import hashlib
import ipaddress
import logging

from django.conf import settings
from django.core.cache import cache
from django.template.response import TemplateResponse

logger = logging.getLogger("collectif.ratelimit")


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


def hit(scope, key, period):
    """Count one hit for `key` in `scope`; the number of hits in the current window."""
    cache_key = _cache_key(scope, key)
    if cache.add(cache_key, 1, timeout=period):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:
        # Expired between add and incr: a new window.
        cache.set(cache_key, 1, timeout=period)
        return 1


def count(scope, key):
    """The hits of `key` in the current window of `scope`, without counting one more."""
    return cache.get(_cache_key(scope, key)) or 0


def allow(scope, key, limit=None, period=None):
    """Count a hit; True while `key` has made at most `limit` hits in `period` seconds."""
    limit, period = limits_for(scope, limit, period)
    count = hit(scope, key, period)
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
                if not allow(scope, key(request) or "inconnue", limit, period):
                    return too_many_requests(request, window)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
