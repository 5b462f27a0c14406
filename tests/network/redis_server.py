"""A redis-server of a test's own on a spare loopback port, to stop and start again (Debian's redis-server; `make
install` installs it where it is missing)."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from pathlib import Path

import redis


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """redis-server on 127.0.0.1:`port`, no saving except when asked (`stop(save=True)`), its files in `directory`."""

    def __init__(self, directory: Path, port: int | None = None):
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed: `make install` installs Debian's package")
        self.binary, self.directory, self.port = binary, Path(directory), port or free_port()
        self.process: subprocess.Popen | None = None
        self._client: redis.Redis | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        """A client of this server (one per start, closed by `stop`)."""
        if self._client is None:
            self._client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5)
        return self._client

    def start(self) -> RedisServer:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(  # noqa: S603 - Debian's redis-server, fixed arguments
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory),
             "--save", "", "--appendonly", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while True:
            try:
                self.client().ping()
                return self
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.05)

    def stop(self, *, save: bool = False) -> None:
        """Stop the server; with `save`, it writes its data first and a later `start` loads it again."""
        if self.process is None or self.process.poll() is not None:
            return
        if save:
            with contextlib.suppress(redis.ConnectionError):  # the connection closes as the server stops
                self.client().shutdown(save=True)
        else:
            self.process.terminate()
        self.process.wait(timeout=20)
        if self._client is not None:
            self._client.close()
            self._client = None
