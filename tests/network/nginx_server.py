"""Debian's nginx running the README's network/nginx.conf.example as shipped, only its ports, certificate and paths
replaced (each exactly where it stands), on spare loopback ports: for the proxy tests and the load test. `make
install` installs nginx where it is missing."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "network" / "nginx.conf.example"
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
# The example's two pools (README, Production): the pages, and the registration with everything else never kept.
PAGES_UPSTREAM = "server 127.0.0.1:8000;"
REGISTRATION_UPSTREAM = "server 127.0.0.1:8001;"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _replace(text: str, old: str, new: str, count: int) -> str:
    assert text.count(old) == count, f"{old!r} is no longer in the example as the tests expect"
    return text.replace(old, new)


def example_site(tmp: Path, *, http_port: int, https_port: int, pages_port: int, registration_port: int,
                 tls: bool = True) -> str:  # fmt: skip
    """The example's site file for these ports, its logs and media in `tmp`. With `tls`, the certificate is
    tmp/cert.pem and tmp/key.pem; without, the HTTPS server listens in plain HTTP (no certificate) and tells gunicorn
    the scheme was https, as for a request that came in through TLS: the load test's clients, which would spend
    their own CPU on handshakes."""
    site = EXAMPLE.read_text()
    for old, new, count in [
        ("listen 80;", f"listen 127.0.0.1:{http_port};", 1),
        (PAGES_UPSTREAM, f"server 127.0.0.1:{pages_port};", 1),
        (REGISTRATION_UPSTREAM, f"server 127.0.0.1:{registration_port};", 1),
        ("/var/log/nginx/", f"{tmp}/", 3),
        ("/srv/kompetencenetvaerk/media/", f"{tmp}/media/", 1),
    ]:
        site = _replace(site, old, new, count)
    if tls:
        site = _replace(site, "listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;", 1)
        site = _replace(site, "/etc/ssl/certs/kompetence.example.org.pem", str(tmp / "cert.pem"), 1)
        site = _replace(site, "/etc/ssl/private/kompetence.example.org.key", str(tmp / "key.pem"), 1)
    else:
        site = _replace(site, "listen 443 ssl;", f"listen 127.0.0.1:{https_port};", 1)
        scheme = "proxy_set_header X-Forwarded-Proto "
        site = _replace(site, scheme + "$scheme;", scheme + "https;", 1)
        lines = site.splitlines(keepends=True)
        kept = [line for line in lines if not line.lstrip().startswith("ssl_")]
        assert len(lines) - len(kept) == 3, "the example's ssl_ lines are no longer as the tests expect"
        site = "".join(kept)
    return site


def write_config(tmp: Path, site: str, *, worker_connections: int = 64) -> Path:
    """nginx's main file around the site file, everything of nginx's own in `tmp`."""
    (tmp / "site.conf").write_text(site)
    user = "user root;" if os.geteuid() == 0 else ""
    temp_paths = "".join(f"{kind}_temp_path {tmp}/{kind};\n" for kind in ("proxy", "fastcgi", "uwsgi", "scgi"))
    main = tmp / "nginx.conf"
    main.write_text(
        f"{user}\ndaemon off;\nworker_processes 1;\nworker_rlimit_nofile {worker_connections * 2};\n"
        f"pid {tmp}/nginx.pid;\nerror_log {tmp}/error.log warn;\n"
        f"events {{ worker_connections {worker_connections}; }}\n"
        f"http {{\nclient_body_temp_path {tmp}/body;\n{temp_paths}include {tmp}/site.conf;\n}}\n"
    )
    return main


def check_config(tmp: Path, config: Path) -> subprocess.CompletedProcess:
    """`nginx -t` on that configuration: (returncode, its messages on stderr)."""
    return subprocess.run(  # noqa: S603 - fixed arguments
        [NGINX, "-t", "-p", str(tmp), "-c", str(config), "-e", str(tmp / "error.log")],
        capture_output=True,
        text=True,
    )


def wait_for_port(port: int, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{what} stopped at start-up (exit {process.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def start(tmp: Path, config: Path, port: int) -> subprocess.Popen:
    """nginx in the foreground with that configuration, once it listens on `port`; stop it with `stop`."""
    process = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(config), "-e", str(tmp / "error.log")])  # noqa: S603
    try:
        wait_for_port(port, process, "nginx")
    except BaseException:
        stop(process)
        raise
    return process
