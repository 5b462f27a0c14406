"""A course's experiments in the admin: the list, the printed handout and the files, for the course's own
coordinators only."""

from __future__ import annotations

from django.urls import reverse

import pytest

from events.registration.experiments import ExperimentText, experiment_save
from events.registration.models import Participant
from events.registration.values import ParticipantData

from ..conftest import register
from ..experiment_fixtures import PDF_BYTES, activity_of, upload
from .conftest import denied

pytestmark = pytest.mark.django_db


@pytest.fixture
def written(experiment_course, seats):
    """Anna wrote with Bo on her team (and a PDF); Cai wrote alone."""
    activity = activity_of(experiment_course)
    anna = experiment_save(
        participant=seats["Anna"],
        activity=activity,
        text=ExperimentText(tried="Bogcafé med 7. klasse", learned="Eleverne kom igen"),
        team_ids=[seats["Bo"].pk],
        upload=upload(),
    )
    cai = experiment_save(participant=seats["Cai"], activity=activity, text=ExperimentText(tried="Læsebånd i SFO"))
    return anna, cai


def urls(course, experiment) -> list[str]:
    return [
        reverse("registration_admin:experiments", args=[course.pk]),
        reverse("registration_admin:experiments_print", args=[course.pk]),
        reverse("registration_admin:experiment_file", args=[course.pk, experiment.pk]),
    ]


def test_the_courses_coordinator_sees_every_experiment_with_names_library_and_team(
    coordinator_client, experiment_course, written
):
    response = coordinator_client.get(reverse("registration_admin:experiments", args=[experiment_course.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Bogcafé med 7. klasse" in text and "Læsebånd i SFO" in text
    assert "Anna Testesen, Bo Prøvesen" in text and "Herning" in text and "Ballerup" in text
    assert "anna@example.org" not in text
    assert reverse("registration_admin:experiments_print", args=[experiment_course.pk]) in text


def test_the_offerings_page_links_the_experiments_of_a_course(coordinator_client, experiment_course):
    text = coordinator_client.get(reverse("registration_admin:offering", args=[experiment_course.pk])).content
    assert reverse("registration_admin:experiments", args=[experiment_course.pk]).encode() in text


def test_another_sections_coordinator_gets_neither_the_list_the_handout_nor_a_file(
    stranger_client, experiment_course, written
):
    for url in urls(experiment_course, written[0]):
        assert denied(stranger_client.get(url)), url


def test_the_handout_has_one_section_per_experiment_with_names_and_library(
    coordinator_client, experiment_course, written
):
    url = reverse("registration_admin:experiments_print", args=[experiment_course.pk])
    text = coordinator_client.get(url).content.decode()
    assert text.count('class="experiment-handout__item"') == 2
    assert "Anna Testesen, Bo Prøvesen" in text and "Cai Eksempel" in text
    assert 'name="robots" content="noindex"' in text
    assert "anna@example.org" not in text


def test_the_handout_of_one_activity_and_a_bad_activity_parameter(coordinator_client, experiment_course, written):
    url = reverse("registration_admin:experiments_print", args=[experiment_course.pk])
    activity = activity_of(experiment_course)
    assert coordinator_client.get(f"{url}?aktivitet={activity.pk}").content.decode().count("handout__item") == 2
    assert coordinator_client.get(f"{url}?aktivitet=99999").content.decode().count("handout__item") == 0
    assert coordinator_client.get(f"{url}?aktivitet=<script>").status_code == 200  # ignored: every activity


def test_the_coordinator_downloads_the_file(coordinator_client, experiment_course, written):
    response = coordinator_client.get(urls(experiment_course, written[0])[2])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"] == 'attachment; filename="forsoeg.pdf"'
    missing = coordinator_client.get(urls(experiment_course, written[1])[2])  # Cai attached none
    assert missing.status_code == 404


def test_experiments_of_an_event_are_not_found(coordinator_client, offering):
    assert coordinator_client.get(reverse("registration_admin:experiments", args=[offering.pk])).status_code == 404


def test_the_list_and_the_handout_cost_a_fixed_number_of_queries(
    coordinator_client, experiment_course, written, other_library, django_assert_num_queries
):
    list_url, print_url, _file = urls(experiment_course, written[0])
    coordinator_client.get(print_url)  # the site's frame is read once per process (navigation, locale)
    with django_assert_num_queries(QUERIES_LIST):
        coordinator_client.get(list_url)
    with django_assert_num_queries(QUERIES_PRINT):
        coordinator_client.get(print_url)
    register(experiment_course, other_library, [ParticipantData("Dora Prøve", "dora@example.org")])
    dora = Participant.objects.get(email="dora@example.org")
    experiment_save(participant=dora, activity=activity_of(experiment_course), text=ExperimentText(tried="Quiz"))
    with django_assert_num_queries(QUERIES_LIST):
        coordinator_client.get(list_url)
    with django_assert_num_queries(QUERIES_PRINT):
        coordinator_client.get(print_url)


QUERIES_LIST = 15
QUERIES_PRINT = 17
