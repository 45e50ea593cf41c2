"""Django's Redis cache, for a cache that may stop answering.

A cache is a copy: when Redis is down, a read is a miss and a write is skipped, so that the
pages are rendered from the database (Wagtail's site paths, the page cache, the menu, image
renditions). After a failure, Redis is left alone for `PAUSE` seconds: a dead Redis costs one
timeout per process and thread, not one per read. Counters and locks (`add`, `incr`,
`decr`) still raise: their callers (the rate limits) decide what a missing count means.

Each backend (one per thread) also keeps its Redis clients, instead of making one per call:
a page served from the cache is one MGET on a pooled connection.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

from redis.exceptions import RedisError

logger = logging.getLogger("collectif.delivery.cache")

PAUSE = 5
ERRORS = (RedisError, OSError)


class PooledClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


class RedisCache(DjangoRedisCache):
    _down_until = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = PooledClient

    def _forgiving(self, action, default, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return default
        try:
            return action(*args, **kwargs)
        except ERRORS as error:
            self._down_until = time.monotonic() + PAUSE
            logger.warning("Cache injoignable, les pages sont rendues sans lui : %s", error)
            return default

    def make_and_validate_key(self, key, version=None):
        # Django's check warns of keys memcached would refuse; Redis takes any key, and this
        # check costs more than the rest of a page-cache hit's key handling.
        return self.make_key(key, version=version)

    def get(self, key, default=None, version=None):
        return self._forgiving(super().get, default, key, default, version)

    def get_many(self, keys, version=None):
        return self._forgiving(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._forgiving(super().has_key, False, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._forgiving(super().set, None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._forgiving(super().set_many, [], data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._forgiving(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._forgiving(super().delete, False, key, version)

    def delete_many(self, keys, version=None):
        self._forgiving(super().delete_many, None, keys, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._raise_while_down()
        return super().add(key, value, timeout, version)

    def delete_or_raise(self, key):
        """`delete` for what must not silently stay (a mark that stops work from being
        queued): raises when Redis cannot answer."""
        self._raise_while_down()
        return super().delete(key)

    def _raise_while_down(self):
        if time.monotonic() < self._down_until:
            raise RedisError("Redis ne répond pas")

    def count_hit(self, key, timeout):
        """One more hit of a counter whose window ends `timeout` seconds after its first hit
        (INCR, and EXPIRE NX: only the first sets the end), in one round trip and one
        transaction (a counter never outlives its window). Its count now. Raises when Redis
        cannot answer, as `add` and `incr` do: the caller decides what a missing count
        means."""
        self._raise_while_down()
        key = self.make_and_validate_key(key)
        pipeline = self._cache.get_client(key, write=True).pipeline(transaction=True)
        pipeline.incr(key)
        pipeline.expire(key, timeout, nx=True)
        count, _ = pipeline.execute()
        return count

    def exchange_many(self, data, timeout, then=None):
        """Sets every key of `data` for `timeout` seconds, then every key of `then` for good,
        in this order and in one round trip; the keys of `data` that had a value before.
        Redis down: nothing set, and none had a value."""

        def exchange():
            client = self._cache.get_client(None, write=True)
            pipeline = client.pipeline(transaction=False)
            dumps = self._cache._serializer.dumps
            for key, value in data.items():
                pipeline.set(self.make_and_validate_key(key), dumps(value), ex=timeout, get=True)
            for key, value in (then or {}).items():
                pipeline.set(self.make_and_validate_key(key), dumps(value))
            before = pipeline.execute()[: len(data)]
            return {key for key, old in zip(data, before, strict=True) if old is not None}

        return self._forgiving(exchange, set())
