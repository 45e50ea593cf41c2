"""Gunicorn's workers are recycled by their memory, never by a count of requests."""

import importlib.util
import logging
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

from django.test import SimpleTestCase

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def load_conf(**environ):
    spec = importlib.util.spec_from_file_location("gunicorn_conf", CONF)
    module = importlib.util.module_from_spec(spec)
    with mock.patch.dict("os.environ", environ):
        spec.loader.exec_module(module)
    return module


def worker():
    return SimpleNamespace(alive=True, pid=1234, log=logging.getLogger("gunicorn.error"))


class RecyclingTests(SimpleTestCase):
    def test_no_recycling_by_count_by_default(self):
        conf = load_conf()
        self.assertEqual((conf.max_requests, conf.max_requests_jitter), (0, 0))
        self.assertEqual(load_conf(GUNICORN_MAX_REQUESTS="5000").max_requests_jitter, 500)

    def test_a_worker_over_its_memory_limit_ends_after_its_request(self):
        conf = load_conf(GUNICORN_MAX_WORKER_MEMORY_MB="300")
        big = worker()
        with (
            mock.patch.object(conf, "worker_memory_mb", return_value=301),
            self.assertLogs("gunicorn.error", "WARNING") as logs,
        ):
            conf.post_request(big, None, {}, None)
        self.assertFalse(big.alive)
        self.assertIn("1234 recyclé : mémoire au-delà de 300 Mo", logs.output[0])

    def test_a_worker_under_its_limit_goes_on(self):
        conf = load_conf(GUNICORN_MAX_WORKER_MEMORY_MB="300")
        healthy = worker()
        with mock.patch.object(conf, "worker_memory_mb", return_value=299):
            conf.post_request(healthy, None, {}, None)
        self.assertTrue(healthy.alive)
        unlimited = load_conf(GUNICORN_MAX_WORKER_MEMORY_MB="0")
        with mock.patch.object(unlimited, "worker_memory_mb", return_value=10_000):
            unlimited.post_request(healthy, None, {}, None)
        self.assertTrue(healthy.alive)

    def test_the_memory_read_is_this_process_resident_size(self):
        megabytes = load_conf().worker_memory_mb()
        self.assertGreater(megabytes, 20)  # a Python process with Django loaded
        self.assertLess(megabytes, 4096)
