"""No token in the web server's log: gunicorn with the project's config (network/gunicorn.conf.py), as in the README.

A real gunicorn on a spare loopback port serves the test database (on SQLite a copy in a file, as the site runs);
a browser opens a manage link and a confirmation link; the access log holds the requests, not the tokens.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

from django.conf import settings
from django.db import connection

import pytest

from .conftest import people, register

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)
CONFIG = ROOT / "network" / "gunicorn.conf.py"


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(tmp_path: Path) -> str:
    """The test database as another process reaches it: PostgreSQL's by name, SQLite's copied into a file."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    path = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
    return f"sqlite:///{path}"


class Gunicorn:
    """gunicorn with the project's config, its access log (stdout) in a file; `extra` arguments after the config."""

    def __init__(self, tmp_path: Path, url: str, *extra: str):
        self.port = spare_port()
        self.log = tmp_path / f"access-{self.port}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "network.settings.test",
            "DATABASE_URL": url,
            "DATABASE_CONN_MAX_AGE": "0",
        }
        command = [sys.executable, "-m", "gunicorn", "-c", str(CONFIG), *extra]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", "1", "network.wsgi"]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.DEVNULL)  # noqa: S603
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                assert self.process.poll() is None, "gunicorn stopped at start-up"
                time.sleep(0.2)
        self.stop()
        raise AssertionError("gunicorn did not start")

    def browser(self):
        return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, browser, path: str):
        with browser.open(f"http://127.0.0.1:{self.port}{path}", timeout=60) as response:
            return response.geturl(), response.read().decode()

    def stop(self) -> str:
        self.process.terminate()
        self.process.wait(timeout=30)
        return self.log.read_text()


@pytest.fixture
def links(event, library, other_library):
    """A confirmed registration's manage token and an unconfirmed one's confirmation token, committed."""
    confirmed = register(event, library, people(1))
    held = register(
        event, other_library, people(1, prefix="holdt"), contact_email="b@example.org", contact_confirmed=False
    )
    return confirmed, held


def test_the_access_log_holds_the_requests_but_not_the_tokens(tmp_path, links):
    """A manage link, an old one and a confirmation link through gunicorn; then the same with the request line."""
    confirmed, held = links
    manage_token, confirm_token = confirmed.token, held.confirm_token
    public_id = confirmed.registration.public_id
    server = Gunicorn(tmp_path, database_url(tmp_path))
    try:
        browser = server.browser()
        landed, html = server.get(browser, f"/tilmelding/{public_id}/?adgang={manage_token}")
        assert landed == f"http://127.0.0.1:{server.port}/tilmelding/{public_id}/"
        assert "Deltager 1" in html  # the page after the redirect works, from the session
        landed, html = server.get(browser, f"/tilmelding/{public_id}/{manage_token}/")  # an old link
        assert landed.endswith(f"/tilmelding/{public_id}/") and "Deltager 1" in html
        landed, html = server.get(
            server.browser(), f"/tilmelding/{held.registration.public_id}/bekraeft/?adgang={confirm_token}"
        )
        assert landed.endswith("/bekraeft/") and "Bekræft og send til kollegerne" in html
    finally:
        log = server.stop()

    assert f'"GET /tilmelding/{public_id}/ HTTP/1.1" 302' in log
    assert f'"GET /tilmelding/{public_id}/ HTTP/1.1" 200' in log
    assert f'"GET /tilmelding/{held.registration.public_id}/bekraeft/ HTTP/1.1" 302' in log
    # The old link had its token in the path: the logger leaves it out.
    assert f'"GET /tilmelding/{public_id}/-/ HTTP/1.1" 302' in log
    assert manage_token not in log and confirm_token not in log and "adgang" not in log

    # Control: gunicorn's usual request line (`%(r)s`) would have logged the token, so the checks above can fail.
    control = Gunicorn(tmp_path, database_url(tmp_path), "--access-logformat", '%(h)s "%(r)s" %(s)s')
    try:
        control.get(control.browser(), f"/tilmelding/{public_id}/?adgang={manage_token}")
    finally:
        log = control.stop()
    assert f"adgang={manage_token}" in log
