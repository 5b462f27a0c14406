"""Quick to fill in, hard to get wrong: the admin keeps what a coordinator typed, fills in what it can and says
what it needs."""

from __future__ import annotations

import datetime as dt
import json

from django.utils import timezone

from wagtail.test.utils.form_data import querydict_from_html

import pytest
from bs4 import BeautifulSoup

from events.models import CoursePage, EventPage
from network.models import WorkingGroupPage
from tests.events.factories import EventPageFactory
from tests.network import test_permissions
from tests.network.test_admin_validation import add_url, assert_form_reshown_with, event_data, publish
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
