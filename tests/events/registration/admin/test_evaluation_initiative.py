"""Evaluation results of a course day and across an initiative in the admin, and their CSV and XLSX: for the
coordinators of that offering or initiative, nothing per person, each figure hidden below five answers."""

from __future__ import annotations

import csv
import io

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import openpyxl
import pytest

from events.registration.evaluation_models import EvaluationInvitation
from events.registration.evaluations import evaluation_answer, evaluations_invite_due
from network.services import coordinator_group_ensure

from ..conftest import make_user
from ..test_evaluation_days import DAY_QUESTIONS, day_answers, first_day, make_course, sent_links
from .conftest import denied

pytestmark = pytest.mark.django_db

SAME_AGAIN = [  # DAY_QUESTIONS as another offering words them: other case and spaces, the same questions
    ("scale", {"question": "hvor  godt var OPLÆGGET?", "low_label": "Dårligt", "high_label": "Godt", "required": True}),
    ("text", {"question": "Hvad vil du prøve af?", "required": True}),
]


def invite_and_answer(capture, plan: dict) -> None:
    """Invite every due participant, then answer: {course: [scale values, one per answering participant]}."""
    mail.outbox.clear()
    with capture(execute=True):
        evaluations_invite_due(now=timezone.now())
    by_offering: dict[int, list[tuple[int, str]]] = {}
    for _path, pk, token in sorted(sent_links().values(), key=lambda link: link[1]):
        invitation = EvaluationInvitation.objects.get(pk=pk)
        by_offering.setdefault(invitation.offering_id, []).append((invitation, token))
    for course, scales in plan.items():
        for (invitation, token), scale in zip(by_offering[course.pk], scales, strict=False):
            evaluation_answer(
                invitation=invitation, token=token, answers=day_answers(course, scale=scale, text="=SUM(A1)")
            )


@pytest.fixture
def initiative_client(client, initiative):
    group = coordinator_group_ensure(name="Koordinatorer – Indsats", sections=[initiative])
    client.force_login(make_user("koordinator-indsats", group))
    return client


@pytest.fixture
def three_courses(initiative, library, django_capture_on_commit_callbacks):
    """Three courses of the initiative whose first day has ended: 6 and 5 answers to the same day questions (worded
    a little differently), and 3 answers to a third."""
    capture = django_capture_on_commit_callbacks
    a = make_course(initiative, library, capture, n=7, title="Formidling A")
    b = make_course(initiative, library, capture, n=6, title="Formidling B", questions=SAME_AGAIN)
    c = make_course(initiative, library, capture, n=4, title="Formidling C")
    invite_and_answer(capture, {a: ["5", "4", "4", "3", "5", "3"], b: ["2", "2", "3", "4", "4"], c: ["1", "1", "1"]})
    return a, b, c


def day_url(course, name="evaluation_day") -> str:
    return reverse(f"registration_admin:{name}", args=[course.pk, first_day(course).pk])


def initiative_url(initiative, name="initiative_evaluation") -> str:
    return reverse(f"registration_admin:{name}", args=[initiative.pk])


def xlsx(response) -> openpyxl.Workbook:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content.removeprefix("\ufeff")), delimiter=";"))


# --- A course day's results ----------------------------------------------------------------------------------------


def test_a_days_results_show_its_own_answers_and_the_course_page_links_to_the_day(initiative_client, three_courses):
    a, _b, c = three_courses
    text = initiative_client.get(day_url(a)).content.decode()
    assert 'data-count="invited">7<' in text and 'data-count="responded">6<' in text
    assert "Gennemsnit: 4,0" in text and "<svg" in text  # (5 + 4 + 4 + 3 + 5 + 3) / 6, the chart with its table
    course_page = initiative_client.get(reverse("registration_admin:evaluation", args=[a.pk])).content.decode()
    assert 'data-count="invited">0<' in course_page  # the course's own evaluation: the day's answers are not its
    assert f'href="{day_url(a)}"' in course_page and 'data-link="initiative"' in course_page
    hidden = initiative_client.get(day_url(c)).content.decode()
    assert 'data-results="hidden"' in hidden and "Gennemsnit" not in hidden
    assert initiative_client.get(day_url(c, "evaluation_day_xlsx"))["Location"] == day_url(c)


