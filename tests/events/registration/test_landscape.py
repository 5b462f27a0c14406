"""The competency landscape of a library: the figures, the admin view and the contact's view behind the manage link."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine

from events.registration import stats
from events.registration.models import Registration
from network.models import Library
from network.services import coordinator_group_ensure
from tests.events.factories import EventPageFactory
from tests.network.factories import OrganisationPageFactory

from .conftest import make_user
from .figures import NOW, add, at, build, more_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(organisation, organisation_index):
    other_section = OrganisationPageFactory(parent=organisation_index, title="Kultur og Information", short_name="KI")
    return build(organisation, other_section)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def coordinator_client(organisation):
    client = Client()
    client.force_login(
        make_user("koordinator-db", coordinator_group_ensure(name="Koordinatorer – DB", sections=[organisation]))
    )
    return client


def rows(landscape) -> list[tuple[str, list[int], int]]:
    return [(str(theme), counts, total) for theme, counts, total in landscape.rows]


# --- The figures -----------------------------------------------------------------------------------------------


def test_landscape_per_year(figures):
    landscape = stats.competency_landscape(figures.herning, now=NOW)

    assert landscape.columns == ["2023", "2024"]
    assert rows(landscape) == [
        ("Formidling", [0, 4], 4),  # webinar 3 + the course's attending participant (not the absent one)
        ("Ledelse", [0, 1], 1),  # not the network meeting that has not started
        ("Verdensmål", [2, 3], 5),
    ]
    assert landscape.totals == [2, 5]  # a participation counts once in the totals, whatever its themes
    assert landscape.total == 7


def test_landscape_per_half_year_fills_the_empty_periods(figures):
    landscape = stats.competency_landscape(figures.herning, division=stats.HALF_YEAR, now=NOW)

    assert landscape.columns == ["1. halvår 2023", "2. halvår 2023", "1. halvår 2024"]
    assert rows(landscape) == [
        ("Formidling", [0, 0, 4], 4),
        ("Ledelse", [0, 0, 1], 1),
        ("Verdensmål", [2, 0, 3], 5),
    ]
    assert landscape.totals == [2, 0, 5]


def test_landscape_of_other_libraries(figures):
    aalborg = stats.competency_landscape(figures.aalborg, now=NOW)
    assert aalborg.columns == ["2024"]
    assert rows(aalborg) == [("Ledelse", [2], 2), ("Uden tema", [1], 1)]  # the waiting one is not counted

    ballerup = stats.competency_landscape(figures.ballerup, now=NOW)
    # Course without recorded attendance counts; the waiting one and the offering that has not started do not.
    assert rows(ballerup) == [("Formidling", [3], 3), ("Verdensmål", [2], 2)]
    assert ballerup.total == 3


def test_landscape_of_a_library_without_participants_is_empty(figures):
    landscape = stats.competency_landscape(Library.objects.get(municipality__name="Odense"), now=NOW)
    assert landscape.is_empty and landscape.columns == [] and landscape.rows == []


def test_a_person_counts_once_per_theme_and_period(figures):
    """Recognised by the e-mail address in any case; a participant without one is a person of their own."""
    herning = figures.herning

    def event(title, start, themes):
        return EventPageFactory(
            parent=figures.webinar.get_parent(),
            title=title,
            start=start,
            end=start + dt.timedelta(hours=2),
            themes=[figures.themes[name] for name in themes],
        )

    again = event("Verdensmål igen", at(2024, 2, 1), ["Verdensmål"])
    add(again, herning, at(2024, 1, 5), email="gentaget@example.org")
    both = event("Verdensmål og ledelse", at(2024, 3, 1), ["Verdensmål", "Ledelse"])
    add(both, herning, at(2024, 2, 5), email="GENTAGET@example.org")
    add(both, herning, at(2024, 2, 5), email="")  # erased: no address left
    earlier = event("Ledelse i 2023", at(2023, 9, 1), ["Ledelse"])
    add(earlier, herning, at(2023, 8, 1), email="gentaget@example.org")

    landscape = stats.competency_landscape(herning, now=NOW)

    assert rows(landscape) == [
        ("Formidling", [0, 4], 4),
        ("Ledelse", [1, 3], 3),  # the repeated person in both years but once in the theme's total; + the erased one
        ("Verdensmål", [2, 5], 7),  # the repeated person once in 2024, though in two offerings; + the erased one
    ]
    assert landscape.totals == [3, 7]
    assert landscape.total == 9
    assert stats.people_per_library(now=NOW)[herning.pk] == 9


def test_people_per_library(figures):
    assert stats.people_per_library(now=NOW) == {
        figures.herning.pk: 7,
        figures.ballerup.pk: 3,
        figures.aalborg.pk: 3,
    }


# --- The admin views -------------------------------------------------------------------------------------------


def landscape_url(library) -> str:
    return reverse("registration_admin:landscape", args=[library.pk])


def test_admin_landscape_shows_table_and_chart(coordinator_client, figures, frozen):
    response = coordinator_client.get(landscape_url(figures.herning))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Kompetencelandskab: Bibliotekerne i Herning" in html
    assert html.count('role="img"') == 1 and "<title id=" in html and "<desc id=" in html
    assert "Verdensmål: 2023 2, 2024 3" in html  # the description holds the numbers
    assert '<th scope="row">Formidling</th><td>0</td><td>4</td><td>4</td>' in html
    assert "<td data-total>7</td>" in html
    assert "Deltager 1" not in html


def test_admin_landscape_per_half_year_and_a_bad_division(coordinator_client, figures, frozen):
    html = coordinator_client.get(landscape_url(figures.herning), {"inddeling": "halvaar"}).content.decode()
    assert "2. halvår 2023" in html and "data-filter-error" not in html

    response = coordinator_client.get(landscape_url(figures.herning), {"inddeling": "måned\x00"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-filter-error" in html and "Der vises i stedet tal pr. år" in html
    assert '<th scope="col">2024</th>' in html


def test_admin_landscape_needs_the_permission(client, figures):
    editor = make_user("redaktoer")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get(landscape_url(figures.herning)).status_code in (302, 403)
    assert client.get(reverse("registration_admin:landscapes")).status_code in (302, 403)


def test_admin_landscape_sends_the_anonymous_to_the_login(client, figures):
    response = client.get(landscape_url(figures.herning))
    assert response.status_code == 302 and "login" in response["Location"]


def test_admin_landscape_of_an_unknown_library_is_not_found(coordinator_client, figures):
    assert coordinator_client.get(reverse("registration_admin:landscape", args=[999999])).status_code == 404


def test_landscape_list_links_every_library_with_its_people(coordinator_client, figures, frozen):
    response = coordinator_client.get(reverse("registration_admin:landscapes"))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('href="/admin/tilmeldinger/kompetencelandskaber/') == Library.objects.count()
    assert f'<a href="{landscape_url(figures.herning)}">Bibliotekerne i Herning</a></td>' in html


def test_overview_and_menu_link_to_the_landscapes(coordinator_client, figures):
    html = coordinator_client.get(reverse("registration_admin:overview")).content.decode()
    assert landscape_url(figures.herning) in html
    assert reverse("registration_admin:landscapes") in html


# Session, user, permissions (2), profile, library, the landscape (2: who took part, the offerings' themes), then
# the admin's menu and chrome (5).
ADMIN_QUERIES = 12


def test_admin_landscape_query_count_is_pinned(
    coordinator_client, figures, organisation, frozen, django_assert_num_queries
):
    url = landscape_url(figures.herning)
    coordinator_client.get(url)  # warm Wagtail's caches
    with django_assert_num_queries(ADMIN_QUERIES):
        assert coordinator_client.get(url).status_code == 200
    more_data(organisation, figures.herning, 5)
    with django_assert_num_queries(ADMIN_QUERIES):
        assert "Ekstra tema 4" in coordinator_client.get(url, {"inddeling": "halvaar"}).content.decode()


# --- The contact's view behind the manage link -----------------------------------------------------------------


def manage_link(library) -> tuple[Registration, str]:
    registration = Registration.objects.filter(library=library).first()
    token = registration.set_new_token()
    registration.save()
    return registration, token


def public_url(registration, token: str) -> str:
    return f"/tilmelding/{registration.public_id}/kompetencelandskab/?adgang={token}"


def opened(client, registration, token: str) -> str:
    """The landscape's address once the e-mailed link has been opened in `client` (the access is in its session)."""
    response = client.get(public_url(registration, token))
    assert response.status_code == 302
    return response.url


