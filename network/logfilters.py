"""Logging filters the settings attach to loggers."""

from __future__ import annotations

import logging
import threading
import time


class Throttle(logging.Filter):
    """Let one record of a logger and message through per `seconds`; the next one says how many were left out.

    For failures that repeat on every call while they last (a cache server that is down), so the log says so once a
    minute instead of many times a request."""

    def __init__(self, seconds: float = 60.0):
        super().__init__()
        self.seconds = seconds
        self._lock = threading.Lock()
        self._seen: dict[tuple[str, str], tuple[float, int]] = {}

    def forget(self) -> None:
        """Start afresh: the next record of each kind goes through (a test that counts them)."""
        with self._lock:
            self._seen.clear()

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, str(record.msg))
        now = time.monotonic()
        with self._lock:
            last, left_out = self._seen.get(key, (None, 0))
            if last is not None and now - last < self.seconds:
                self._seen[key] = (last, left_out + 1)
                return False
            self._seen[key] = (now, 0)
        if left_out:
            record.msg = f"{record.msg} (and {left_out} times more since the last line)"
        return True
