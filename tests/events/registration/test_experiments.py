"""The experiment between course days: who may write it and until when, the team, what each participant's own page
shows (sharing on and off), the file checks, and erasure with the person."""

from __future__ import annotations

import datetime as dt
import os

from django.urls import reverse

import pytest

from events.registration.errors import RegistrationError
from events.registration.experiment_models import Experiment
from events.registration.experiments import ExperimentText, activity_deadlines, experiment_save
from events.registration.privacy import person_erase, registrations_anonymise_expired
from events.registration.selectors import person_data
from events.registration.values import SYSTEM

from .experiment_fixtures import PDF_BYTES, PNG_BYTES, activity_of, docx_bytes, open_own_page, plain_zip_bytes, upload

pytestmark = pytest.mark.django_db

TEXT = ExperimentText(tried="Vi lavede en bogcafé med 7. klasse.", with_whom="Skolen", learned="Eleverne kom igen.")


def file_status(client, participant, experiment) -> int:
    """The status of fetching the experiment's file from the participant's own page. A file is read to its end,
    which closes it the test client's way (response.close() would also close the test's database connection)."""
    response = client.get(reverse("registration_experiment_file", args=[participant.pk, experiment.pk]))
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


def save(participant, course, **kwargs):
    kwargs.setdefault("text", TEXT)
    return experiment_save(participant=participant, activity=activity_of(course), **kwargs)


def experiment_url(participant, course) -> str:
    return reverse("registration_experiment", args=[participant.pk, activity_of(course).pk])


def form_data(course, **fields) -> dict:
    prefix = f"e{activity_of(course).pk}-"
    data = {"tried": TEXT.tried, "with_whom": TEXT.with_whom, "learned": TEXT.learned, **fields}
    return {prefix + key: value for key, value in data.items()}


# --- The deadline --------------------------------------------------------------------------------------------------


def test_the_deadline_is_the_start_of_the_next_course_day(experiment_course):
    activity = activity_of(experiment_course)
    day_2 = experiment_course.sessions.get(title="Kursusgang 2")
    assert activity_deadlines(course=experiment_course) == {activity.pk: day_2.starts_at()}


def test_without_a_course_day_after_it_the_deadline_is_the_courses_end(experiment_course):
    experiment_course.sessions.filter(title="Kursusgang 2").delete()
    activity = activity_of(experiment_course)
    assert activity_deadlines(course=experiment_course)[activity.pk] == experiment_course.end


def test_an_experiment_can_be_changed_until_the_next_day_starts_and_then_not(experiment_course, seats):
    deadline = experiment_course.sessions.get(title="Kursusgang 2").starts_at()
    save(seats["Anna"], experiment_course, now=deadline - dt.timedelta(minutes=1))
    with pytest.raises(RegistrationError) as refused:
        save(seats["Anna"], experiment_course, text=ExperimentText(tried="Ændret"), now=deadline)
    assert refused.value.code == "experiment_closed"
    assert Experiment.objects.get().tried == TEXT.tried


def test_after_the_deadline_the_own_page_shows_it_read_only_and_a_post_changes_nothing(
    client, experiment_course, seats, monkeypatch
):
    save(seats["Anna"], experiment_course)
    open_own_page(client, seats["Anna"])
    today = dt.date.today()
    experiment_course.sessions.filter(title="Kursusgang 1").update(date=today - dt.timedelta(days=14))
    experiment_course.sessions.filter(kind="aktivitet").update(date=today - dt.timedelta(days=7))
    experiment_course.sessions.filter(title="Kursusgang 2").update(date=today - dt.timedelta(days=1))
    page = client.get(reverse("registration_participant", args=[seats["Anna"].pk])).content.decode()
    assert TEXT.tried in page and "kan ikke længere ændres" in page
    assert "Gem eksperimentet" not in page
    response = client.post(experiment_url(seats["Anna"], experiment_course), form_data(experiment_course, tried="Nyt"))
    assert response.status_code == 302
    assert Experiment.objects.get().tried == TEXT.tried


# --- Who may write -------------------------------------------------------------------------------------------------


def test_only_a_confirmed_participant_may_write_and_only_for_an_activity_of_their_course(experiment_course, seats):
    anna = seats["Anna"]
    day_1 = experiment_course.sessions.get(title="Kursusgang 1")
    with pytest.raises(RegistrationError, match="ikke skrive"):
        experiment_save(participant=anna, activity=day_1, text=TEXT)
    anna.status = "cancelled"
    with pytest.raises(RegistrationError, match="ikke skrive"):
        save(anna, experiment_course)
    assert not Experiment.objects.exists()


