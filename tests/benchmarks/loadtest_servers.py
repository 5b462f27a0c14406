"""The servers of the load test (loadtest.py, loadtest_round.py): the README's nginx (network/nginx.conf.example) in
front of two pools of gunicorn workers with the production settings, as production runs them (README, Production):
the pages, and the registration with everything else that never comes from the page cache. `db_worker` under a
supervisor, and the faults: the database's connections killed."""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from tests.benchmarks.bench import PYTHON, ROOT, VAR, free_port, wait_until_serving
from tests.network import nginx_server

# gunicorn's access log for the round: method, path, status, microseconds in the worker, X-Cache.
ACCESS_FORMAT = "%(m)s %(U)s %(s)s %(D)s %({x-cache}o)s"
# Connections nginx holds at once: each client's and its request's to gunicorn (250 clients in a round).
NGINX_CONNECTIONS = 2048


@contextlib.contextmanager
def gunicorn(
    env: dict, workers: int, log: Path, access_log: Path | None = None, threads: int = 1, nice: int = 0
) -> Iterator[int]:
    """gunicorn with the production settings on a free loopback port (yielded), its log (errors, the cache's lines)
    in `log`; with `access_log`, each request's time in the worker (without its wait in the listen queue) there;
    `nice`: its processes' CPU priority (0 as any, more yields the CPU to the others)."""
    port = free_port()
    access = ["--access-logfile", str(access_log), "--access-logformat", ACCESS_FORMAT] if access_log else []
    if access_log:
        access_log.unlink(missing_ok=True)  # gunicorn appends
    with log.open("w") as stderr:
        server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "network.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                # More than one: gthread workers, where a POST waiting for the lock holds a thread, not a worker.
                "--threads",
                str(threads),
                "--forwarded-allow-ips",
                "127.0.0.1",
                "--log-level",
                "warning",
                *access,
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            preexec_fn=(lambda: os.nice(nice)) if nice else None,
        )
        try:
            wait_until_serving(port, seconds=180)  # a busy machine boots 6 workers slowly
            yield port
        finally:
            server.terminate()
            server.wait(timeout=30)


@dataclass
class Servers:
    base: str  # where the clients send their requests: nginx, or the one pool when there is no proxy
    logs: list[Path] = field(default_factory=list)  # each pool's gunicorn log
    access_logs: list[Path] = field(default_factory=list)  # each pool's access log (the round)

    def log_text(self) -> str:
        return "".join(log.read_text() for log in self.logs)


@contextlib.contextmanager
def servers(env: dict, args, name: str, *, access: bool = False) -> Iterator[Servers]:
    """The pages' pool (`--workers`) and the registration's (`--registration-workers`, at `--registration-nice`)
    behind nginx; with no registration workers one pool for both (nginx still in front), with `--no-proxy` the
    clients talk to that one pool straight (as the load test did before the split)."""
    pools = 1 if args.no_proxy or not args.registration_workers else 2
    logs = [VAR / f"loadtest-{name}-gunicorn.log", VAR / f"loadtest-{name}-gunicorn-registration.log"][:pools]
    access_logs = [VAR / f"loadtest-{name}-access.log", VAR / f"loadtest-{name}-access-registration.log"][:pools]
    with contextlib.ExitStack() as stack:
        pages = stack.enter_context(
            gunicorn(env, args.workers, logs[0], access_logs[0] if access else None, threads=args.threads)
        )
        registration = pages
        if pools == 2:
            registration = stack.enter_context(
                gunicorn(env, args.registration_workers, logs[1], access_logs[1] if access else None,
                         threads=args.threads, nice=args.registration_nice)
            )  # fmt: skip
        if args.no_proxy:
            yield Servers(f"http://127.0.0.1:{pages}", logs, access_logs if access else [])
            return
        tmp = VAR / f"loadtest-{name}-nginx"
        tmp.mkdir(parents=True, exist_ok=True)
        http_port, port = free_port(), free_port()
        site = nginx_server.example_site(
            tmp, http_port=http_port, https_port=port, pages_port=pages, registration_port=registration, tls=False
        )
        (tmp / "media").mkdir(exist_ok=True)
        config = nginx_server.write_config(tmp, site, worker_connections=NGINX_CONNECTIONS)
        nginx = nginx_server.start(tmp, config, port)
        stack.callback(nginx_server.stop, nginx)
        yield Servers(f"http://127.0.0.1:{port}", logs, access_logs if access else [])


class Worker:
    """`manage.py db_worker`, restarted when it exits (as systemd's Restart=always would): how often is reported."""

    def __init__(self, env: dict, log: Path):
        self.env, self.log, self.restarts, self.process = env, log, 0, None
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._supervise, daemon=True)

    def _supervise(self) -> None:
        with self.log.open("w") as stderr:
            while not self.stop.is_set():
                self.process = subprocess.Popen(
                    [PYTHON, "manage.py", "db_worker", "--interval", "0.5"],
                    cwd=ROOT,
                    env=self.env,
                    stdout=subprocess.DEVNULL,
                    stderr=stderr,
                )
                while self.process.poll() is None and not self.stop.wait(0.5):
                    pass
                if self.process.poll() is None:
                    self.process.terminate()
                    self.process.wait(timeout=30)
                elif not self.stop.is_set():
                    self.restarts += 1

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=60)


def drain(database_url: str, seconds: float) -> None:
    """Wait until the worker has sent every e-mail that is due (or `seconds` have passed)."""
    until = time.monotonic() + seconds
    with psycopg.connect(database_url, autocommit=True) as conn:
        query = "SELECT count(*) FROM events_outboxmessage WHERE status = 'pending' AND next_attempt_at <= now()"
        while conn.execute(query).fetchone()[0] and time.monotonic() < until:
            time.sleep(1)


def kill_connections(database_url: str, name: str, seconds: float) -> int:
    """pg_terminate_backend on every connection to the database `name`, again and again for `seconds`."""
    killed, until = 0, time.monotonic() + seconds
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        while time.monotonic() < until:
            rows = conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            ).fetchall()
            killed += len(rows)
            time.sleep(0.1)
    return killed
