"""A webinar's captions (WebVTT): checked when saved in the admin, with a Danish message for a bad file and nothing
saved; shown on the page as a transcript whose times link to that moment of the recording."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

import pytest

from tests.network.test_admin_validation import add_url, publish, webinar_data
from tests.webinars.factories import WebinarPageFactory
from webinars.captions import MAX_BYTES, moment_label, moment_url, parse_captions
from webinars.models import WebinarPage

pytestmark = pytest.mark.django_db

GOOD = """WEBVTT

00:00:05.000 --> 00:00:09.000
Velkommen til webinaret.

00:12:40.000 --> 00:12:48.500 align:start
<v Oplægsholder>Det handler om trivsel
på biblioteket.</v>

01:02:05.000 --> 01:02:09.000
Tak for i dag.
"""
INVALID = "Filen er ikke en gyldig WebVTT-undertekstfil:"
BAD_TIMESTAMP = "WEBVTT\n\n00:00:05.000 --> 00:00:09.000\nHej\n\n00:12:4O.000 --> 00:12:48.000\nTrivsel\n"

# (what is wrong, the captions, the reason the message gives)
BAD_CAPTIONS = [
    ("not WebVTT", "Hej og velkommen til webinaret.\n", "den skal begynde med WEBVTT."),
    ("SubRip, not WebVTT", "1\n00:00:05,000 --> 00:00:09,000\nHej\n", "den skal begynde med WEBVTT."),
    ("bad timestamp", BAD_TIMESTAMP, "linje 6 har en ugyldig tidsangivelse: 00:12:4O.000 --> 00:12:48.000"),
    ("61 seconds", "WEBVTT\n\n00:00:61.000 --> 00:01:09.000\nHej\n", "linje 3 har en ugyldig tidsangivelse"),
    ("ends before it starts", "WEBVTT\n\n00:00:09.000 --> 00:00:05.000\nHej\n", "slutter teksten, før den begynder"),
    ("header only", "WEBVTT\n", "den indeholder ingen tekst med tidsangivelse."),
    ("huge", GOOD + "\n00:00:10.000 --> 00:00:11.000\n" + "x" * MAX_BYTES + "\n", "den er større end 1 MB."),
]


def test_good_captions_give_the_cues_in_seconds_without_markup():
    cues = parse_captions(GOOD)
    assert [(cue.start, cue.text) for cue in cues] == [
        (5, "Velkommen til webinaret."),
        (760, "Det handler om trivsel på biblioteket."),
        (3725, "Tak for i dag."),
    ]


@pytest.mark.parametrize(("label", "captions", "reason"), BAD_CAPTIONS, ids=[bad[0] for bad in BAD_CAPTIONS])
def test_bad_captions_are_refused_with_the_reason(label, captions, reason):
    with pytest.raises(ValidationError) as raised:
        parse_captions(captions)
    message = raised.value.messages[0]
    assert message.startswith(INVALID)
    assert reason in message


def test_moment_labels():
    assert [moment_label(s) for s in (0, 5, 760, 3599, 3725)] == ["0:00", "0:05", "12:40", "59:59", "1:02:05"]


@pytest.mark.parametrize(
    ("recording", "url"),
    [
        ("https://www.youtube.com/watch?v=abc123", "https://www.youtube.com/watch?v=abc123&t=760s"),
        ("https://www.youtube.com/watch?v=abc123&t=5s", "https://www.youtube.com/watch?v=abc123&t=760s"),
        ("https://youtu.be/abc123", "https://youtu.be/abc123?t=760s"),
        ("https://vimeo.com/12345", "https://vimeo.com/12345#t=760s"),
        ("https://example.org/optagelser/webinar.mp4", "https://example.org/optagelser/webinar.mp4#t=760"),
        ("https://example.org/optagelse#start", "https://example.org/optagelse#t=760"),
    ],
)
def test_moment_url_uses_the_player_time_parameter(recording, url):
    assert moment_url(recording, 760) == url


# --- The admin ------------------------------------------------------------------------------------------------


def test_the_admin_form_takes_a_caption_file(admin_client, organisation):
    text = admin_client.get(add_url(WebinarPage, organisation)).content.decode()
    assert 'enctype="multipart/form-data"' in text
    assert 'name="captions_file"' in text
    assert 'accept=".vtt,text/vtt"' in text
    assert 'name="captions"' in text


def test_pasted_captions_are_saved_with_their_cues_and_transcript(admin_client, organisation):
    response = admin_client.post(add_url(WebinarPage, organisation), publish(webinar_data(captions=GOOD)))

    assert response.status_code == 302
    webinar = WebinarPage.objects.get()
    assert webinar.transcript_cues[1] == {"start": 760, "text": "Det handler om trivsel på biblioteket."}
    assert webinar.transcript == "Velkommen til webinaret.\nDet handler om trivsel på biblioteket.\nTak for i dag."


def test_an_uploaded_caption_file_fills_in_the_captions(admin_client, organisation):
    upload = SimpleUploadedFile("webinar.vtt", ("\ufeff" + GOOD).encode("utf-8"), content_type="text/vtt")

    response = admin_client.post(
        add_url(WebinarPage, organisation), {**publish(webinar_data()), "captions_file": upload}
    )

    assert response.status_code == 302
    webinar = WebinarPage.objects.get()
    assert webinar.captions.startswith("WEBVTT")
    assert len(webinar.transcript_cues) == 3


@pytest.mark.parametrize(("label", "captions", "reason"), BAD_CAPTIONS, ids=[bad[0] for bad in BAD_CAPTIONS])
def test_bad_pasted_captions_are_refused_and_nothing_is_saved(admin_client, organisation, label, captions, reason):
    response = admin_client.post(add_url(WebinarPage, organisation), publish(webinar_data(captions=captions)))

    assert response.status_code == 200
    errors = [str(error) for error in response.context["form"].errors["captions"]]
    assert len(errors) == 1
    assert errors[0].startswith(INVALID)
    assert reason in errors[0]
    assert INVALID in response.content.decode()
    assert not WebinarPage.objects.exists()


@pytest.mark.parametrize(
    ("label", "content", "reason"),
    [
        ("empty file", b"", "den er tom."),
        ("not WebVTT", b"Hej og velkommen\n", "den skal begynde med WEBVTT."),
        ("bad timestamp", BAD_TIMESTAMP.encode(), "linje 6 har en ugyldig tidsangivelse"),
        ("not UTF-8", GOOD.encode("latin-1"), "ikke gemt som UTF-8"),
        ("huge", b"WEBVTT\n\n" + b"x" * (MAX_BYTES + 1), "den er større end 1 MB."),
    ],
)
def test_a_bad_uploaded_file_is_refused_and_nothing_is_saved(admin_client, organisation, label, content, reason):
    upload = SimpleUploadedFile("webinar.vtt", content, content_type="text/vtt")

    response = admin_client.post(
        add_url(WebinarPage, organisation), {**publish(webinar_data()), "captions_file": upload}
    )

    assert response.status_code == 200
    errors = [str(error) for error in response.context["form"].errors["captions_file"]]
    assert len(errors) == 1
    assert errors[0].startswith(INVALID)
    assert reason in errors[0]
    assert not WebinarPage.objects.exists()


def test_bad_captions_on_an_existing_webinar_change_nothing(admin_client, organisation):
    webinar = WebinarPageFactory(parent=organisation, captions=GOOD)
    revisions = webinar.revisions.count()
    url = reverse("wagtailadmin_pages:edit", args=(webinar.pk,))
    data = webinar_data(title=webinar.title, slug=webinar.slug, captions=BAD_TIMESTAMP)

    response = admin_client.post(url, publish(data))

    assert response.status_code == 200
    assert INVALID in response.content.decode()
    webinar.refresh_from_db()
    assert webinar.captions == GOOD
    assert len(webinar.transcript_cues) == 3
    assert webinar.revisions.count() == revisions


# --- The page -------------------------------------------------------------------------------------------------


def past_webinar(organisation, **fields) -> WebinarPage:
    fields.setdefault("recording_url", "https://www.youtube.com/watch?v=abc123")
    fields.setdefault("captions", GOOD)
    return WebinarPageFactory(parent=organisation, start=timezone.now() - dt.timedelta(days=30), **fields)


def test_the_page_shows_the_transcript_lines_linking_to_their_moment(client, organisation):
    webinar = past_webinar(organisation)

    text = client.get(webinar.url).content.decode()

    assert '<details class="transcript__details">' in text
    assert "Vis udskriften (3 linjer)" in text
    assert 'href="https://www.youtube.com/watch?v=abc123&amp;t=760s"' in text
    assert '<span class="visually-hidden">Se optagelsen fra </span>12:40</a>' in text
    assert 'href="https://www.youtube.com/watch?v=abc123&amp;t=3725s"' in text
    assert "1:02:05</a>" in text
    assert "Det handler om trivsel på biblioteket." in text
    assert 'id="udskrift-2"' in text


def test_without_a_recording_the_lines_show_their_time_without_a_link(client, organisation):
    webinar = past_webinar(organisation, recording_url="")

    text = client.get(webinar.url).content.decode()

    assert '<span class="transcript__time">12:40</span>' in text
    assert "t=760" not in text


def test_a_transcript_typed_by_hand_is_shown_as_text(client, organisation):
    webinar = past_webinar(organisation, captions="", transcript="Webinaret handlede om trivsel.")

    text = client.get(webinar.url).content.decode()

    assert '<div class="transcript__text"><p>Webinaret handlede om trivsel.</p></div>' in text
    assert "transcript__details" not in text


def test_changed_captions_change_the_lines_on_save(organisation):
    webinar = past_webinar(organisation)
    webinar.captions = "WEBVTT\n\n00:01:00.000 --> 00:01:02.000\nEn ny linje.\n"
    webinar.save()
    webinar.refresh_from_db()
    assert webinar.transcript_cues == [{"start": 60, "text": "En ny linje."}]
    assert webinar.transcript == "En ny linje."
