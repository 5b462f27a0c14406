"""Fixtures of the base app's server tests."""

from __future__ import annotations

import pytest

from .redis_server import RedisServer


@pytest.fixture
def redis_server(tmp_path):
    """A redis-server of the test's own on a spare loopback port, stopped afterwards."""
    server = RedisServer(tmp_path / "redis").start()
    yield server
    server.stop()
