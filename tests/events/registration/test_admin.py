"""The coordinators' registration tools in the Wagtail admin: per offering, attendance, overview, person, outbox."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import openpyxl
import pytest

from events.registration import services
from events.registration.admin_views import outbox_kind
from events.registration.models import (
    LogAction,
    OutboxMessage,
    OutboxStatus,
    Participant,
    ParticipantStatus,
    Registration,
    RegistrationLogEntry,
    SessionAttendance,
)
from events.registration.services import ParticipantData
from network.services import coordinator_group_ensure
from tests.events.factories import CoursePageFactory, CourseSessionFactory, EventPageFactory
from tests.network.factories import OrganisationPageFactory

from .conftest import people

pytestmark = pytest.mark.django_db


# --- Fixtures: an offering in a coordinator's own section, a coordinator of another section ----------------------


@pytest.fixture
def offering(organisation):
    """An event below Danmarks Biblioteksforening with 3 seats and a waiting list."""
    return EventPageFactory(
        parent=organisation,
        title="Temadag om læselyst",
        registration_enabled=True,
        capacity=3,
        waiting_list=True,
        registration_tracks=["staff", "leaders"],
    )


@pytest.fixture
def section_course(organisation):
    start = timezone.localdate() + dt.timedelta(days=20)
    return CoursePageFactory(
        parent=organisation,
        title="Formidling i praksis",
        start=timezone.now() + dt.timedelta(days=20),
        end=timezone.now() + dt.timedelta(days=50),
        registration_enabled=True,
        capacity=5,
        sessions=[
            CourseSessionFactory.build(title="Kursusgang 1", date=start),
            CourseSessionFactory.build(title="Mellem gangene", date=start + dt.timedelta(days=7), kind="aktivitet"),
            CourseSessionFactory.build(title="Kursusgang 2", date=start + dt.timedelta(days=28)),
        ],
    )


def make_user(username: str, group=None):
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password="adgangskode-til-test"
    )
    if group is not None:
        user.groups.add(group)
    return user


def editor():
    """A user who reaches the admin but holds none of the registration permissions."""
    user = make_user("redaktoer")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.fixture
def coordinator(organisation):
    return make_user("koordinator-db", coordinator_group_ensure(name="Koordinatorer – DB", sections=[organisation]))


@pytest.fixture
def stranger(organisation_index):
    """A coordinator of another section (Kultur og Information)."""
    other = OrganisationPageFactory(parent=organisation_index, title="Kultur og Information", short_name="KI")
    return make_user("koordinator-ki", coordinator_group_ensure(name="Koordinatorer – KI", sections=[other]))


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def stranger_client(stranger):
    """A client of its own, so a test may hold it beside `coordinator_client`."""
    client = Client()
    client.force_login(stranger)
    return client


def register(offering, library, participants, contact_email="kontakt@example.org"):
    return services.register(
        offering,
        library=library,
        contact_name="Kontaktperson",
        contact_email=contact_email,
        participants=participants,
        consent=True,
    )


@pytest.fixture
def filled(offering, library, other_library):
    """3 confirmed (2 from Herning, 1 from Ballerup) and 2 waiting (Ballerup), one of them on the leaders' track."""
    register(
        offering,
        library,
        [
            ParticipantData("Deltager 1", "deltager1@example.org", track="staff"),
            ParticipantData("Deltager 2", "deltager2@example.org", track="staff"),
        ],
    )
    register(
        offering,
        other_library,
        [
            ParticipantData("Deltager 3", "deltager3@example.org", track="staff"),
            ParticipantData("Deltager 4", "deltager4@example.org", track="leaders"),
            ParticipantData("Deltager 5", "deltager5@example.org", track="staff"),
        ],
        contact_email="ballerup@example.org",
    )
    mail.outbox.clear()
    return offering


def offering_url(offering, **params) -> str:
    url = reverse("registration_admin:offering", args=[offering.pk])
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def denied(response) -> bool:
    """Turned away: 403, or Wagtail's redirect to the dashboard (or to the login)."""
    return response.status_code in (302, 403)


