"""The funders' report in the admin: who sees which initiative, the period's input, the page and its XLSX."""

from __future__ import annotations

import datetime as dt
import io
import re

from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

import pytest
import time_machine
from openpyxl import load_workbook

from network.services import coordinator_group_ensure, personal_data_group_ensure
from tests.network.factories import InitiativePageFactory, OrganisationPageFactory

from .conftest import make_user
from .test_funders import NOW, built  # noqa: F401 - the hand-built initiative, a fixture

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def coordinator(organisation):
    return logged_in(make_user("koordinator-db", coordinator_group_ensure(name="Koordinatorer – DB",
                                                                          sections=[organisation])))  # fmt: skip


@pytest.fixture
def other_initiative(organisation_index, initiative_index):
    """An initiative of Kultur og Information, and its coordinator."""
    other = OrganisationPageFactory(parent=organisation_index, title="Kultur og Information", short_name="KI")
    initiative = InitiativePageFactory(parent=initiative_index, title="Skole og bibliotek", organiser=other)
    return initiative, logged_in(make_user("koordinator-ki", coordinator_group_ensure(name="KI", sections=[other])))


def url(initiative, **params) -> str:
    address = reverse("registration_admin:funders_report", args=[initiative.pk])
    return address + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def figure(response, name: str) -> str:
    match = re.search(rf'data-figure="{name}">([^<]*)<', response.content.decode())
    return match.group(1).strip() if match else ""


# --- Scope ---------------------------------------------------------------------------------------------------------


def test_a_coordinator_sees_the_initiatives_of_their_organisation_only(initiative, other_initiative, coordinator):
    other, _ki = other_initiative
    listing = coordinator.get(reverse("registration_admin:funders")).content.decode()

    assert initiative.title in listing and other.title not in listing
    assert coordinator.get(url(initiative)).status_code == 200
    assert coordinator.get(url(other)).status_code == 404
    assert coordinator.get(url(other, export="xlsx")).status_code == 404


def test_the_coordinator_of_another_organisation_does_not_see_this_one(initiative, other_initiative):
    _other, ki = other_initiative
    assert ki.get(url(initiative)).status_code == 404


def test_the_personal_data_officer_sees_every_initiative(initiative, other_initiative):
    other, _ki = other_initiative
    officer = logged_in(make_user("persondata", personal_data_group_ensure()))
    listing = officer.get(reverse("registration_admin:funders")).content.decode()

    assert initiative.title in listing and other.title in listing
    assert officer.get(url(other)).status_code == 200


def test_an_editor_without_registration_tools_is_turned_away(initiative):
    user = make_user("redaktoer")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    assert logged_in(user).get(url(initiative)).status_code in (302, 403)


def test_the_registrations_menu_holds_the_report(initiative, coordinator):
    assert reverse("registration_admin:funders") in coordinator.get(reverse("wagtailadmin_home")).content.decode()


# --- The page ------------------------------------------------------------------------------------------------------


def test_the_page_shows_the_figures_of_the_chosen_period(initiative, built, coordinator, django_assert_num_queries):  # noqa: F811
    coordinator.get(url(initiative, fra="2025-01-01", til="2025-12-31"))
    with django_assert_num_queries(24):
        response = coordinator.get(url(initiative, fra="2025-01-01", til="2025-12-31"))

    assert response.status_code == 200
    assert figure(response, "offerings") == "3"
    assert figure(response, "course_days") == "3"
    assert figure(response, "hours") == "9,5"
    assert figure(response, "participants") == "6"
    assert figure(response, "people") == "5"
    assert figure(response, "libraries") == "3 af 98"
    assert figure(response, "municipalities") == "3 af 98"
    assert figure(response, "regions") == "3 af 5"
    assert figure(response, "attendance") == "50 %"


def test_the_default_period_is_this_year(initiative, built, coordinator):  # noqa: F811
    response = coordinator.get(url(initiative))

    assert response.context["report"].start == dt.date(2026, 1, 1)
    assert response.context["report"].end == dt.date(2026, 12, 31)
    assert figure(response, "offerings") == "1"  # the event on 1 January 2026


def test_the_presets_are_calendar_years(initiative, coordinator):
    text = coordinator.get(url(initiative)).content.decode()
    for year in (2026, 2025, 2022):
        assert f"?fra={year}-01-01&amp;til={year}-12-31" in text


