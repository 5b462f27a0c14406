"""Quick to fill in, hard to get wrong: the admin keeps what a coordinator typed, fills in what it can and says
what it needs."""

from __future__ import annotations

import datetime as dt
import json

from django.urls import reverse
from django.utils import timezone

from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, streamfield

import pytest
from bs4 import BeautifulSoup

from events.models import CoursePage, EventPage
from network.models import WorkingGroupPage
from tests.events.factories import CoursePageFactory, CourseSessionFactory, EventPageFactory
from tests.network import test_permissions
from tests.network.test_admin_validation import (
    DATE_FORMAT,
    add_url,
    assert_form_reshown_with,
    course_data,
    course_session,
    event_data,
    publish,
)
from webinars.models import WebinarPage

pytestmark = pytest.mark.django_db

# Two organisations, an initiative coordinated by the first and its coordinator: the permission tests' fixtures.
network, groups = test_permissions.network, test_permissions.groups
db_coordinator, db_client = test_permissions.db_coordinator, test_permissions.db_client


# --- Dates: ISO input is read, not replaced by "now" --------------------------------------------------------


def test_event_dates_typed_in_iso_are_saved_as_typed(admin_client, organisation):
    data = event_data(start="2027-03-10 09:30", end="2027-03-10T15:30")

    response = admin_client.post(add_url(EventPage, organisation), publish(data))

    assert response.status_code == 302, response.context["form"].errors
    event = EventPage.objects.get()
    assert timezone.localtime(event.start) == timezone.make_aware(dt.datetime(2027, 3, 10, 9, 30))
    assert timezone.localtime(event.end) == timezone.make_aware(dt.datetime(2027, 3, 10, 15, 30))


def test_event_date_in_danish_format_is_still_read(admin_client, organisation):
    data = event_data(start="10.03.2027 09:30", end="10.03.2027 15:30")

    response = admin_client.post(add_url(EventPage, organisation), publish(data))

    assert response.status_code == 302
    assert timezone.localtime(EventPage.objects.get().start).hour == 9


def test_a_date_the_admin_cannot_read_is_refused_in_danish(admin_client, organisation):
    response = admin_client.post(add_url(EventPage, organisation), publish(event_data(start="10. marts kl. 9")))

    assert_form_reshown_with(response, "Indtast gyldig dato/tid.")
    assert not EventPage.objects.exists()


def test_date_pickers_do_not_replace_what_was_typed(admin_client, organisation):
    """The picker's own check on leaving the field (which put in the current time) is off on every date field."""
    response = admin_client.get(add_url(EventPage, organisation))

    html = response.content.decode()
    assert html.count('"validateOnBlur": false') >= 2  # start and end
    assert '"validateOnBlur": true' not in html


# --- Slugs: Danish letters spelt out, never percent-encoded -----------------------------------------------


def test_a_page_saved_without_slug_gets_one_spelt_out_from_the_title(organisation):
    """Pages made in code (the demo, imports) get their slug from Wagtail's save: spelt out the Danish way, and
    numbered beside a sibling with the same title as Wagtail numbers them."""
    title = "Sæt spot på kompetencerne – Ærø og Ølstykke"
    first = EventPageFactory(parent=organisation, title=title, slug="")
    second = EventPageFactory(parent=organisation, title=title, slug="")

    assert first.slug == "saet-spot-paa-kompetencerne-aeroe-og-oelstykke"
    assert second.slug == "saet-spot-paa-kompetencerne-aeroe-og-oelstykke-2"


def test_a_slug_typed_with_danish_letters_is_spelt_out(admin_client, organisation):
    data = event_data(slug="verdensmål-på-biblioteket")

    response = admin_client.post(add_url(EventPage, organisation), publish(data))

    assert response.status_code == 302, response.context["form"].errors
    event = EventPage.objects.get()
    assert event.slug == "verdensmaal-paa-biblioteket"
    assert event.url_path.endswith("/verdensmaal-paa-biblioteket/")


def test_the_slug_field_spells_out_danish_letters_in_the_browser(admin_client, organisation):
    """The admin makes the slug from the title in JavaScript (Wagtail's w-slug controller): it is told to spell out
    æ, ø, å first and to keep to ASCII."""
    html = admin_client.get(add_url(EventPage, organisation)).content.decode()

    slug = BeautifulSoup(html, "html.parser").select_one("input[name=slug]")
    assert slug["data-w-slug-allow-unicode-value"] == "false"
    formatters = json.loads(slug["data-w-slug-formatters-value"])
    assert [(pattern, spelt) for (pattern, _flags), spelt in formatters] == [
        ("[æÆ]", "ae"),
        ("[øØ]", "oe"),
        ("[åÅ]", "aa"),
    ]


