"""The README's nginx (network/nginx.conf.example, as shipped and as the load test runs it) sends what never comes from
the page cache (registration, certificates, documents, the admin) to the second pool of gunicorn workers and the rest
to the first, each with the proxy's headers. Two small HTTP servers stand for the pools: they answer with their name
and the headers they got. Skipped where nginx is not installed (`make install` installs Debian's package)."""

from __future__ import annotations

import http.client
import http.server
import json
import shutil
import ssl
import subprocess
import threading
from pathlib import Path

import pytest

from tests.network.nginx_server import NGINX, check_config, example_site, free_port, start, stop, write_config

OPENSSL = shutil.which("openssl")
pytestmark = pytest.mark.skipif(not NGINX, reason="nginx is not installed (apt-get install -y nginx)")

REGISTRATION_PATHS = [
    "/tilmelding/12/",
    "/en/tilmelding/12/",
    "/tilmelding/3f2b6c1e-8d4a-4f7e-9b1a-2c3d4e5f6a7b/",
    "/tilmelding/3f2b6c1e-8d4a-4f7e-9b1a-2c3d4e5f6a7b/bekraeft/?adgang=x",
    "/tilmelding/deltager/4/",
    "/tilmelding/evaluering/5/",
    "/kursusbevis/ABC123/",
    "/en/kursusbevis/ABC123/pdf/",
    "/documents/1/program.pdf",
    "/admin/",
    "/admin/pages/3/edit/",
    "/django-admin/login/",
]
PAGE_PATHS = [
    "/",
    "/en/",
    "/arrangementer/",
    "/arrangementer/belastningstest/?theme=verdensmaal",
    "/en/arrangementer/",
    "/tilmeldingsfrister/",  # a page whose slug only begins like the registration's address
    "/administration/",
    "/search/?q=tilmelding",
    "/tema/verdensmaal/",
    "/api/v2/pages/",
    "/feeds/nye-tilbud/",
    "/ical/alle.ics",
    "/robots.txt",
    "/static/css/site.css",
    "/da/tilmelding/12/",  # no such language prefix: a page address
]


class Pool(http.server.ThreadingHTTPServer):
    """Answers every request with {"pool": name, "path": ..., "headers": {...}}."""

    def __init__(self, name: str):
        self.name = name
        super().__init__(("127.0.0.1", 0), PoolHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def port(self) -> int:
        return self.server_address[1]


class PoolHandler(http.server.BaseHTTPRequestHandler):
    def answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = json.dumps({"pool": self.server.name, "path": self.path, "headers": dict(self.headers)}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = answer

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def pools():
    pages, registration = Pool("pages"), Pool("registration")
    yield pages, registration
    for pool in (pages, registration):
        pool.shutdown()
        pool.server_close()


def certificate(tmp: Path) -> None:
    subprocess.run(  # noqa: S603 - fixed arguments
        [OPENSSL, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", tmp / "key.pem", "-out", tmp / "cert.pem", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip


def ask(port: int, path: str, *, cafile: Path | None, method: str = "GET") -> tuple[int, dict | str]:
    if cafile:
        conn = http.client.HTTPSConnection("127.0.0.1", port, context=ssl.create_default_context(cafile=cafile))
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port)
    try:
        conn.request(method, path, body="a=1" if method == "POST" else None, headers={"Host": f"127.0.0.1:{port}"})
        response = conn.getresponse()
        body = response.read().decode()
        is_json = response.getheader("Content-Type") == "application/json"
        return response.status, json.loads(body) if is_json else body
    finally:
        conn.close()


@pytest.mark.parametrize("tls", [True, False], ids=["as shipped (TLS)", "as the load test runs it (plain HTTP)"])
def test_the_registration_and_everything_never_kept_go_to_the_second_pool_the_rest_to_the_first(pools, tmp_path, tls):
    if tls and not OPENSSL:
        pytest.skip("openssl is not installed")
    pages, registration = pools
    http_port, https_port = free_port(), free_port()
    site = example_site(tmp_path, http_port=http_port, https_port=https_port, pages_port=pages.port,
                        registration_port=registration.port, tls=tls)  # fmt: skip
    cafile = None
    if tls:
        certificate(tmp_path)
        cafile = tmp_path / "cert.pem"
    config = write_config(tmp_path, site)
    checked = check_config(tmp_path, config)
    assert checked.returncode == 0, checked.stderr
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "billede.txt").write_text("fra nginx")
    nginx = start(tmp_path, config, https_port)
    try:
        routed = {path: ask(https_port, path, cafile=cafile) for path in REGISTRATION_PATHS + PAGE_PATHS}
        posted = ask(https_port, "/tilmelding/12/", cafile=cafile, method="POST")
        media = ask(https_port, "/media/billede.txt", cafile=cafile)
    finally:
        stop(nginx)
    assert {path for path, (_, answer) in routed.items() if answer["pool"] == "registration"} == set(REGISTRATION_PATHS)
    assert {path for path, (_, answer) in routed.items() if answer["pool"] == "pages"} == set(PAGE_PATHS)
    assert posted[1]["pool"] == "registration"
    # Both pools get the path as asked and the proxy's headers: the host, the scheme nginx was reached with, and
    # the address nginx saw appended to X-Forwarded-For.
    for path in ("/tilmelding/12/", "/arrangementer/belastningstest/?theme=verdensmaal"):
        status, answer = routed[path]
        assert status == 200
        assert answer["path"] == path
        assert answer["headers"]["Host"] == f"127.0.0.1:{https_port}"
        assert answer["headers"]["X-Forwarded-Proto"] == "https"
        assert answer["headers"]["X-Forwarded-For"] == "127.0.0.1"
    # Uploaded files come from nginx itself, from neither pool.
    assert media == (200, "fra nginx")