def test_a_start_alone_reports_to_the_end_of_its_year(initiative, built, coordinator):  # noqa: F811
    report = coordinator.get(url(initiative, fra="2025-06-01")).context["report"]
    assert (report.start, report.end) == (dt.date(2025, 6, 1), dt.date(2025, 12, 31))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"fra": "2025-12-31", "til": "2025-01-01"}, "Til-datoen må ikke ligge før fra-datoen."),
        ({"fra": "i går", "til": "2025-01-01"}, "Skriv fra-datoen som åååå-mm-dd."),
        ({"til": "2025-13-45"}, "Skriv til-datoen som åååå-mm-dd."),
        ({"fra": "0001-01-01"}, "Vælg en dato mellem år 1900 og 2100."),
        ({"til": "9999-12-31", "export": "xlsx"}, "Vælg en dato mellem år 1900 og 2100."),
        ({"fra": "2025-06-01", "til": "2025-05-31", "export": "xlsx"}, "Til-datoen må ikke ligge før fra-datoen."),
    ],
)
def test_bad_period_input_gets_a_danish_message_and_no_report(initiative, coordinator, params, message):
    response = coordinator.get(url(initiative, **params))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()
    assert response.context["report"] is None


# --- XLSX ----------------------------------------------------------------------------------------------------------


def test_the_xlsx_holds_the_report_in_danish_sheets(initiative, built, coordinator):  # noqa: F811
    response = coordinator.get(url(initiative, fra="2025-01-01", til="2025-12-31", export="xlsx"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "bevillingsrapport-" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["Overblik", "Tilbud", "Regioner", "Fremmøde", "Evaluering"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
        assert sheet.column_dimensions["A"].width >= 10
    overview = {row[0]: row[1] for row in book["Overblik"].iter_rows(min_row=2, values_only=True)}
    assert overview["Tilbud afholdt"] == 3
    assert overview["Tilbud: kursus"] == 1
    assert overview["Kursusdage"] == 3
    assert overview["Timer på kursusdagene"] == 9.5
    assert (overview["Deltagere (bekræftede)"], overview["Personer"]) == (6, 5)
    assert (overview["Biblioteker nået"], overview["Kommuner nået"], overview["Regioner nået"]) == (3, 3, 3)
    assert overview["Fremmøde (%)"] == 50
    assert (overview["Inviteret til evaluering"], overview["Svar på evaluering"]) == (6, 4)
    assert overview["Lederspor: deltagere"] == 1
    offerings = list(book["Tilbud"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[3], row[4], row[5], row[6], row[8]) for row in offerings][0] == (
        "Kompetenceforløb",
        3,
        9.5,
        3,
        3,
        1,
    )
    assert offerings[0][2] in (dt.date(2025, 3, 10), dt.datetime(2025, 3, 10))
    assert book["Tilbud"]["C2"].number_format == "dd-mm-yyyy"
    days = list(book["Fremmøde"].iter_rows(min_row=2, values_only=True))
    assert [(row[1], row[3], row[4], row[5]) for row in days] == [
        ("Dag 1", 3, 2, 66.7),
        ("Dag 2", 3, 1, 33.3),
        ("Dag 3", 3, None, None),
    ]
    regions = {row[0]: row[1:] for row in book["Regioner"].iter_rows(min_row=2, values_only=True)}
    assert regions["Region Midtjylland"] == (3, 2, 1, 19)


def test_a_long_period_shows_the_first_rows_and_points_to_the_xlsx_for_all(
    initiative,
    built,  # noqa: F811
    coordinator,
    monkeypatch,
):
    monkeypatch.setattr("events.registration.admin.funders.ROWS_ON_PAGE", 2)
    response = coordinator.get(url(initiative, fra="2025-01-01", til="2025-12-31"))
    text = response.content.decode()
    offerings = re.search(r'id="funders-offerings".*?</section>', text, re.S).group(0)
    assert offerings.count("<tr>") == 1 + 2  # the heading and the first two of three
    assert "Siden viser de første 2 af 3 rækker." in offerings
    assert "export=xlsx" in offerings
    assert figure(response, "offerings") == "3"  # the totals count every row
    book = load_workbook(
        io.BytesIO(
            b"".join(
                coordinator.get(url(initiative, fra="2025-01-01", til="2025-12-31", export="xlsx")).streaming_content
            )
        )
    )
    assert book["Tilbud"].max_row == 1 + 3