def test_a_day_of_another_course_is_not_found(initiative_client, three_courses):
    a, b, _c = three_courses
    url = reverse("registration_admin:evaluation_day", args=[a.pk, first_day(b).pk])
    assert initiative_client.get(url).status_code == 404


def test_the_days_csv_and_xlsx_hold_a_row_per_answer_and_keep_formulas_text(initiative_client, three_courses):
    a, _b, _c = three_courses
    rows = csv_rows(initiative_client.get(day_url(a, "evaluation_day_csv")))
    assert rows[0] == [question["question"] for _kind, question in DAY_QUESTIONS]
    assert sorted(row[0] for row in rows[1:]) == ["3", "3", "4", "4", "5", "5"]
    assert {row[1] for row in rows[1:]} == {"'=SUM(A1)"}
    workbook = xlsx(initiative_client.get(day_url(a, "evaluation_day_xlsx")))
    assert workbook.sheetnames == ["Evaluering"]
    sheet = workbook.active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:B7"
    assert sheet.column_dimensions["A"].width == len("Hvor godt var oplægget?") + 2
    assert sorted(sheet.cell(row=r, column=1).value for r in range(2, 8)) == [3, 3, 4, 4, 5, 5]
    assert (sheet["B2"].value, sheet["B2"].data_type) == ("=SUM(A1)", "s")


def test_the_offerings_xlsx_has_its_danish_sheet(
    coordinator_client, organisation, library, django_capture_on_commit_callbacks
):
    course = make_course(organisation, library, django_capture_on_commit_callbacks, n=5, title="Kursus i sektionen")
    invite_and_answer(django_capture_on_commit_callbacks, {course: ["1", "2", "3", "4", "5"]})
    sheet = xlsx(coordinator_client.get(day_url(course, "evaluation_day_xlsx"))).active
    assert sheet.title == "Evaluering" and sheet.max_row == 6


# --- Across the initiative -----------------------------------------------------------------------------------------


def test_the_initiative_lists_each_evaluation_with_its_rate_and_means_hidden_below_five(
    initiative_client, initiative, three_courses
):
    a, b, c = three_courses
    response = initiative_client.get(initiative_url(initiative))
    assert response.status_code == 200
    text = response.content.decode()
    rows = {pk: text.split(f'data-unit="{pk}-')[1].split("</tr>")[0] for pk in (a.pk, b.pk, c.pk)}
    assert 'data-count="rate">86 %<' in rows[a.pk] and "<span data-mean>4,0</span>" in rows[a.pk]  # 6 of 7
    assert 'data-count="rate">83 %<' in rows[b.pk] and "<span data-mean>3,0</span>" in rows[b.pk]  # 5 of 6
    assert 'data-count="rate">75 %<' in rows[c.pk] and 'data-results="hidden"' in rows[c.pk]
    assert "data-mean" not in rows[c.pk]


def test_the_same_question_is_pooled_over_the_shown_evaluations_only(initiative_client, initiative, three_courses):
    text = initiative_client.get(initiative_url(initiative)).content.decode()
    pooled = text[text.index('id="initiative-pooled"') :]
    assert pooled.count('data-question="scale"') == 1 and "Fra 2 evalueringer." in pooled
    assert "11 svar." in pooled and "Gennemsnit: 3,5" in pooled  # (24 + 15) / 11: not the third course's three 1s
    counts = [
        (row.split("</th><td>")[0].split(" (")[0], row.split("</th><td>")[1].split("<")[0])
        for row in pooled.split('<tr><th scope="row">')[1:]
    ]
    assert counts == [("1", "0"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "2")]
    assert 'data-question="text"' not in pooled and "=SUM(A1)" not in text  # free texts stay on each day's page