def test_what_was_tried_is_required_and_texts_have_a_limit(experiment_course, seats):
    with pytest.raises(RegistrationError) as missing:
        save(seats["Anna"], experiment_course, text=ExperimentText(tried="  "))
    assert missing.value.code == "experiment_tried_missing"
    with pytest.raises(RegistrationError) as long:
        save(seats["Anna"], experiment_course, text=ExperimentText(tried="x", with_whom="y" * 301))
    assert long.value.code == "experiment_text_too_long"
    assert not Experiment.objects.exists()


def test_the_form_without_what_was_tried_gets_a_danish_message_and_stores_nothing(client, experiment_course, seats):
    open_own_page(client, seats["Anna"])
    response = client.post(experiment_url(seats["Anna"], experiment_course), form_data(experiment_course, tried=""))
    assert response.status_code == 400
    assert "Skriv, hvad I prøvede." in response.content.decode()
    assert "Eksperimentet er ikke gemt" in response.content.decode()
    assert not Experiment.objects.exists()


def test_without_the_own_page_link_in_the_session_nothing_is_written(client, experiment_course, seats):
    response = client.post(experiment_url(seats["Anna"], experiment_course), form_data(experiment_course))
    assert response.status_code == 404
    open_own_page(client, seats["Bo"])  # another participant's access is not Anna's
    response = client.post(experiment_url(seats["Anna"], experiment_course), form_data(experiment_course))
    assert response.status_code == 404
    assert not Experiment.objects.exists()


# --- The own page --------------------------------------------------------------------------------------------------


