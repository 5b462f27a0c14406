"""Two app servers sharing one Redis, as production runs behind nginx: a page one server kept is served whole by the
other, and a publish made by a third process (a coordinator's, in the admin) makes both serve the new page at once.
gunicorn with the production settings and a redis-server of the test's own, on spare loopback ports."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import threading

import pytest

from .test_proxy_nginx import ROOT, database_url, free_port, stop, wait_for_port

pytestmark = pytest.mark.django_db(transaction=True)

SETTINGS = """
from network.settings.production import *  # noqa
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
"""
# What nginx passes on as the Host of every request, whichever server it picks.
HOST = "kompetence.example.org"


@pytest.fixture
def environment(transactional_event, tmp_path, redis_server):
    (tmp_path / "settings_page_cache_test.py").write_text(SETTINGS)
    (tmp_path / "static").mkdir()
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "settings_page_cache_test",
        "DATABASE_URL": database_url(tmp_path),
        "REDIS_URL": redis_server.url,
        "SECRET_KEY": "page-cache-test-" + "x" * 50,
        "ALLOWED_HOSTS": HOST,
        "STATIC_ROOT": str(tmp_path / "static"),
        "SECURE_SSL_REDIRECT": "false",
    }


@pytest.fixture
def two_servers(environment):
    ports, processes = [free_port(), free_port()], []
    try:
        for port in ports:
            processes.append(
                subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "network.wsgi",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "1",
                        "--log-level",
                        "warning",
                    ],
                    cwd=ROOT,
                    env=environment,
                    stdout=subprocess.DEVNULL,
                )  # fmt: skip
            )
            wait_for_port(port, processes[-1], "gunicorn")
        yield ports
    finally:
        for process in processes:
            stop(process)


def get(port: int, path: str) -> tuple[str, str, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"Host": HOST})
        response = conn.getresponse()
        body = response.read().decode()
        assert response.status == 200, (path, response.status, body[:300])
        return response.getheader("X-Cache"), body, dict(response.getheaders())
    finally:
        conn.close()


def publish_in_another_process(environment, page_id: int, title: str) -> None:
    """A coordinator's publish, made by a process of its own (the admin's server), against the same database."""
    script = (
        "from network.models import OfferingPage\n"
        f"page = OfferingPage.objects.get(pk={page_id}).specific\n"
        f"page.title = {title!r}\n"
        "page.save_revision().publish()\n"
    )
    subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=environment, check=True,
        capture_output=True,
    )  # fmt: skip


def test_two_servers_share_the_kept_pages_and_a_publish_reaches_both_at_once(
    two_servers, environment, transactional_event
):
    first, second = two_servers
    offering, listing = transactional_event, "/arrangementer/"
    for path in (offering.url, listing):
        assert get(first, path)[0] == "miss"
        state, body, headers = get(second, path)
        assert state == "hit"  # kept by the first server, served by the second
        assert "Set-Cookie" not in headers and "Inspirationsdag om verdensmål" in body

    publish_in_another_process(environment, offering.pk, "Inspirationsdag om FN's verdensmål")

    for path in (offering.url, listing):
        state, body, _ = get(second, path)
        assert state == "miss" and "FN&#x27;s verdensmål" in body
        state, body, _ = get(first, path)
        assert state == "hit" and "FN&#x27;s verdensmål" in body


def test_when_no_page_is_kept_one_server_makes_it_while_the_other_waits_for_it(two_servers, transactional_event):
    first, second = two_servers
    for port in two_servers:  # both workers started (gunicorn loads the site in the worker, after the port is open)
        get(port, "/robots.txt")
    # The path is read here, not in the threads: a thread reading the page would open a database connection of its
    # own that nobody closes.
    path, barrier, states = transactional_event.url, threading.Barrier(2), {}

    def ask(port: int) -> None:
        barrier.wait()
        states[port] = get(port, path)[0]

    threads = [threading.Thread(target=ask, args=(port,)) for port in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(states.values()) == ["hit", "miss"]  # asked at once: made by one, served to the other
