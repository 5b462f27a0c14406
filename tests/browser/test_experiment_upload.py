"""A participant describes the experiment between the course days on their own page, with a file, on a phone and on
a laptop: a refused file gets a Danish summary and keeps the texts; the saved one shows. The coordinator prints the
handout on A4. axe finds nothing on either page. Screenshots go to /work/shots-experiment/ when that folder exists
(they are for people, not asserted)."""

from __future__ import annotations

from pathlib import Path

import pytest

from events.registration.experiment_models import Experiment
from events.registration.experiments import ExperimentText, experiment_save
from tests.browser.axe import axe_violations, describe, require_axe
from tests.browser.printing import assert_a4_pdf, assert_prints_cleanly
from tests.events.registration import conftest as registration_fixtures
from tests.events.registration import experiment_fixtures

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/work/shots-experiment")
library = registration_fixtures.library
other_library = registration_fixtures.other_library
experiment_course = experiment_fixtures.experiment_course
seats = experiment_fixtures.seats


def shoot(page, name: str) -> None:
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def own_page_link(participant) -> str:
    token = participant.set_new_token()
    participant.save(update_fields=["token_hash"])
    return f"/tilmelding/deltager/{participant.pk}/?adgang={token}"


def _no_violations(page) -> None:
    assert not (found := describe(axe_violations(page))), found


def test_a_participant_uploads_the_experiment_from_the_own_page(
    live_server, page, phone, experiment_course, seats, tmp_path
):
    require_axe()
    experiment_course.experiments_shared = True
    experiment_course.save()
    pdf = tmp_path / "forsoeg.pdf"
    pdf.write_bytes(experiment_fixtures.PDF_BYTES)
    text_file = tmp_path / "noter.txt"
    text_file.write_text("bare tekst")

    # On a phone, Cai (Ballerup) tries a text file first: refused, the texts stay, nothing is stored.
    phone.goto(live_server.url + own_page_link(seats["Cai"]))
    phone.get_by_label("Hvad prøvede I?").fill("Læsebånd i SFO'en hver fredag")
    phone.get_by_label("Med hvem?").fill("SFO-pædagogerne")
    phone.get_by_label("Fil (valgfri)").set_input_files(str(text_file))
    phone.get_by_role("button", name="Gem eksperimentet").click()
    phone.wait_for_load_state("load")
    summary = phone.locator("[data-error-summary]")
    assert "Filen kan ikke bruges" in summary.inner_text()
    assert phone.get_by_label("Hvad prøvede I?").input_value() == "Læsebånd i SFO'en hver fredag"
    assert not Experiment.objects.exists()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _no_violations(phone)
    shoot(phone, "own-page-refused-390")
    phone.get_by_label("Fil (valgfri)").set_input_files(str(pdf))
    phone.get_by_role("button", name="Gem eksperimentet").click()
    phone.wait_for_load_state("load")
    assert "Dit eksperiment er gemt." in phone.locator("main").inner_text()
    shoot(phone, "own-page-saved-390")

    # On a laptop, Anna (Herning) writes with Bo on her team and attaches the PDF; she sees Cai's too.
    page.goto(live_server.url + own_page_link(seats["Anna"]))
    _no_violations(page)
    shoot(page, "own-page-form-1280")
    page.get_by_label("Hvad prøvede I?").fill("Booktalks med 6. klasse")
    page.get_by_label("Hvad lærte I?").fill("Eleverne lytter mest til hinanden")
    page.get_by_label("Bo Prøvesen").check()
    page.get_by_label("Fil (valgfri)").set_input_files(str(pdf))
    page.get_by_role("button", name="Gem eksperimentet").click()
    page.wait_for_load_state("load")
    main = page.locator("main").inner_text()
    assert "Dit eksperiment er gemt." in main and "Læsebånd i SFO'en hver fredag" in main
    assert page.get_by_role("link", name="forsoeg.pdf").count() == 2  # her own and Cai's
    _no_violations(page)
    shoot(page, "own-page-saved-1280")
    anna = Experiment.objects.get(author=seats["Anna"])
    assert anna.file_name == "forsoeg.pdf" and list(anna.team.all()) == [seats["Bo"]]
    with page.expect_download() as download:
        page.locator(f'a[href$="/fil/{anna.pk}/"]').click()
    assert Path(download.value.path()).read_bytes() == experiment_fixtures.PDF_BYTES


def test_the_coordinator_prints_the_handout_on_a4(live_server, page, experiment_course, seats, superuser):
    require_axe()
    activity = experiment_fixtures.activity_of(experiment_course)
    for name, tried in (("Anna", "Booktalks med 6. klasse"), ("Cai", "Læsebånd i SFO'en")):
        experiment_save(participant=seats[name], activity=activity, text=ExperimentText(tried=tried))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", superuser.username)
    page.fill("#id_password", "adgangskode-til-test")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/tilmeldinger/{experiment_course.pk}/eksperimenter/udskrift/")
    assert page.locator(".experiment-handout__item").count() == 2
    _no_violations(page)
    shoot(page, "handout-1280")
    assert_prints_cleanly(page)
    assert len(assert_a4_pdf(page)) >= 1