def test_contact_sees_the_landscape_of_their_library(client, figures, frozen):
    registration, token = manage_link(figures.herning)

    response = client.get(public_url(registration, token), follow=True)

    assert response.redirect_chain == [(f"/tilmelding/{registration.public_id}/kompetencelandskab/", 302)]
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    html = response.content.decode()
    assert "Kompetencelandskab for Bibliotekerne i Herning" in html
    assert '<meta name="robots" content="noindex">' in html
    assert '<th scope="row">Verdensmål</th><td>2</td><td>3</td><td>5</td>' in html
    assert 'role="img"' in html
    # Aggregated counts only: no names or addresses of participants or contacts, no other library.
    assert not re.search(r"Deltager \d|deltager\d+@", html)
    assert "Kontaktperson" not in html
    assert "Ballerup" not in html and "Aalborg" not in html


def test_manage_page_links_to_the_landscape(client, figures, frozen):
    registration, token = manage_link(figures.herning)
    html = client.get(f"/tilmelding/{registration.public_id}/?adgang={token}", follow=True).content.decode()
    assert f'href="/tilmelding/{registration.public_id}/kompetencelandskab/"' in html


@pytest.mark.parametrize("bad", ["forkert-token", "x" * 43, ""])
def test_a_bad_token_gives_the_invalid_link_page(client, figures, bad):
    registration, _token = manage_link(figures.herning)
    url = f"/tilmelding/{registration.public_id}/{bad}/kompetencelandskab/"

    response = client.get(url)

    assert response.status_code == 404
    html = response.content.decode()
    assert "Verdensmål" not in html
    if bad:  # an empty token does not reach the view at all: a plain 404
        assert "Linket virker ikke" in html
        assert response["X-Robots-Tag"] == "noindex"


