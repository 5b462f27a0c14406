"""Quick to fill in, hard to get wrong: the admin keeps what a coordinator typed, fills in what it can and says
what it needs."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

import pytest

from events.models import EventPage
from tests.network.test_admin_validation import add_url, assert_form_reshown_with, event_data, publish

pytestmark = pytest.mark.django_db


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
