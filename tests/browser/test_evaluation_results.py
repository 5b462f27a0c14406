"""A course day's evaluation in a real browser: a participant answers it through the link (a scale out of range is
refused in Danish first), then the initiative's coordinator reads the day's results and the initiative's. axe-core
finds no WCAG 2.1 A/AA violation on the form and on either results page."""

from __future__ import annotations

from django.utils import timezone

import pytest

from events.registration.evaluation_models import EvaluationInvitation
from events.registration.evaluations import evaluation_answer, evaluations_invite_due
from network.models import Library
from network.services import coordinator_group_ensure
from tests.browser.axe import axe_violations, describe, require_axe
from tests.events.registration.conftest import make_user
from tests.events.registration.test_evaluation_days import day_answers, first_day, make_course, sent_links

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_participant_answers_a_day_and_the_coordinator_reads_the_results(
    live_server, page, initiative, django_capture_on_commit_callbacks
):
    require_axe()
    library = Library.objects.get(municipality__name="Herning")
    course = make_course(initiative, library, django_capture_on_commit_callbacks, n=6, title="Formidling i praksis")
    with django_capture_on_commit_callbacks(execute=True):
        evaluations_invite_due(now=timezone.now())
    links = sorted(sent_links().values(), key=lambda link: link[1])
    for _path, pk, token in links[1:]:
        evaluation_answer(invitation=EvaluationInvitation.objects.get(pk=pk), token=token, answers=day_answers(course))
    make_user("koordinator-indsats", coordinator_group_ensure(name="Koordinatorer – Indsats", sections=[initiative]))
    base = live_server.url

    page.goto(f"{base}{links[0][0]}")
    assert page.locator("h1").inner_text() == "Evaluering af Kursusgang 1, Formidling i praksis"
    assert (found := describe(axe_violations(page))) == "", found
    page.get_by_role("group", name="Hvad vil du prøve af?").get_by_role("textbox").fill("Læsecafé")
    page.get_by_role("button", name="Send svar").click()
    assert "Besvar spørgsmålet: Hvor godt var oplægget?" in page.locator("#form-errors").inner_text()
    page.get_by_role("group", name="Hvor godt var oplægget?").get_by_label("5").first.check()
    page.get_by_role("button", name="Send svar").click()
    page.locator("[data-evaluation=thanks]").wait_for()  # the same address again: wait for the new page
    assert page.locator("h1").inner_text() == "Tak for dine svar"
    assert "Læsecafé" in page.locator(".evaluation-answers").inner_text()

    page.goto(f"{base}/admin/login/")
    page.get_by_label("Brugernavn").fill("koordinator-indsats")
    page.get_by_label("Adgangskode").fill("adgangskode-til-test")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{base}/admin/")
    page.goto(f"{base}/admin/tilmeldinger/{course.pk}/evaluering/dag/{first_day(course).pk}/")
    assert page.locator("[data-count=responded]").inner_text() == "6"
    assert page.locator("svg.stats-chart").count() == 1
    assert (found := describe(axe_violations(page))) == "", found
    page.goto(f"{base}/admin/tilmeldinger/{course.pk}/evaluering/")  # the course's own, which links to the day
    assert page.get_by_role("link", name="Kursusgang 1").count() == 1
    page.get_by_role("link", name="Se evalueringerne af hele indsatsen").click()
    page.locator("[data-table=units] tbody tr").first.wait_for()  # count() does not wait for the new page
    assert page.locator("[data-table=units] tbody tr").count() == 1
    assert "Formidling i praksis: Kursusgang 1" in page.locator("[data-table=units]").inner_text()
    assert (found := describe(axe_violations(page))) == "", found