# --- "Arrangør" starts as the coordinator's own organisation ------------------------------------------------


def organiser_in_add_form(client, model, parent) -> str:
    """The organiser the add form would send as it is shown (read from the form's HTML, as a browser sends it)."""
    html = client.get(add_url(model, parent)).content.decode()
    return querydict_from_html(html, form_id="page-edit-form").get("organiser", "")


@pytest.mark.parametrize("model", [EventPage, CoursePage, WebinarPage, WorkingGroupPage])
def test_organiser_is_preset_to_the_section_a_page_is_created_in(db_client, network, model):
    assert organiser_in_add_form(db_client, model, network["db"]) == str(network["db"].pk)


def test_organiser_is_preset_to_the_initiatives_coordinating_organisation(db_client, network):
    assert organiser_in_add_form(db_client, EventPage, network["effort"]) == str(network["db"].pk)


def test_organiser_falls_back_to_the_coordinators_one_organisation(db_client, network):
    network["effort"].organiser = None
    network["effort"].save()

    assert organiser_in_add_form(db_client, EventPage, network["effort"]) == str(network["db"].pk)


def test_organiser_is_left_empty_when_nothing_says_which(admin_client, network):
    network["effort"].organiser = None
    network["effort"].save()

    assert organiser_in_add_form(admin_client, EventPage, network["effort"]) == ""


def test_preset_organiser_is_saved_when_the_form_is_sent_as_shown(db_client, network):
    html = db_client.get(add_url(EventPage, network["effort"])).content.decode()
    typed = event_data(title="Temadag om verdensmål", slug="temadag-om-verdensmaal")
    del typed["organiser"]  # left as the form shows it
    data = {**querydict_from_html(html, form_id="page-edit-form").dict(), **typed}

    response = db_client.post(add_url(EventPage, network["effort"]), publish(data))

    assert response.status_code == 302, response.context["form"].errors
    assert EventPage.objects.get(title="Temadag om verdensmål").organiser == network["db"]


# --- A course's period follows from its steps -----------------------------------------------------------------


def test_course_period_follows_from_its_course_days_not_from_what_is_sent(admin_client, initiative):
    first, last = dt.date(2030, 3, 4), dt.date(2030, 3, 18)
    ignored = timezone.now() + dt.timedelta(days=400)
    sessions = [course_session(first, start_time="09:30"), course_session(last, end_time="15:00")]
    data = course_data(ignored, ignored + dt.timedelta(days=1), sessions)

    response = admin_client.post(add_url(CoursePage, initiative), publish(data))

    assert response.status_code == 302, response.context["form"].errors
    course = CoursePage.objects.get()
    assert timezone.localtime(course.start) == timezone.make_aware(dt.datetime(2030, 3, 4, 9, 30))
    assert timezone.localtime(course.end) == timezone.make_aware(dt.datetime(2030, 3, 18, 15, 0))
    # The listing's indexed columns hold the same: the course is found by its period.
    assert CoursePage.objects.ahead(timezone.make_aware(dt.datetime(2030, 3, 18, 14, 0))).exists()
    assert not CoursePage.objects.ahead(timezone.make_aware(dt.datetime(2030, 3, 18, 15, 0))).exists()


def test_an_activity_without_times_counts_whole_days(admin_client, initiative):
    day = dt.date(2030, 3, 4)
    activity = course_session(
        day + dt.timedelta(days=1),
        kind="aktivitet",
        title="Eksperiment mellem kursusgangene",
        end_date=(day + dt.timedelta(days=10)).strftime(DATE_FORMAT),
        start_time="",
        end_time="",
        attendance_mode="online",
    )
    data = course_data(timezone.now(), timezone.now(), [course_session(day), activity])

    response = admin_client.post(add_url(CoursePage, initiative), publish(data))

    assert response.status_code == 302, response.context["form"].errors
    end = timezone.localtime(CoursePage.objects.get().end)
    assert end == timezone.make_aware(dt.datetime(2030, 3, 15, 0, 0))  # the end of the activity's last day