def test_a_participant_writes_the_experiment_on_the_own_page_with_a_file(client, experiment_course, seats, settings):
    open_own_page(client, seats["Anna"])
    page = client.get(reverse("registration_participant", args=[seats["Anna"].pk]))
    assert 'enctype="multipart/form-data"' in page.content.decode()
    data = form_data(experiment_course, file=upload())
    response = client.post(experiment_url(seats["Anna"], experiment_course), data)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#eksperiment-{activity_of(experiment_course).pk}")
    experiment = Experiment.objects.get()
    assert (experiment.author, experiment.tried, experiment.file_name) == (seats["Anna"], TEXT.tried, "forsoeg.pdf")
    path = experiment.file.path
    assert path.startswith(os.fspath(settings.EXPERIMENT_FILES_ROOT)) and os.path.exists(path)
    assert not path.startswith(os.fspath(settings.MEDIA_ROOT))  # never where the proxy serves files to anyone
    assert "forsoeg" not in os.path.basename(path)  # the stored name is random; the download keeps the own name
    page = client.get(response["Location"]).content.decode()
    assert TEXT.learned in page and "Dit eksperiment er gemt." in page
    download = client.get(reverse("registration_experiment_file", args=[seats["Anna"].pk, experiment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]


def test_the_own_page_in_english_asks_in_english(client, experiment_course, seats):
    open_own_page(client, seats["Anna"])
    text = client.get(f"/en/tilmelding/deltager/{seats['Anna'].pk}/").content.decode()
    assert "What did you try?" in text and "Hvad prøvede I?" not in text
    assert f'action="/en/tilmelding/deltager/{seats["Anna"].pk}/eksperiment/' in text


def test_the_own_page_with_experiments_costs_a_fixed_number_of_queries(
    client, experiment_course, seats, django_assert_num_queries
):
    experiment_course.experiments_shared = True
    experiment_course.save()
    save(seats["Anna"], experiment_course, team_ids=[seats["Bo"].pk])
    open_own_page(client, seats["Cai"])
    url = reverse("registration_participant", args=[seats["Cai"].pk])
    with django_assert_num_queries(11):
        client.get(url)
    save(seats["Cai"], experiment_course)
    with django_assert_num_queries(11):
        client.get(url)


def test_replacing_the_file_removes_the_old_one_from_storage(
    experiment_course, seats, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = save(seats["Anna"], experiment_course, upload=upload()).file.path
    with django_capture_on_commit_callbacks(execute=True):
        second = save(seats["Anna"], experiment_course, upload=upload("billede.png", PNG_BYTES, "image/png"))
    assert not os.path.exists(first) and os.path.exists(second.file.path)
    assert second.file_type == "image/png"


# --- The file ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("forsoeg.pdf", PDF_BYTES, "application/pdf"),
        ("billede.png", PNG_BYTES, "image/png"),
        ("referat.docx", None, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("forsoeg.pdf", PDF_BYTES, "application/octet-stream"),
    ],
)
def test_pdfs_images_and_office_documents_are_taken(experiment_course, seats, name, content, content_type):
    experiment = save(seats["Anna"], experiment_course, upload=upload(name, content or docx_bytes(), content_type))
    assert experiment.file and experiment.file_name == name


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("program.pdf", b"MZ\x90\x00 an executable", "application/pdf"),  # the name and the type lie
        ("billede.pdf", PNG_BYTES, "application/pdf"),  # an image named as a PDF
        ("forsoeg.pdf", PDF_BYTES, "text/html"),  # the browser says HTML
        ("pakke.docx", None, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("tekst.txt", b"just text", "text/plain"),
    ],
)
def test_a_file_that_is_not_an_allowed_kind_is_refused_and_nothing_is_stored(
    client, experiment_course, seats, settings, name, content, content_type
):
    open_own_page(client, seats["Anna"])
    file = upload(name, content or plain_zip_bytes(), content_type)
    response = client.post(experiment_url(seats["Anna"], experiment_course), form_data(experiment_course, file=file))
    assert response.status_code == 400
    assert "Filen kan ikke bruges" in response.content.decode()
    assert not Experiment.objects.exists()
    assert not list(settings.EXPERIMENT_FILES_ROOT.rglob("*.*"))


def test_a_file_over_the_limit_is_refused_with_the_limit_in_danish(client, experiment_course, seats, settings):
    settings.EXPERIMENT_FILE_MAX_BYTES = 1024
    open_own_page(client, seats["Anna"])
    big = upload(content=PDF_BYTES + b"0" * 2000)
    response = client.post(experiment_url(seats["Anna"], experiment_course), form_data(experiment_course, file=big))
    assert response.status_code == 400
    assert "Filen er for stor. Den må højst fylde 1,0\xa0KB." in response.content.decode()
    assert not Experiment.objects.exists()


def test_an_empty_file_is_refused(experiment_course, seats):
    with pytest.raises(RegistrationError) as refused:
        save(seats["Anna"], experiment_course, upload=upload(content=b""))
    assert refused.value.code == "file_empty"
    assert not Experiment.objects.exists()


def test_a_refused_file_leaves_an_earlier_experiment_as_it_was(experiment_course, seats):
    save(seats["Anna"], experiment_course, upload=upload())
    with pytest.raises(RegistrationError):
        save(seats["Anna"], experiment_course, text=ExperimentText(tried="Nyt"), upload=upload("x.pdf", b"MZ"))
    experiment = Experiment.objects.get()
    assert experiment.tried == TEXT.tried and experiment.file_name == "forsoeg.pdf"


# --- The team ------------------------------------------------------------------------------------------------------


def test_a_team_is_made_of_colleagues_from_the_same_library(experiment_course, seats):
    experiment = save(seats["Anna"], experiment_course, team_ids=[seats["Bo"].pk])
    assert list(experiment.team.all()) == [seats["Bo"]]
    with pytest.raises(RegistrationError) as refused:
        save(seats["Anna"], experiment_course, team_ids=[seats["Cai"].pk])  # Ballerup, not Herning
    assert refused.value.code == "experiment_team"
    assert list(Experiment.objects.get().team.all()) == [seats["Bo"]]


def test_the_form_refuses_a_team_member_not_offered_and_an_activity_of_another_course(
    client, experiment_course, seats, course
):
    open_own_page(client, seats["Anna"])
    data = form_data(experiment_course, team=[seats["Cai"].pk])  # Ballerup: not among Anna's colleagues
    response = client.post(experiment_url(seats["Anna"], experiment_course), data)
    assert response.status_code == 400 and "Vælg kolleger fra listen." in response.content.decode()
    other = reverse("registration_experiment", args=[seats["Anna"].pk, activity_of(course).pk])
    assert client.post(other, form_data(experiment_course)).status_code == 404
    assert not Experiment.objects.exists()


def test_a_team_member_sees_the_teams_experiment_and_may_not_write_another(client, experiment_course, seats):
    experiment = save(seats["Anna"], experiment_course, team_ids=[seats["Bo"].pk], upload=upload())
    open_own_page(client, seats["Bo"])
    page = client.get(reverse("registration_participant", args=[seats["Bo"].pk])).content.decode()
    assert TEXT.tried in page and "Anna Testesen har skrevet jeres eksperiment" in page
    assert "Gem eksperimentet" not in page
    assert file_status(client, seats["Bo"], experiment) == 200
    with pytest.raises(RegistrationError) as refused:
        save(seats["Bo"], experiment_course)
    assert refused.value.code == "experiment_on_team"
    assert Experiment.objects.count() == 1


def test_a_colleague_who_wrote_their_own_cannot_be_named_on_a_team(experiment_course, seats):
    save(seats["Bo"], experiment_course)
    with pytest.raises(RegistrationError) as refused:
        save(seats["Anna"], experiment_course, team_ids=[seats["Bo"].pk])
    assert refused.value.code == "experiment_team_taken"
    assert not Experiment.objects.filter(author=seats["Anna"]).exists()


# --- Sharing -------------------------------------------------------------------------------------------------------


def test_without_sharing_others_see_neither_the_experiment_nor_its_file(client, experiment_course, seats):
    experiment = save(seats["Anna"], experiment_course, upload=upload())
    open_own_page(client, seats["Cai"])
    page = client.get(reverse("registration_participant", args=[seats["Cai"].pk])).content.decode()
    assert TEXT.tried not in page and "De andres eksperimenter" not in page
    assert file_status(client, seats["Cai"], experiment) == 404


def test_with_sharing_on_each_participant_reads_the_others_with_name_and_library_only(client, experiment_course, seats):
    experiment_course.experiments_shared = True
    experiment_course.save()
    experiment = save(seats["Anna"], experiment_course, team_ids=[seats["Bo"].pk], upload=upload())
    open_own_page(client, seats["Cai"])
    page = client.get(reverse("registration_participant", args=[seats["Cai"].pk])).content.decode()
    assert "De andres eksperimenter" in page and TEXT.tried in page
    assert "Anna Testesen, Bo Prøvesen" in page and seats["Anna"].registration.library.name in page
    assert "anna@example.org" not in page and "bo@example.org" not in page
    assert file_status(client, seats["Cai"], experiment) == 200


# --- Personal data -------------------------------------------------------------------------------------------------


def test_erasure_removes_the_persons_experiments_their_files_and_their_place_on_teams(
    experiment_course, seats, django_capture_on_commit_callbacks
):
    anna_experiment = save(seats["Anna"], experiment_course, team_ids=[seats["Bo"].pk], upload=upload())
    path = anna_experiment.file.path
    cai_experiment = save(seats["Cai"], experiment_course)
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(email="anna@example.org", actor=SYSTEM)
    assert not Experiment.objects.filter(pk=anna_experiment.pk).exists()
    assert not os.path.exists(path)
    assert Experiment.objects.filter(pk=cai_experiment.pk).exists()  # others' stay
    experiment = save(seats["Cai"], experiment_course)
    assert experiment.pk == cai_experiment.pk


def test_erasing_a_team_member_takes_them_off_the_team_and_keeps_the_authors_experiment(experiment_course, seats):
    experiment = save(seats["Anna"], experiment_course, team_ids=[seats["Bo"].pk])
    person_erase(email="bo@example.org", actor=SYSTEM)
    assert Experiment.objects.get(pk=experiment.pk).team.count() == 0


def test_anonymisation_after_the_retention_period_removes_experiments_and_files(
    experiment_course, seats, settings, django_capture_on_commit_callbacks
):
    path = save(seats["Anna"], experiment_course, upload=upload()).file.path
    later = experiment_course.end + dt.timedelta(days=31 * (settings.REGISTRATION_RETENTION_MONTHS + 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert registrations_anonymise_expired(now=later) == 2
    assert not Experiment.objects.exists()
    assert not os.path.exists(path)


def test_the_persons_data_lists_their_experiments(experiment_course, seats):
    save(seats["Anna"], experiment_course, upload=upload())
    data = person_data(email="anna@example.org")
    assert data["eksperimenter"][0]["hvad_proevede_i"] == TEXT.tried
    assert data["eksperimenter"][0]["fil"] == "forsoeg.pdf"
    assert person_data(email="cai@example.org")["eksperimenter"] == []
