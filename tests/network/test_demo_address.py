"""`make run HOST=... PORT=...`: the demo loaded with that host and port links there from every e-mail, canonical link,
JSON-LD `url` and calendar `URL:`, and loading it again with another port moves the links and creates nothing."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from wagtail.models import Site

import pytest

from events.models import CoursePage
from network.models import Library, OrganisationPage
from tests.events.factories import EventPageFactory

pytestmark = pytest.mark.django_db

HOST, PORT = "127.0.0.1", 8791
BASE = f"http://{HOST}:{PORT}"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo_on_port(module_transaction):
    """The demo as `make run PORT=8791` loads it."""
    out = StringIO()
    call_command("load_demo", hostname=HOST, port=PORT, stdout=out)
    return out.getvalue()


@pytest.fixture
def served(demo_on_port, settings, client):
    """A client of the server `make run PORT=8791` starts: its host, and the base URL the Makefile gives it."""
    settings.WAGTAILADMIN_BASE_URL = BASE
    client.defaults["HTTP_HOST"] = f"{HOST}:{PORT}"
    return client


@pytest.fixture
def course(demo_on_port) -> CoursePage:
    return CoursePage.objects.live().order_by("pk").first()


def links(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", text)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_gives_its_host_and_port_to_the_demo_site_and_the_e_mails():
    commands = subprocess.run(  # noqa: S603 - make with arguments of our own
        ["make", "-n", "run", f"HOST={HOST}", f"PORT={PORT}"],  # noqa: S607 - make from the PATH, as a user runs it
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    python = f"WAGTAILADMIN_BASE_URL={BASE} .venv/bin/python manage.py"
    # The demo's own registrations send e-mails while it loads: they get the base URL too.
    assert f"{python} load_demo --hostname {HOST} --port {PORT}" in commands
    assert f"{python} runserver {HOST}:{PORT}" in commands


def test_the_demo_site_is_on_the_given_host_and_port(demo_on_port):
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == (HOST, PORT, BASE)
    assert f"Its pages link to {BASE}/" in demo_on_port


def test_the_canonical_link_names_the_host_and_port(served, course):
    html = served.get(course.url).content.decode()
    assert re.findall(r'<link rel="canonical" href="([^"]*)">', html) == [BASE + course.url]


def test_the_json_ld_url_names_the_host_and_port(served, course):
    html = served.get(course.url).content.decode()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S).group(1)
    assert json.loads(script)["url"] == BASE + course.url


def test_the_calendar_url_names_the_host_and_port(served, course):
    ics = served.get(reverse("ical_offering", args=[course.pk])).content.decode()
    urls = [line.removeprefix("URL:") for line in ics.replace("\r\n ", "").splitlines() if line.startswith("URL:")]
    assert urls
    assert all(url.startswith(BASE + "/") for url in urls)
    assert BASE + course.url in urls


def test_every_link_in_the_e_mails_leads_to_the_server(served, django_capture_on_commit_callbacks):
    event = EventPageFactory(
        parent=OrganisationPage.objects.order_by("pk").first(),
        title="Temadag med tilmelding",
        registration_enabled=True,
        capacity=10,
    )
    library = Library.objects.get(municipality__name="Herning")
    data = {
        "library": str(library.pk),
        "contact_name": "Kontaktperson",
        "contact_email": "kontakt@example.org",
        "consent": "on",
        "participants-TOTAL_FORMS": "1",
        "participants-INITIAL_FORMS": "0",
        "participants-0-name": "Deltager 1",
        "participants-0-email": "deltager1@example.org",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = served.post(reverse("registration_form", args=[event.pk]), data)
    assert response.status_code == 302
    assert mail.outbox
    found = [url for message in mail.outbox for url in links(message.body + "".join(_attachments(message)))]
    ours = [url for url in found if urlsplit(url).hostname in (HOST, "localhost", "testserver")]
    assert ours
    assert all(url.startswith(BASE + "/") for url in ours), ours
    manage = next(url for url in ours if "/tilmelding/" in url)
    assert served.get(manage.removeprefix(BASE), follow=True).status_code == 200


def _attachments(message) -> list[str]:
    """The text of a message's attachments (the offering's .ics), unfolded."""
    texts = [content for _name, content, _type in message.attachments if isinstance(content, str)]
    return [text.replace("\r\n ", "") for text in texts]


def test_loading_the_demo_again_on_another_port_moves_the_links_and_creates_nothing(demo_on_port, client, course):
    out = StringIO()
    call_command("load_demo", hostname=HOST, port=PORT + 1, stdout=out)
    assert "The demo was already loaded; nothing changed." in out.getvalue()
    assert Site.objects.count() == 1
    assert Site.objects.get().root_url == f"http://{HOST}:{PORT + 1}"
    client.defaults["HTTP_HOST"] = f"{HOST}:{PORT + 1}"
    html = client.get(course.url).content.decode()
    assert f'<link rel="canonical" href="http://{HOST}:{PORT + 1}{course.url}">' in html


def test_loading_the_demo_without_an_address_keeps_the_site_where_it_is(demo_on_port):
    call_command("load_demo", stdout=StringIO())
    assert Site.objects.get().root_url == BASE