# --- One offering --------------------------------------------------------------------------------------------------


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
        ({"track": "leaders"}, {"Deltager 4"}),
    ],
)
def test_filters(admin_client, filled, params, expected):
    response = admin_client.get(offering_url(filled, **params))
    assert response.status_code == 200
    html = response.content.decode()
    shown = {f"Deltager {n}" for n in range(1, 6) if f"<td>Deltager {n}</td>" in html}
    assert shown == expected


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
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
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


def test_exports_keep_formula_like_text_as_text(admin_client, offering, library):
    register(offering, library, [ParticipantData('=HYPERLINK("http://x")', "formel@example.org", track="staff")])

    text = b"".join(admin_client.get(offering_url(offering, export="csv")).streaming_content).decode()
    assert next(csv.DictReader(io.StringIO(text)))["Navn"] == '\'=HYPERLINK("http://x")'
    response = admin_client.get(offering_url(offering, export="xlsx"))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cell = workbook.active["A2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x")', "s")


def test_offering_view_query_count_does_not_grow_with_participants(admin_client, offering, library, other_library):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    offering.capacity = None
    offering.save_revision().publish()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(offering_url(offering)).status_code == 200
        return len(captured)

    register(offering, library, [ParticipantData("A", "a@example.org", track="staff")])
    few = queries()
    register(
        offering,
        other_library,
        [ParticipantData(f"B{n}", f"b{n}@example.org", track="leaders") for n in range(8)],
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


def test_actions_need_post(admin_client, filled):
    participant = Participant.objects.get(email="deltager1@example.org")
    assert admin_client.get(reverse("registration_admin:cancel", args=[filled.pk, participant.pk])).status_code == 405


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


# --- Attendance ----------------------------------------------------------------------------------------------------


@pytest.fixture
def course_filled(section_course, library):
    register(section_course, library, people(2, prefix="kursist"))
    return section_course


def attendance_url(course) -> str:
    return reverse("registration_admin:attendance", args=[course.pk])


def test_attendance_grid_saves_and_logs(coordinator_client, coordinator, course_filled):
    first, second = Participant.objects.filter(offering=course_filled).order_by("pk")
    day1, day2 = [s for s in course_filled.sessions.all() if s.kind == "kursusgang"]

    page = coordinator_client.get(attendance_url(course_filled))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kursusgang 1" in html and "Kursusgang 2" in html and "Mellem gangene" not in html

    response = coordinator_client.post(
        attendance_url(course_filled), {f"a-{first.pk}-{day1.pk}": "1", f"a-{second.pk}-{day2.pk}": "1"}
    )
    assert response.status_code == 302
    grid = {(a.participant_id, a.session_id): a.attended for a in SessionAttendance.objects.all()}
    assert grid == {
        (first.pk, day1.pk): True,
        (first.pk, day2.pk): False,
        (second.pk, day1.pk): False,
        (second.pk, day2.pk): True,
    }
    entries = RegistrationLogEntry.objects.filter(action=LogAction.ATTENDANCE)
    assert entries.count() == 2
    assert {e.actor for e in entries} == {coordinator}

    # Saving again: only the change is written and logged.
    coordinator_client.post(attendance_url(course_filled), {f"a-{first.pk}-{day1.pk}": "1"})
    assert not SessionAttendance.objects.get(participant=second, session=day2).attended
    assert RegistrationLogEntry.objects.filter(action=LogAction.ATTENDANCE).count() == 3
    assert "checked" in coordinator_client.get(attendance_url(course_filled)).content.decode()


def test_attendance_refuses_cells_outside_the_grid(admin_client, course_filled, filled):
    outsider = Participant.objects.filter(offering=filled).first()
    day = course_filled.sessions.first()
    response = admin_client.post(attendance_url(course_filled), {f"a-{outsider.pk}-{day.pk}": "1"}, follow=True)
    assert response.status_code == 200
    assert "Fremmødet gælder kun" in response.content.decode()
    assert not SessionAttendance.objects.exists()


def test_attendance_is_forbidden_to_another_section_and_missing_for_events(stranger_client, course_filled):
    assert denied(stranger_client.get(attendance_url(course_filled)))
    assert denied(stranger_client.post(attendance_url(course_filled), {}))


def test_attendance_for_an_event_is_not_found(admin_client, offering):
    assert admin_client.get(attendance_url(offering)).status_code == 404


# --- Overview ------------------------------------------------------------------------------------------------------


def overview(client, **params):
    return client.get(reverse("registration_admin:overview"), params)


def test_overview_per_library_region_and_offering(admin_client, filled, course_filled):
    response = overview(admin_client)
    assert response.status_code == 200
    context = response.context
    assert context["total"] == 5  # 3 on the event, 2 on the course
    libraries = {row["library"]: row["confirmed"] for row in context["per_library"]}
    assert sorted(libraries.values()) == [1, 4]
    regions = {row["region"]: row["confirmed"] for row in context["per_region"]}
    assert regions["Region Midtjylland"] == 4  # Herning
    assert regions["Region Hovedstaden"] == 1  # Ballerup
    by_offering = {o.title: (o.confirmed, o.waiting) for o in context["per_offering"]}
    assert by_offering["Temadag om læselyst"] == (3, 2)
    assert by_offering["Formidling i praksis"] == (2, 0)


def test_overview_date_range_filters_on_the_offering_start(admin_client, filled, course_filled):
    in_25_days = timezone.localdate() + dt.timedelta(days=25)
    response = overview(admin_client, start_from=in_25_days.isoformat())
    assert {o.title for o in response.context["per_offering"]} == {"Temadag om læselyst"}  # starts in 30 days
    assert response.context["total"] == 3
    response = overview(admin_client, start_to=in_25_days.isoformat())
    assert response.context["total"] == 2


@pytest.mark.parametrize(
    "params",
    [{"start_from": "i morgen"}, {"start_to": "2026-13-45"}, {"start_from": "2027-01-02", "start_to": "2027-01-01"}],
)
def test_overview_bad_dates_give_a_danish_message(admin_client, filled, params):
    response = overview(admin_client, **params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Indtast en gyldig dato" in html or "Fra-datoen skal ligge før til-datoen" in html


def test_overview_query_count_does_not_grow_with_offerings(admin_client, organisation, library):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert overview(admin_client).status_code == 200
        return len(captured)

    def offering_with_one(n: int):
        event = EventPageFactory(parent=organisation, registration_enabled=True, capacity=5)
        register(event, library, [ParticipantData("A", f"a{n}@example.org")])

    offering_with_one(1)
    few = queries()
    for n in range(2, 6):
        offering_with_one(n)
    assert queries() == few


def test_overview_links_only_the_offerings_the_user_may_edit(stranger_client, coordinator_client, filled):
    url = offering_url(filled)
    assert url in overview(coordinator_client).content.decode()
    other = overview(stranger_client)
    assert other.status_code == 200
    assert "Temadag om læselyst" in other.content.decode()
    assert url not in other.content.decode()


def test_overview_for_coordinators_with_the_permission_only(coordinator_client, client, filled):
    assert overview(coordinator_client).status_code == 200
    client.force_login(editor())
    assert denied(overview(client))


# --- One person ----------------------------------------------------------------------------------------------------


def person_url() -> str:
    return reverse("registration_admin:person")


def test_person_view_shows_what_we_hold(coordinator_client, filled):
    response = coordinator_client.get(person_url(), {"email": "Deltager4@example.org"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Deltager 4" in html and "Temadag om læselyst" in html


def test_person_view_invalid_email_is_a_message(coordinator_client):
    response = coordinator_client.get(person_url(), {"email": "ikke en adresse"})
    assert response.status_code == 200
    assert "error-message" in response.content.decode()


def test_person_export_downloads_json_and_logs(coordinator_client, coordinator, filled):
    response = coordinator_client.post(person_url(), {"email": "deltager4@example.org", "action": "export"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert [row["navn"] for row in data["participant"]] == ["Deltager 4"]
    assert RegistrationLogEntry.objects.filter(action=LogAction.EXPORTED, actor=coordinator).exists()


def test_person_post_without_action_returns_to_the_lookup_without_the_token(coordinator_client, filled):
    response = coordinator_client.post(person_url(), {"email": "deltager4@example.org"})
    assert response.status_code == 302
    assert response["Location"] == person_url() + "?email=deltager4%40example.org"


def test_person_erase_asks_first_then_anonymises(coordinator_client, filled, django_capture_on_commit_callbacks):
    ask = coordinator_client.post(person_url(), {"email": "deltager1@example.org", "action": "erase"})
    assert ask.status_code == 200
    assert "Ja, slet data" in ask.content.decode()
    assert Participant.objects.filter(email="deltager1@example.org").exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = coordinator_client.post(
            person_url(), {"email": "deltager1@example.org", "action": "erase", "confirm": "1"}
        )
    assert done.status_code == 302
    assert not Participant.objects.filter(email="deltager1@example.org").exists()
    assert Participant.objects.filter(name=services.ANONYMOUS, status=ParticipantStatus.CANCELLED).count() == 1
    # The freed seat went to the first on the waiting list.
    assert Participant.objects.get(email="deltager4@example.org").status == ParticipantStatus.CONFIRMED


def test_person_tools_need_the_permission(client, filled):
    client.force_login(editor())
    assert denied(client.get(person_url(), {"email": "deltager1@example.org"}))
    assert denied(client.post(person_url(), {"email": "deltager1@example.org", "action": "erase", "confirm": "1"}))
    assert Participant.objects.filter(email="deltager1@example.org").exists()


# --- Outbox --------------------------------------------------------------------------------------------------------


@pytest.fixture
def failed_message(filled):
    message = OutboxMessage.objects.filter(registration__offering=filled).first()
    message.status = OutboxStatus.FAILED
    message.attempts = 5
    message.last_error = "SMTPServerDisconnected: Connection unexpectedly closed"
    message.save()
    return message


def test_outbox_lists_failed_messages_with_their_error(coordinator_client, failed_message):
    response = coordinator_client.get(reverse("udbakke:index"), {"status": "failed"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "SMTPServerDisconnected" in html
    assert "Prøv igen" in html
    assert str(outbox_kind(failed_message)) in html
    sent = OutboxMessage.objects.exclude(to_email=failed_message.to_email).first()
    assert sent.to_email not in html  # the status filter shows only the failed ones
    found = coordinator_client.get(reverse("udbakke:index"), {"q": failed_message.to_email})
    assert found.status_code == 200
    assert failed_message.to_email in found.content.decode()
    inspect = coordinator_client.get(reverse("udbakke:inspect", args=[failed_message.pk])).content.decode()
    assert "SMTPServerDisconnected" in inspect
    assert reverse("udbakke:edit", args=[failed_message.pk]) not in html


def test_outbox_retry_sends_the_failed_message(coordinator_client, failed_message):
    response = coordinator_client.post(reverse("registration_admin:outbox_retry"), {"ids": [failed_message.pk]})
    assert response.status_code == 302
    failed_message.refresh_from_db()
    assert failed_message.status == OutboxStatus.SENT
    assert [m.to[0] for m in mail.outbox] == [failed_message.to_email]


def test_outbox_is_read_only_and_needs_the_permission(coordinator_client, client, failed_message):
    assert denied(coordinator_client.get(reverse("udbakke:add")))
    assert denied(coordinator_client.get(reverse("udbakke:edit", args=[failed_message.pk])))
    assert denied(coordinator_client.post(reverse("udbakke:delete", args=[failed_message.pk])))
    assert coordinator_client.get(reverse("udbakke:inspect", args=[failed_message.pk])).status_code == 200
    client.force_login(editor())
    assert denied(client.get(reverse("udbakke:index")))
    assert denied(client.post(reverse("registration_admin:outbox_retry"), {"ids": [failed_message.pk]}))
    assert OutboxMessage.objects.filter(pk=failed_message.pk).exists()


def test_menu_shows_the_registration_tools_to_coordinators(coordinator_client):
    html = coordinator_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("registration_admin:overview") in html
    assert reverse("registration_admin:person") in html


def test_registrations_are_kept_apart(admin_client, filled):
    """Sanity: the fixture made two registrations and nothing else."""
    assert Registration.objects.filter(offering=filled).count() == 2
