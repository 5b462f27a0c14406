"""One offering's registrations in the admin: who sees them, filters, exports, cancel and promote."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import openpyxl
import pytest

from events.registration.models import LogAction, Participant, ParticipantStatus, RegistrationLogEntry
from events.registration.values import ParticipantData
from tests.events.factories import EventPageFactory, tracks

from ..conftest import people, register
from .conftest import denied, offering_url

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[dict]:
    """The rows of a CSV export, read as Danish Excel reads it: a byte-order mark, then `;`-separated UTF-8."""
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_offering_view_shows_counts_participants_positions_and_log(admin_client, filled):
    response = admin_client.get(offering_url(filled))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-count="confirmed">3<' in html
    assert 'data-count="waiting">2<' in html
    assert 'data-count="seats-left">0<' in html
    for n in range(1, 6):
        assert f"Deltager {n}" in html
    assert "nr. 1" in html and "nr. 2" in html
    assert "Tilmeldt" in html  # the log: two registrations by the contacts
    assert "Kontaktperson" in html


def test_coordinator_of_the_section_sees_the_offering(coordinator_client, filled):
    response = coordinator_client.get(offering_url(filled))
    assert response.status_code == 200
    assert "Deltager 1" in response.content.decode()


def test_coordinator_of_another_section_is_turned_away(stranger_client, filled):
    assert denied(stranger_client.get(offering_url(filled)))
    participant = Participant.objects.get(email="deltager1@example.org")
    cancel = reverse("registration_admin:cancel", args=[filled.pk, participant.pk])
    assert denied(stranger_client.post(cancel))
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.CONFIRMED


def test_anonymous_is_sent_to_the_login(client, filled):
    response = client.get(offering_url(filled))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "waiting"}, {"Deltager 4", "Deltager 5"}),
        ({"status": "confirmed"}, {"Deltager 1", "Deltager 2", "Deltager 3"}),
        ({"track": "Ledere"}, {"Deltager 4"}),
    ],
)
def test_filters(admin_client, filled, params, expected):
    response = admin_client.get(offering_url(filled, **params))
    assert response.status_code == 200
    html = response.content.decode()
    shown = {f"Deltager {n}" for n in range(1, 6) if f"<td>Deltager {n}</td>" in html}
    assert shown == expected


def test_a_renamed_track_keeps_the_stored_name_in_the_list_the_filter_and_the_export(admin_client, filled):
    filled.tracks = tracks("Medarbejdere", "Ledere og mellemledere")
    filled.save_revision().publish()

    html = admin_client.get(offering_url(filled, track="Ledere")).content.decode()
    assert {f"Deltager {n}" for n in range(1, 6) if f"<td>Deltager {n}</td>" in html} == {"Deltager 4"}
    assert '<option value="Ledere" selected>Ledere</option>' in html
    assert "Ledere og mellemledere</option>" not in html  # no participant has it, so nothing to filter by
    rows = csv_rows(admin_client.get(offering_url(filled, export="csv")))
    assert {row["Navn"]: row["Spor"] for row in rows}["Deltager 4"] == "Ledere"


def test_library_filter(admin_client, filled, library):
    response = admin_client.get(offering_url(filled, library=library.pk))
    html = response.content.decode()
    assert "<td>Deltager 1</td>" in html and "<td>Deltager 2</td>" in html
    assert "<td>Deltager 3</td>" not in html


@pytest.mark.parametrize(
    "params", [{"library": "abc"}, {"library": "999999"}, {"status": "whatever"}, {"track": "%00"}, {"export": "pdf"}]
)
def test_bad_filter_input_is_reported_not_a_500(admin_client, filled, params):
    response = admin_client.get(offering_url(filled, **params))
    assert response.status_code == 200
    if "export" not in params:
        assert "error-message" in response.content.decode()


def test_csv_export_has_exactly_the_filtered_rows(admin_client, filled):
    response = admin_client.get(offering_url(filled, status="waiting", export="csv"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    rows = csv_rows(response)
    assert [row["Navn"] for row in rows] == ["Deltager 4", "Deltager 5"]
    assert [row["Plads på ventelisten"] for row in rows] == ["1", "2"]
    assert len({row["Bibliotek"] for row in rows}) == 1
    assert rows[0]["Spor"] == "Ledere"


def test_xlsx_export_has_exactly_the_filtered_rows(admin_client, filled, library):
    response = admin_client.get(offering_url(filled, library=library.pk, export="xlsx"))

    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    header, *rows = list(sheet.values)
    assert header[:3] == ("Navn", "E-mail", "Bibliotek")
    assert [row[0] for row in rows] == ["Deltager 1", "Deltager 2"]
    assert {row[2] for row in rows} == {library.name}
    assert all(isinstance(row[header.index("Tilmeldt")], dt.datetime) for row in rows)


def test_csv_export_opens_in_danish_excel(admin_client, offering, library):
    register(
        offering,
        library,
        [ParticipantData("Søren Ærø-Åberg", "soeren@example.org", track="Medarbejdere", needs="Glutenfri; vegetar")],
    )

    response = admin_client.get(offering_url(offering, export="csv"))

    data = b"".join(response.streaming_content)
    assert data.startswith("\ufeffNavn;E-mail;Bibliotek;".encode())
    [row] = csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";")
    assert row["Navn"] == "Søren Ærø-Åberg"
    assert row["Særlige behov"] == "Glutenfri; vegetar"  # quoted, so the separator inside stays in its cell
    queued = Participant.objects.get().queued_at
    assert row["Tilmeldt"] == timezone.localtime(queued).strftime("%d-%m-%Y %H:%M")  # no seconds, no microseconds


def test_xlsx_export_has_a_danish_sheet_a_frozen_header_filter_and_widths(admin_client, filled):
    long_name = "Bibliotekar Åse Østergaard-Lauritzen"
    participant = Participant.objects.get(name="Deltager 1")
    participant.name = long_name
    participant.save()

    response = admin_client.get(offering_url(filled, export="xlsx"))

    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["Tilmeldinger"]
    sheet = workbook.active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:N6"  # the header and the five participants, every column
    assert sheet["A2"].value == long_name
    assert sheet.column_dimensions["A"].width == len(long_name) + 2  # the longest name
    assert sheet.column_dimensions["I"].width == len("Plads på ventelisten") + 2  # its heading
    queued = sheet["L2"].value
    assert (sheet["L1"].value, queued.microsecond) == ("Tilmeldt", 0)
    assert queued == timezone.localtime(participant.queued_at).replace(tzinfo=None, microsecond=0)
    assert sheet["L2"].number_format == "dd-mm-yyyy hh:mm"


def test_exports_keep_formula_like_text_as_text(admin_client, offering, library):
    register(offering, library, [ParticipantData('=HYPERLINK("http://x")', "formel@example.org", track="Medarbejdere")])

    assert csv_rows(admin_client.get(offering_url(offering, export="csv")))[0]["Navn"] == '\'=HYPERLINK("http://x")'
    response = admin_client.get(offering_url(offering, export="xlsx"))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cell = workbook.active["A2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x")', "s")


def test_offering_view_query_count_does_not_grow_with_participants(admin_client, offering, library, other_library):
    offering.capacity = None
    offering.save_revision().publish()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(offering_url(offering)).status_code == 200
        return len(captured)

    register(offering, library, [ParticipantData("A", "a@example.org", track="Medarbejdere")])
    few = queries()
    register(
        offering,
        other_library,
        [ParticipantData(f"B{n}", f"b{n}@example.org", track="Ledere") for n in range(8)],
        contact_email="b@example.org",
    )
    assert queries() == few


def test_export_with_a_bad_filter_exports_nothing(admin_client, filled):
    response = admin_client.get(offering_url(filled, library="abc", export="csv"))
    assert response.status_code == 200
    assert "Content-Disposition" not in response
    assert "Ret filtrene" in response.content.decode()


def test_export_is_forbidden_to_a_coordinator_of_another_section(stranger_client, filled):
    assert denied(stranger_client.get(offering_url(filled, export="csv")))


def test_cancel_promotes_the_first_waiting_and_sends_mails(
    coordinator_client, coordinator, filled, django_capture_on_commit_callbacks
):
    participant = Participant.objects.get(email="deltager1@example.org")
    url = reverse("registration_admin:cancel", args=[filled.pk, participant.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(url, {"next": offering_url(filled, status="waiting")})

    assert response.status_code == 302
    assert response["Location"] == offering_url(filled, status="waiting")
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.CANCELLED
    assert Participant.objects.get(email="deltager4@example.org").status == ParticipantStatus.CONFIRMED
    recipients = {m.to[0] for m in mail.outbox}
    assert {"deltager1@example.org", "deltager4@example.org"} <= recipients
    entry = RegistrationLogEntry.objects.get(participant=participant, action=LogAction.CANCELLED)
    assert (entry.actor, entry.actor_role) == (coordinator, "coordinator")
    followed = coordinator_client.get(response["Location"])
    assert "er afmeldt" in followed.content.decode()


def test_coordinator_may_cancel_after_the_change_deadline(admin_client, filled):
    filled.change_deadline = timezone.now() - dt.timedelta(minutes=1)
    filled.save_revision().publish()
    participant = Participant.objects.get(email="deltager2@example.org")

    admin_client.post(reverse("registration_admin:cancel", args=[filled.pk, participant.pk]))

    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.CANCELLED


def test_promote_refused_when_full_shows_the_danish_message(admin_client, filled):
    waiting = Participant.objects.get(email="deltager5@example.org")
    response = admin_client.post(reverse("registration_admin:promote", args=[filled.pk, waiting.pk]), follow=True)

    assert response.status_code == 200
    assert "Der er ingen ledige pladser" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == ParticipantStatus.WAITING


def test_promote_gives_a_seat_and_sends_mail(admin_client, filled, django_capture_on_commit_callbacks):
    # With registration closed, published seats wait for the coordinator to hand them out (else the queue moves up).
    filled.registration_enabled = False
    filled.capacity = 4
    filled.save_revision().publish()
    waiting = Participant.objects.get(email="deltager5@example.org")  # second in the queue: the coordinator chooses

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("registration_admin:promote", args=[filled.pk, waiting.pk]))

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == ParticipantStatus.CONFIRMED
    assert "deltager5@example.org" in {m.to[0] for m in mail.outbox}


def test_cancelling_twice_is_a_message_not_a_500(admin_client, filled):
    participant = Participant.objects.get(email="deltager1@example.org")
    url = reverse("registration_admin:cancel", args=[filled.pk, participant.pk])
    admin_client.post(url)
    response = admin_client.post(url, follow=True)
    assert response.status_code == 200
    assert "Der er ingen tilmeldte deltagere at afmelde." in response.content.decode()


def test_actions_ask_on_get_and_change_nothing(admin_client, filled):
    participant = Participant.objects.get(email="deltager1@example.org")
    response = admin_client.get(reverse("registration_admin:cancel", args=[filled.pk, participant.pk]))
    assert response.status_code == 200 and 'data-confirm="cancel"' in response.content.decode()
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.CONFIRMED


def test_a_participant_of_another_offering_is_not_found(admin_client, filled, event, library):
    other = register(event, library, people(1, prefix="andet")).confirmed[0]
    response = admin_client.post(reverse("registration_admin:cancel", args=[filled.pk, other.pk]))
    assert response.status_code == 404


def test_header_and_listing_buttons_link_to_the_registrations(coordinator_client, filled, organisation):
    edit = coordinator_client.get(reverse("wagtailadmin_pages:edit", args=[filled.pk]))
    assert offering_url(filled) in edit.content.decode()
    listing = coordinator_client.get(reverse("wagtailadmin_explore", args=[organisation.pk]))
    assert offering_url(filled) in listing.content.decode()


def test_no_button_without_registration(admin_client, organisation):
    plain = EventPageFactory(parent=organisation, title="Uden tilmelding")
    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=[plain.pk]))
    assert offering_url(plain) not in edit.content.decode()


OFFERING_PAGES = [({}, ["A1", "A2"]), ({"p": "2"}, ["A3"]), ({"p": "abc"}, ["A1", "A2"]), ({"p": "99"}, ["A3"])]


@pytest.mark.parametrize(("page", "names"), OFFERING_PAGES)
def test_participants_are_shown_a_page_at_a_time(admin_client, offering, library, monkeypatch, page, names):
    monkeypatch.setattr("events.registration.admin.offering.PARTICIPANTS_PER_PAGE", 2)
    offering.capacity = None
    offering.save_revision().publish()
    register(
        offering, library, [ParticipantData(f"A{n}", f"a{n}@example.org", track="Medarbejdere") for n in range(1, 4)]
    )

    response = admin_client.get(offering_url(offering, **page))

    assert response.status_code == 200
    assert [p.name for p in response.context["participants"]] == names


def test_page_links_keep_the_filters_and_exports_hold_every_page(admin_client, offering, library, monkeypatch):
    monkeypatch.setattr("events.registration.admin.offering.PARTICIPANTS_PER_PAGE", 2)
    offering.capacity = None
    offering.save_revision().publish()
    register(
        offering, library, [ParticipantData(f"A{n}", f"a{n}@example.org", track="Medarbejdere") for n in range(1, 4)]
    )

    html = admin_client.get(offering_url(offering, status="confirmed")).content.decode()
    exported = csv_rows(admin_client.get(offering_url(offering, status="confirmed", p="2", export="csv")))

    assert "?status=confirmed&amp;p=2" in html
    assert len(exported) == 3
