"""The README's nginx (network/nginx.conf.example, run as shipped) in front of gunicorn with the production settings,
both on spare loopback ports: the registration rate limit counts each visitor behind nginx apart, and a visitor who
forges X-Forwarded-For, to nginx or straight to gunicorn, gains nothing. Skipped where nginx is not installed
(`make install` and .ci/run install Debian's package)."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import sqlite3
import ssl
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

import pytest

from tests.network.nginx_server import (
    NGINX,
    ROOT,
    example_site,
    free_port,
    start,
    stop,
    wait_for_port,
    write_config,
)

OPENSSL = shutil.which("openssl")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_COOKIE = re.compile(r"csrftoken=([^;]+)")
LIMIT = 2

pytestmark = [
    pytest.mark.skipif(not NGINX, reason="nginx is not installed (apt-get install -y nginx)"),
    pytest.mark.skipif(not OPENSSL, reason="openssl is not installed"),
    # Transactional, so that gunicorn sees the data.
    pytest.mark.django_db(transaction=True),
]

# The production settings as they are, but for two things this test does not look at: static files without the
# collected manifest, and one process's own cache (one worker), so the test depends on no cache server.
SETTINGS = """
from network.settings.production import *  # noqa
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
"""


def database_url(tmp: Path) -> str:
    """gunicorn reads the test database: PostgreSQL's as it is (the test is transactional), SQLite's in-memory one
    copied to a file."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        path = tmp / "db.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        return f"sqlite:///{path}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def offering(transactional_event):
    return transactional_event


@pytest.fixture
def servers(offering, tmp_path):
    """gunicorn as the README starts it and nginx in front; yields (nginx https port, gunicorn port, tmp dir)."""
    subprocess.run(  # noqa: S603 - fixed arguments
        [OPENSSL, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", tmp_path / "key.pem", "-out", tmp_path / "cert.pem", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    (tmp_path / "settings_nginx_test.py").write_text(SETTINGS)
    (tmp_path / "static").mkdir()
    upstream, http_port, https_port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "settings_nginx_test",
        "DATABASE_URL": database_url(tmp_path),
        "SECRET_KEY": "nginx-test-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(tmp_path / "static"),
        "TRUSTED_PROXIES": "127.0.0.1",
        "REGISTRATION_RATE_LIMIT_PER_IP": str(LIMIT),
        "REGISTRATION_RATE_LIMIT_PER_EMAIL": "0",
        # The forger below talks plain HTTP to gunicorn; through nginx every request is HTTPS anyway.
        "SECURE_SSL_REDIRECT": "false",
    }
    gunicorn = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-m", "gunicorn", "network.wsgi", "--bind", f"127.0.0.1:{upstream}", "--workers", "1",
         "--forwarded-allow-ips", "127.0.0.1", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    nginx = None
    try:
        wait_for_port(upstream, gunicorn, "gunicorn")
        # One gunicorn for both of the example's pools: what this test asks for is the registration's.
        site = example_site(
            tmp_path, http_port=http_port, https_port=https_port, pages_port=upstream, registration_port=upstream
        )
        nginx = start(tmp_path, write_config(tmp_path, site), https_port)
        yield https_port, upstream, tmp_path
    finally:
        if nginx is not None:
            stop(nginx)
        stop(gunicorn)


class Visitor:
    """One browser at its own loopback address, talking to nginx (HTTPS) or straight to gunicorn (HTTP)."""

    def __init__(self, address: str, port: int, *, cafile: Path | None = None, forged: str = ""):
        """`cafile`: HTTPS, trusting that certificate (nginx's); None: plain HTTP (gunicorn). `forged`: an
        X-Forwarded-For of the visitor's own, `{n}` in it numbering the requests (a new address each time)."""
        self.address, self.port, self.cafile, self.forged = address, port, cafile, forged
        self.cookie, self.sent = "", 0

    def request(self, method: str, path: str, body: str = "") -> tuple[int, str]:
        if self.cafile:
            conn = http.client.HTTPSConnection(
                "127.0.0.1",
                self.port,
                source_address=(self.address, 0),
                context=ssl.create_default_context(cafile=self.cafile),
            )
        else:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, source_address=(self.address, 0))
        scheme = "https" if self.cafile else "http"
        headers = {"Host": f"127.0.0.1:{self.port}", "Referer": f"{scheme}://127.0.0.1:{self.port}{path}"}
        if self.cookie:
            headers["Cookie"] = f"csrftoken={self.cookie}"
        if self.forged:
            headers["X-Forwarded-For"] = self.forged.format(n=self.sent)
        self.sent += 1
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            html = response.read().decode()
            cookie = CSRF_COOKIE.search(response.getheader("Set-Cookie") or "")
            if cookie:
                self.cookie = cookie.group(1)
            return response.status, html
        finally:
            conn.close()

    def attempt(self, path: str) -> int:
        """One submission of the form (incomplete, so nothing is registered: the limit counts it all the same)."""
        status, html = self.request("GET", path)
        assert status == 200, html[:500]
        token = CSRF_INPUT.search(html).group(1)
        status, _ = self.request("POST", path, f"csrfmiddlewaretoken={token}&contact_name=Kontakt")
        return status

    def attempts(self, path: str, n: int) -> list[int]:
        return [self.attempt(path) for _ in range(n)]


