"""A past webinar's recording link says where it leads and how long it is; webinar and event pages list their
materials (a webinar's slides first) under "Materialer", each document with its type and size."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

import pytest

from network.links import host_label, link_host
from tests.events.factories import EventPageFactory
from tests.network.factories import DocumentFactory
from tests.webinars.factories import WebinarPageFactory

pytestmark = pytest.mark.django_db

MB_1_2 = 1_234_567  # bytes: "1,2 MB" in Danish (filesizeformat puts a no-break space before the unit)


def document_block(document, title=""):
    return {"type": "document", "value": {"document": document.pk, "title": title, "description": ""}}


def past_webinar(organisation, **fields):
    fields.setdefault("start", timezone.now() - dt.timedelta(days=30))
    return WebinarPageFactory(parent=organisation, title="Trivsel på biblioteket", **fields)


def materials_section(text: str) -> str:
    start = text.index('<section aria-labelledby="materials">')
    return text[start : text.index("</section>", start)]


@pytest.mark.parametrize(
    ("url", "host", "label"),
    [
        ("https://www.youtube.com/watch?v=abc123", "youtube.com", "YouTube"),
        ("https://youtu.be/abc123", "youtu.be", "YouTube"),
        ("https://vimeo.com/123456", "vimeo.com", "Vimeo"),
        ("https://kommune.sharepoint.com/:v:/s/video/abc", "kommune.sharepoint.com", "Microsoft SharePoint"),
        ("https://us02web.zoom.us/rec/share/abc", "us02web.zoom.us", "Zoom"),
        ("https://WWW.Videotool.dk/v/abc", "videotool.dk", "VideoTool"),
        ("https://optagelser.bibliotek.dk:8443/abc", "optagelser.bibliotek.dk", "optagelser.bibliotek.dk"),
        ("https://notyoutube.com/abc", "notyoutube.com", "notyoutube.com"),
        ("/media/optagelse.mp4", "", ""),
    ],
)
def test_a_link_s_host_and_the_name_of_a_known_video_service(url, host, label):
    assert link_host(url) == host
    assert host_label(link_host(url)) == label


def test_a_youtube_recording_says_youtube_the_length_and_the_domain_it_opens(client, organisation):
    webinar = past_webinar(organisation, duration=75, recording_url="https://www.youtube.com/watch?v=abc123")

    text = client.get(webinar.url).content.decode()

    assert (
        '<a class="button" href="https://www.youtube.com/watch?v=abc123">'
        "Se optagelsen på YouTube (1 time og 15 minutter, åbner youtube.com)</a>"
    ) in text


def test_a_recording_elsewhere_says_its_host_once(client, organisation):
    webinar = past_webinar(organisation, duration=45, recording_url="https://www.optagelser-bibliotek.dk/v/7")

    text = client.get(webinar.url).content.decode()

    assert "Se optagelsen på optagelser-bibliotek.dk (45 minutter)</a>" in text
    assert "åbner" not in text


def test_a_recording_on_this_site_names_no_host(client, organisation, settings):
    settings.ALLOWED_HOSTS = [".kompetence.example.dk"]
    webinar = past_webinar(organisation, duration=60, recording_url="https://kompetence.example.dk/media/o.mp4")

    text = client.get(webinar.url, HTTP_HOST="www.kompetence.example.dk").content.decode()

    assert "Se optagelsen (1 time)</a>" in text


def test_the_recording_link_is_in_english_on_the_english_site(client, organisation):
    webinar = past_webinar(organisation, duration=75, recording_url="https://vimeo.com/123456")

    text = client.get(f"/en{webinar.url}").content.decode()

    assert "Watch the recording on Vimeo (1 hour and 15 minutes, opens vimeo.com)</a>" in text


def test_the_webinar_page_lists_slides_and_materials_with_type_and_size(client, organisation):
    slides = DocumentFactory(title="Trivsel i praksis", file_size=MB_1_2)
    handout = DocumentFactory(title="Tjekliste", file_size=2048)
    webinar = past_webinar(
        organisation,
        recording_url="https://vimeo.com/1",
        slides=slides,
        materials=[document_block(handout)],
    )

    text = client.get(webinar.url).content.decode()

    section = materials_section(text)
    assert '<h2 id="materials">Materialer</h2>' in section
    assert f'href="{slides.url}">Slides: Trivsel i praksis</a>' in section
    assert "(PDF, 1,2\u00a0MB)" in section
    assert f'href="{handout.url}">Tjekliste</a>' in section
    assert "(PDF, 2,0\u00a0KB)" in section
    assert section.index("Slides: Trivsel i praksis") < section.index("Tjekliste")
    assert '<a href="#materials">Se materialerne</a>' in text


def test_a_webinar_without_slides_or_materials_has_no_materials_section(client, organisation):
    webinar = past_webinar(organisation, recording_url="https://vimeo.com/1")

    text = client.get(webinar.url).content.decode()

    assert 'aria-labelledby="materials"' not in text
    assert "Se materialerne" not in text


def test_the_event_page_lists_its_materials_with_type_and_size(client, organisation):
    programme = DocumentFactory(title="Program for dagen", file_size=MB_1_2)
    event = EventPageFactory(parent=organisation, materials=[document_block(programme, title="Dagens program")])

    text = client.get(event.url).content.decode()

    section = materials_section(text)
    assert '<h2 id="materials">Materialer</h2>' in section
    assert f'href="{programme.url}">Dagens program</a>' in section
    assert "(PDF, 1,2\u00a0MB)" in section