def test_moving_a_course_day_moves_the_course_period(admin_client, initiative):
    day = dt.date(2030, 3, 4)
    admin_client.post(
        add_url(CoursePage, initiative), publish(course_data(timezone.now(), timezone.now(), [course_session(day)]))
    )
    course = CoursePage.objects.get()
    edit_url = reverse("wagtailadmin_pages:edit", args=(course.pk,))
    data = querydict_from_html(admin_client.get(edit_url).content.decode(), form_id="page-edit-form").dict()
    data["sessions-0-date"] = "01.04.2030"
    # Stream fields are drawn by JavaScript, so they are not in the HTML form: send them empty.
    streams = nested_form_data(
        {
            "body": streamfield([]),
            "materials": streamfield([]),
            "evaluation": streamfield([]),
            "sessions": {
                "0": {"programme": streamfield([]), "materials": streamfield([]), "evaluation": streamfield([])}
            },
        }
    )

    response = admin_client.post(edit_url, publish({**data, **streams}))

    assert response.status_code == 302, response.context["form"].errors
    course.refresh_from_db()
    assert timezone.localdate(course.start) == timezone.localdate(course.end) == dt.date(2030, 4, 1)


def test_registration_deadline_after_the_derived_end_is_refused(admin_client, initiative):
    day = dt.date(2030, 3, 4)
    data = course_data(
        timezone.now(),
        timezone.now(),
        [course_session(day)],
        registration_enabled="on",
        registration_closes="05.03.2030 12:00",
    )

    response = admin_client.post(add_url(CoursePage, initiative), publish(data))

    assert_form_reshown_with(response, "Tilmeldingsfristen kan ikke ligge efter tilbuddets slut.")
    assert not CoursePage.objects.exists()


def test_course_editor_shows_the_period_without_asking_for_it(admin_client, initiative):
    html = admin_client.get(add_url(CoursePage, initiative)).content.decode()

    form = BeautifulSoup(html, "html.parser").select_one("#page-edit-form")
    assert form.select_one("[name=start]") is None and form.select_one("[name=end]") is None
    assert "Start og slut følger af kursusgangene og aktiviteterne nedenfor." in html
    assert "Den første kursusgangs start" in html and "None" not in form.select_one(".w-field__textoutput").text


def test_course_editor_shows_the_derived_period_in_danish(admin_client, initiative):
    day = CourseSessionFactory.build(date=dt.date(2030, 3, 4))
    course = CoursePageFactory(parent=initiative, start=None, end=None, sessions=[day])

    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=(course.pk,))).content.decode()

    shown = [output.text.strip() for output in BeautifulSoup(html, "html.parser").select(".w-field__textoutput")]
    assert shown[:2] == ["4. marts 2030 09:00", "4. marts 2030 15:30"]


def test_a_course_made_in_code_without_period_gets_it_from_its_days(initiative):
    course = CoursePageFactory.build(
        title="Forløb uden periode",
        start=None,
        end=None,
        sessions=[CourseSessionFactory.build(date=dt.date(2030, 5, 6))],
    )
    initiative.add_child(instance=course)

    course.refresh_from_db()
    assert timezone.localtime(course.start) == timezone.make_aware(dt.datetime(2030, 5, 6, 9, 0))
    assert timezone.localtime(course.end) == timezone.make_aware(dt.datetime(2030, 5, 6, 15, 30))


# --- The page-type chooser says when to choose which ----------------------------------------------------------


def test_page_type_chooser_says_when_to_choose_each_kind(db_client, network):
    html = db_client.get(reverse("wagtailadmin_pages:add_subpage", args=(network["db"].pk,))).content.decode()

    soup = BeautifulSoup(html, "html.parser")
    text = " ".join(soup.get_text(" ").split())
    for model in [EventPage, CoursePage, WebinarPage, WorkingGroupPage]:
        description = " ".join(str(model.page_description).split())
        assert description in text, model


# --- The municipality chooser searches; what publishing needs is said before -----------------------------------


def municipality_chooser_names(client, **params) -> list[str]:
    response = client.get(reverse("wagtailsnippetchoosers_network_municipality:choose_results"), params)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return [link.text.strip() for link in soup.select("table a[data-chooser-modal-choice]")]


def test_municipality_chooser_finds_a_municipality_by_part_of_its_name(db_client, network):
    assert municipality_chooser_names(db_client, q="hern") == ["Herning"]
    assert municipality_chooser_names(db_client, q="  KØBEN ") == ["København"]


def test_municipality_chooser_without_search_lists_them_all_over_few_pages(db_client, network):
    assert len(municipality_chooser_names(db_client)) == 25


def test_municipality_chooser_shows_a_search_field(db_client, network):
    response = db_client.get(reverse("wagtailsnippetchoosers_network_municipality:choose"))

    html = json.loads(response.content)["html"]
    assert 'name="q"' in html and "Søg efter kommune" in html


def test_fields_required_on_site_say_so_before_publishing(db_client, network):
    html = db_client.get(add_url(EventPage, network["db"])).content.decode()

    assert html.count("Skal udfyldes ved fysisk fremmøde.") == 2