def test_visitors_behind_nginx_have_their_own_limit_forging_gains_nothing_and_no_token_is_logged(servers, offering):
    https_port, upstream, tmp = servers
    cert = tmp / "cert.pem"
    path = f"/tilmelding/{offering.pk}/"
    allowed, limited = [200] * LIMIT, [429]
    # Two libraries behind nginx: each its own budget, though gunicorn sees only nginx's address.
    assert Visitor("127.0.0.2", https_port, cafile=cert).attempts(path, LIMIT + 1) == allowed + limited
    assert Visitor("127.0.0.3", https_port, cafile=cert).attempts(path, LIMIT + 1) == allowed + limited
    # A header of its own through nginx: nginx appends the address it saw, and that is the one counted.
    assert Visitor("127.0.0.3", https_port, cafile=cert, forged="198.51.100.{n}").attempt(path) == 429
    # Straight to gunicorn with a forged header: not from the trusted proxy, so the header counts for nothing.
    assert Visitor("127.0.0.4", upstream, forged="203.0.113.{n}").attempts(path, LIMIT + 1) == allowed + limited
    assert Visitor("127.0.0.5", https_port, cafile=cert).attempt(path) == 200

    # nginx's access log (the example's log_format) has the path and the client, never the query string.
    status, _ = Visitor("127.0.0.6", https_port, cafile=cert).request("GET", f"{path}?token=hemmelig")
    assert status == 200
    deadline = time.monotonic() + 5
    log = tmp / "kompetencenetvaerk.access.log"
    while "127.0.0.6 " not in (log.read_text() if log.exists() else ""):
        assert time.monotonic() < deadline, "nginx wrote no access log line"
        time.sleep(0.1)
    line = next(line for line in log.read_text().splitlines() if line.startswith("127.0.0.6 "))
    assert f'"GET {path} HTTP/1.1" 200' in line
    # A manage link of the old form, with its token in the path: logged with the token masked.
    old_link = "/tilmelding/3f2b6c1e-8d4a-4f7e-9b1a-2c3d4e5f6a7b/hemmeligtpaasti/"
    Visitor("127.0.0.7", https_port, cafile=cert).request("GET", old_link)
    while "127.0.0.7 " not in log.read_text():
        assert time.monotonic() < deadline + 5, "nginx wrote no access log line for the old link"
        time.sleep(0.1)
    assert '"GET /tilmelding/3f2b6c1e-8d4a-4f7e-9b1a-2c3d4e5f6a7b/-/ HTTP/1.1"' in log.read_text()
    assert "hemmelig" not in log.read_text()