def test_an_unknown_registration_gives_the_invalid_link_page(client, figures):
    _registration, token = manage_link(figures.herning)
    response = client.get(f"/tilmelding/00000000-0000-0000-0000-000000000000/{token}/kompetencelandskab/")
    assert response.status_code == 404
    assert "Linket virker ikke" in response.content.decode()


def test_an_expired_link_gives_the_invalid_link_page(client, figures):
    """After the retention period the registration is anonymised, and its link no longer works."""
    registration, token = manage_link(figures.herning)
    Registration.objects.filter(pk=registration.pk).update(anonymised_at=timezone.now())

    response = client.get(public_url(registration, token))

    assert response.status_code == 404
    assert "Linket virker ikke" in response.content.decode()


def test_a_token_of_another_registration_does_not_open_it(client, figures):
    herning, _token = manage_link(figures.herning)
    _ballerup, ballerup_token = manage_link(figures.ballerup)
    assert client.get(public_url(herning, ballerup_token)).status_code == 404


def test_public_landscape_is_read_only_and_survives_a_bad_division(client, figures, frozen):
    registration, token = manage_link(figures.herning)
    url = opened(client, registration, token)
    assert client.post(url).status_code == 405
    response = client.get(url, {"inddeling": ["halvaar", "<b>"]})
    assert response.status_code == 200
    assert "data-filter-error" in response.content.decode()


# The session, the registration with its library, the landscape (2), then the site's chrome in base.html (4).
PUBLIC_QUERIES = 8


def test_public_landscape_query_count_is_pinned(client, figures, organisation, frozen, django_assert_num_queries):
    registration, token = manage_link(figures.herning)
    url = opened(client, registration, token)
    client.get(url)  # warm the site caches
    with django_assert_num_queries(PUBLIC_QUERIES):
        assert client.get(url).status_code == 200
    more_data(organisation, figures.herning, 5)
    with django_assert_num_queries(PUBLIC_QUERIES):
        assert "Ekstra tema 4" in client.get(url).content.decode()


def landscape_rows(client, **params) -> list[str]:
    html = client.get(reverse("registration_admin:landscapes"), params).content.decode()
    return re.findall(r'<a href="/admin/tilmeldinger/kompetencelandskaber/\d+/">([^<]+)</a>', html)


def test_landscape_list_searches_library_and_municipality(coordinator_client, figures, frozen):
    assert landscape_rows(coordinator_client, q="herning") == ["Bibliotekerne i Herning"]
    by_municipality = landscape_rows(coordinator_client, q="Ballerup")
    assert len(by_municipality) == 1 and "Ballerup" in by_municipality[0]
    html = coordinator_client.get(reverse("registration_admin:landscapes"), {"q": "Atlantis"}).content.decode()
    assert 'Ingen biblioteker matcher "Atlantis".' in html


def test_landscape_list_sorts_by_name_region_or_most_participants(coordinator_client, figures, frozen):
    libraries = {library.name: library for library in Library.objects.select_related("municipality")}
    by_name = landscape_rows(coordinator_client)
    assert by_name == sorted(by_name, key=str.casefold)
    by_people = landscape_rows(coordinator_client, sortering="deltagere")
    people = stats.people_per_library(now=NOW)
    counts = [people.get(libraries[name].pk, 0) for name in by_people]
    assert counts == sorted(counts, reverse=True) and counts[0] > 0
    by_region = landscape_rows(coordinator_client, sortering="region")
    regions = [libraries[name].municipality.get_region_display() for name in by_region]
    assert regions == sorted(regions, key=str.casefold)


def test_landscape_list_with_an_unknown_sort_says_so_in_danish_and_sorts_by_name(coordinator_client, figures):
    response = coordinator_client.get(reverse("registration_admin:landscapes"), {"sortering": "pk; DROP"})
    assert response.status_code == 200
    assert "Vælg en sortering fra listen." in response.content.decode()
    rows = landscape_rows(coordinator_client, sortering="pk; DROP")
    assert rows == sorted(rows, key=str.casefold) and len(rows) == Library.objects.count()
