"""The coordinators' admin screens cost a fixed number of queries, the same for 3 participants as for 30: the screens
`make bench-admin` times at 2,000 and 200,000 participants. A count that moves is an N+1 (or a fix: pin it anew)."""

from __future__ import annotations

from django.urls import reverse

import pytest

from events.registration.values import ParticipantData

from ..conftest import register

pytestmark = pytest.mark.django_db

# Screen: (the user it is asked as, queries). The XLSX export asks one more than the CSV: the longest value of each
# column, for the widths. The overview counts its offerings for the pages. The person look-up is asked as the
# Persondataansvarlig, who searches every organisation's records; the rest as the section's coordinator. The overview's
# regions and total are summed from its libraries' row (one pass fewer); one offering's page counts its participants
# for the table's pages (one more); it and its exports ask which tracks the participants have, for the filter. The
# overview asks the newest log entries (its cache's generation) and its page's pks apart from their counts, so it
# may cache them (registration/overview.py; the tests' DummyCache caches nothing).
SCREENS = {
    "dashboard": ("coordinator_client", 23),
    "overview": ("coordinator_client", 14),
    "offering": ("coordinator_client", 20),
    "offering_csv": ("coordinator_client", 11),
    "offering_xlsx": ("coordinator_client", 12),
    # with the notify-me requests (selectors.notification_requests) and the experiments (registration.experiments)
    "person_lookup": ("officer_client", 12),
    "landscape": ("coordinator_client", 11),  # the offerings taken part in (none yet here, so no themes to read)
    "explorer": ("coordinator_client", 35),
    "page_editor": ("coordinator_client", 40),
}


def screen_url(screen: str, offering, course, library) -> str:
    registrations = reverse("registration_admin:offering", args=[offering.pk])
    return {
        "dashboard": reverse("wagtailadmin_home"),
        "overview": reverse("registration_admin:overview"),
        "offering": registrations,
        "offering_csv": registrations + "?export=csv",
        "offering_xlsx": registrations + "?export=xlsx",
        "person_lookup": reverse("registration_admin:person") + "?email=deltager1@example.org",
        "landscape": reverse("registration_admin:landscape", args=[library.pk]),
        "explorer": reverse("wagtailadmin_explore", args=[offering.get_parent().pk]),
        "page_editor": reverse("wagtailadmin_pages:edit", args=[course.pk]),
    }[screen]


def fill(offering, course, libraries, rows: int) -> None:
    """`rows` participants on the offering (three per registration, from two libraries; the rest wait), and one on
    the course."""
    for start in range(1, rows + 1, 3):
        people = [
            ParticipantData(f"Deltager {n}", f"deltager{n}@example.org", track="Medarbejdere")
            for n in range(start, min(start + 3, rows + 1))
        ]
        register(offering, libraries[start % 2], people, contact_email=f"kontakt{start}@example.org")
    register(course, libraries[0], [ParticipantData("Kursist", "kursist@example.org")])


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen_costs_the_same_queries_for_more_participants(
    request, screen, rows, offering, section_course, library, other_library, django_assert_num_queries
):
    offering.capacity = 10  # seats for some, the waiting list for the rest of the 30
    offering.save_revision().publish()
    fill(offering, section_course, [library, other_library], rows)
    user, expected = SCREENS[screen]
    client = request.getfixturevalue(user)
    url = screen_url(screen, offering, section_course, library)

    def get():
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
        return response

    get()  # the caches a first visit fills (menus, site, permissions) are not what this counts
    with django_assert_num_queries(expected):
        get()