def test_a_pooled_question_below_five_answers_is_hidden(
    initiative_client, initiative, library, django_capture_on_commit_callbacks, settings
):
    settings.EVALUATION_MIN_RESPONSES = 3
    capture = django_capture_on_commit_callbacks
    a = make_course(initiative, library, capture, n=3, title="Lille A")
    b = make_course(initiative, library, capture, n=3, title="Lille B")
    invite_and_answer(capture, {a: ["5", "4", "4"], b: ["2", "2", "2"]})
    text = initiative_client.get(initiative_url(initiative)).content.decode()
    assert 'data-pooled="hidden"' not in text and "6 svar." in text
    settings.EVALUATION_MIN_RESPONSES = 7  # each evaluation is hidden too, so nothing is pooled
    text = initiative_client.get(initiative_url(initiative)).content.decode()
    assert 'id="initiative-pooled"' not in text


def test_the_initiatives_csv_and_xlsx_have_a_row_per_evaluation(initiative_client, initiative, three_courses):
    rows = csv_rows(initiative_client.get(initiative_url(initiative, "initiative_evaluation_csv")))
    assert rows[0] == [
        "Tilbud", "Kursusgang", "Dato", "Inviteret", "Har svaret", "Svarprocent", "Gennemsnit: Hvor godt var oplægget?"
    ]  # fmt: skip
    by_title = {row[0]: row for row in rows[1:]}
    assert by_title["Formidling A"][1:2] + by_title["Formidling A"][3:] == ["Kursusgang 1", "7", "6", "85,70", "4,00"]
    assert by_title["Formidling B"][-1] == "3,00" and by_title["Formidling C"][-1] == ""
    workbook = xlsx(initiative_client.get(initiative_url(initiative, "initiative_evaluation_xlsx")))
    assert workbook.sheetnames == ["Evalueringer"]
    sheet = workbook.active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:G4"
    values = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["Formidling A"][3:] == (7, 6, 85.7, 4.0)
    assert values["Formidling C"][6] is None


def test_only_coordinators_of_the_initiative_see_it(coordinator_client, stranger_client, initiative, three_courses):
    for client in (coordinator_client, stranger_client):  # DB's section is the organisation, not the initiative
        for name in ("initiative_evaluation", "initiative_evaluation_csv", "initiative_evaluation_xlsx"):
            assert denied(client.get(initiative_url(initiative, name)))
        assert denied(client.get(day_url(three_courses[0])))


def test_the_initiative_page_costs_the_same_queries_for_more_evaluations(
    initiative_client, initiative, library, three_courses, django_capture_on_commit_callbacks, django_assert_num_queries
):
    initiative_client.get(initiative_url(initiative))
    with django_assert_num_queries(14):
        initiative_client.get(initiative_url(initiative))
    d = make_course(initiative, library, django_capture_on_commit_callbacks, n=5, title="Formidling D")
    invite_and_answer(django_capture_on_commit_callbacks, {d: ["3"] * 5})
    with django_assert_num_queries(14):
        assert "Formidling D" in initiative_client.get(initiative_url(initiative)).content.decode()


def test_the_day_page_costs_the_same_queries_for_more_answers(
    initiative_client, initiative, library, django_capture_on_commit_callbacks, django_assert_num_queries
):
    course = make_course(initiative, library, django_capture_on_commit_callbacks, n=8, title="Formidling E")
    invite_and_answer(django_capture_on_commit_callbacks, {course: ["3"] * 5})
    initiative_client.get(day_url(course))
    with django_assert_num_queries(15) as first:
        initiative_client.get(day_url(course))
    invite_and_answer(django_capture_on_commit_callbacks, {})
    with django_assert_num_queries(len(first.captured_queries)):
        initiative_client.get(day_url(course))
