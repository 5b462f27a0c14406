"""After the course, as a participant sees it in a browser: the own page from the link in the seat e-mail, the
evaluation from the link in its e-mail (an empty required answer first, then the answers, then what was answered),
and the certificate: the PDF from the own page, read back, and its verification page. axe finds nothing on these pages
at 390 and 1280 px. Screenshots go to /work/shots-demo18/ when that folder exists (for people, not asserted)."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

from django.core import mail
from django.utils import timezone

import pypdf
import pytest

from events.registration.certificates import certificates_issue
from events.registration.evaluation_models import EvaluationInvitation, EvaluationResponse
from events.registration.evaluations import evaluations_invite_due
from events.registration.models import Certificate
from events.registration.selectors import course_days
from events.registration.services import attendance_record
from events.registration.values import SYSTEM
from network.models import Library
from tests.browser.axe import axe_violations, describe, require_axe
from tests.events.factories import CoursePageFactory, CourseSessionFactory
from tests.events.registration.conftest import people, register

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/work/shots-demo18")
WIDTHS = {"phone": (390, 844), "desktop": (1280, 1000)}
OWN_LINK = re.compile(r"http://testserver(/tilmelding/deltager/\d+/\?adgang=[A-Za-z0-9_-]+)")
EVALUATION_LINK = re.compile(r"http://testserver(/tilmelding/evaluering/\d+/\?adgang=[A-Za-z0-9_-]+)")
SCALE = "Hvor meget kan du bruge forløbet i dit arbejde?"
EXIT = "Når jeg tænker på de to kursusdage, tænker jeg …?"


@pytest.fixture
def ended(initiative):
    """A course that ended ten days ago: Deltager 1 and 2 came both days (a certificate each), Deltager 3 one; all
    three were invited to the evaluation when it ended. The e-mails are sent (the tests are transactional)."""
    day1 = timezone.localdate() - dt.timedelta(days=45)
    day2 = day1 + dt.timedelta(days=35)
    course = CoursePageFactory(
        parent=initiative,
        title="Kompetenceforløb for bibliotekspersonale, efterårshold",
        start=timezone.make_aware(dt.datetime.combine(day1, dt.time(9, 30))),
        end=timezone.make_aware(dt.datetime.combine(day2, dt.time(14, 45))),
        registration_enabled=True,
        capacity=20,
        evaluation=[
            ("scale", {"question": SCALE, "low_label": "Slet ikke", "high_label": "I høj grad", "required": True}),
            ("text", {"question": EXIT, "required": False}),
        ],
        sessions=[
            CourseSessionFactory.build(title="Kursusgang 1", date=day1, venue_name="Dokk1", city="Aarhus"),
            CourseSessionFactory.build(
                title="Hjemmeopgave", date=day1 + dt.timedelta(days=1), end_date=day2 - dt.timedelta(days=1),
                kind="aktivitet", start_time=None, end_time=None,
            ),
            CourseSessionFactory.build(title="Kursusgang 2", date=day2, venue_name="Dokk1", city="Aarhus"),
        ],
    )  # fmt: skip
    library = Library.objects.get(municipality__name="Herning")
    first, second, third = register(course, library, people(3), now=course.start - dt.timedelta(days=21)).confirmed
    one, two = course_days(course=course)
    attended = {(first.pk, one.pk), (first.pk, two.pk), (second.pk, one.pk), (second.pk, two.pk), (third.pk, one.pk)}
    attendance_record(course=course, attended=attended, actor=SYSTEM, now=course.end)
    certificates_issue(course=course, now=course.end + dt.timedelta(hours=2))
    evaluations_invite_due(now=course.end + dt.timedelta(hours=1))
    return course


def link(pattern: re.Pattern, to: str, base: str) -> str:
    """The newest link of this kind in an e-mail to `to`, on the live server."""
    found = [m.group(1) for message in mail.outbox if message.to == [to] for m in [pattern.search(message.body)] if m]
    assert found, f"no link for {to}"
    return base + found[-1]


def shoot(page, name: str) -> None:
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def clean_at_both_widths(page, name: str) -> None:
    """axe finds nothing and nothing is wider than the screen, at a phone's and a desktop's width; back at 1280."""
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{name} at {width}"
        assert not (found := describe(axe_violations(page))), f"{name} at {width}:\n{found}"
        shoot(page, f"{name}-{label}")
    page.set_viewport_size({"width": 1280, "height": 1000})


def test_a_participant_answers_the_evaluation_after_one_mistake_and_sees_the_answers(live_server, page, ended):
    require_axe()
    page.goto(link(OWN_LINK, "deltager3@example.org", live_server.url))
    assert page.locator("h1").inner_text() == "Din side, Deltager 3"
    assert "Hjemmeopgave" in page.locator(".participant-steps").inner_text()
    clean_at_both_widths(page, "own-page")

    page.goto(link(EVALUATION_LINK, "deltager3@example.org", live_server.url))
    assert page.locator("h1").inner_text() == f"Evaluering af {ended.title}"
    clean_at_both_widths(page, "evaluation")

    # Sent without the required answer: a Danish message that links to the question; nothing is saved.
    page.get_by_role("button", name="Send svar").click()
    summary = page.locator(".form-errors")
    assert summary.is_visible()
    assert f"Besvar spørgsmålet: {SCALE}" in summary.inner_text()
    assert not EvaluationResponse.objects.exists()
    assert not EvaluationInvitation.objects.filter(answered_at__isnull=False).exists()
    clean_at_both_widths(page, "evaluation-error")

    page.locator("fieldset", has_text=SCALE).get_by_label("4").check()
    page.locator("fieldset", has_text=EXIT).locator("textarea").fill("At små forsøg kan ændre meget.")
    page.get_by_role("button", name="Send svar").click()
    assert page.locator("h1").inner_text() == "Tak for dine svar"
    answers = page.locator(".evaluation-answers").inner_text()
    assert SCALE in answers and "4" in answers and "At små forsøg kan ændre meget." in answers
    clean_at_both_widths(page, "evaluation-answered")
    response = EvaluationResponse.objects.get()
    assert sorted(map(str, response.answers.values())) == ["4", "At små forsøg kan ændre meget."]

    # The link again, later: what was answered, not a second form.
    page.goto(link(EVALUATION_LINK, "deltager3@example.org", live_server.url))
    assert page.locator("h1").inner_text() == "Du har allerede svaret"
    assert EvaluationResponse.objects.count() == 1


def test_a_participant_downloads_the_certificate_from_the_own_page_and_opens_its_verification(live_server, page, ended):
    require_axe()
    page.goto(link(OWN_LINK, "deltager1@example.org", live_server.url))
    section = page.locator("[data-certificate=issued]")
    assert section.is_visible()
    download = section.get_by_role("link", name="Hent kursusbeviset (PDF)")
    pdf = page.context.request.get(live_server.url + download.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(pdf.body())).pages)
    assert "Deltager 1" in text and ended.title in text
    assert "Kursusgang 1" in text and "Kursusgang 2" in text

    code = Certificate.objects.get(participant__email="deltager1@example.org").code
    section.locator(f"a[href='/kursusbevis/{code}/']").click()
    assert page.locator("h1").inner_text() == "Kontrol af kursusbevis"
    assert page.locator("[data-certificate=genuine]").is_visible()
    facts = page.locator(".facts").inner_text()
    assert "Deltager 1" in facts and ended.title in facts and "deltager1@example.org" not in page.content()
    clean_at_both_widths(page, "certificate-verify")
