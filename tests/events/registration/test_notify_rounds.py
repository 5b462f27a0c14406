"""Who may register now, said before the form refuses anything: on the offering page's box and at the top of the form,
from the same read as the rule (rounds.offering_rounds_state), and the form's library list marks those that must wait.
The clock stands still at 2 December 2030, 12.00: certification libraries from 1 December, every library from 8."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.utils import translation

import pytest

from events.registration import rules
from events.registration.errors import RegistrationError
from events.registration.models import EligibilityRound
from events.registration.rounds import offering_rounds_state
from tests.events.registration import notify_fixtures
from tests.events.registration.notify_fixtures import ALL_FROM, GROUP_FROM, LOCMEM, NOW
from tests.events.registration.test_views import form_url, post_data
from tests.network.factories import aware

pytestmark = pytest.mark.django_db

# The shared clock (autouse) and rounds, as this module's fixtures.
clock, in_rounds = notify_fixtures.clock, notify_fixtures.in_rounds


def box(client, offering) -> str:
    html = client.get(offering.url).content.decode()
    return html[html.index('class="registration-box"') : html.index("</section>", html.index("registration-box"))]


def top_of_form(client, offering) -> str:
    html = client.get(form_url(offering)).content.decode()
    return html[: html.index('class="registration-form"')]


def option(html: str, library) -> str:
    start = html.index(f'<option value="{library.pk}"')
    return html[start : html.index("</option>", start)]


NOW_TEXT = "Lige nu: kun Certificeringsbiblioteker; alle biblioteker fra 8. december 2030 kl. 9.00"


def test_the_offering_page_says_who_may_register_now_and_when_every_library_may(client, in_rounds):
    assert NOW_TEXT in box(client, in_rounds)


def test_the_top_of_the_form_says_it_too(client, in_rounds):
    assert NOW_TEXT in top_of_form(client, in_rounds)


def test_before_the_first_round_it_says_when_it_opens_and_for_whom(client, in_rounds, clock):
    clock.move_to(aware(2030, 11, 20, 12))
    expected = (
        "Tilmeldingen åbner 1. december 2030 kl. 9.00 for Certificeringsbiblioteker; "
        "alle biblioteker fra 8. december 2030 kl. 9.00"
    )
    assert expected in box(client, in_rounds)
    assert expected in top_of_form(client, in_rounds)


def test_once_every_library_may_register_nothing_is_said_of_rounds_now(client, in_rounds, clock):
    clock.move_to(aware(2030, 12, 8, 9, 1))
    assert "Lige nu" not in box(client, in_rounds)
    assert "Lige nu" not in top_of_form(client, in_rounds)


def test_without_rounds_nothing_is_said_of_rounds(client, event):
    assert "Lige nu" not in box(client, event)


def test_the_text_is_english_under_en(client, in_rounds):
    html = client.get("/en" + form_url(in_rounds)).content.decode()
    assert "Right now: only Certificeringsbiblioteker; all libraries from 8 December 2030 9:00" in html


def test_the_library_list_marks_the_libraries_that_must_wait(client, in_rounds, library, other_library):
    html = client.get(form_url(in_rounds)).content.decode()
    assert option(html, other_library).endswith(" (fra 8. december)")
    assert "(fra" not in option(html, library)  # Herning, a certification library, may register now


def test_the_marks_go_when_every_library_may_register_even_from_the_cached_form(
    client, in_rounds, other_library, settings, clock
):
    settings.CACHES = LOCMEM
    cache.clear()
    assert "(fra 8. december)" in option(client.get(form_url(in_rounds)).content.decode(), other_library)
    clock.move_to(aware(2030, 12, 8, 9, 1))
    html = client.get(form_url(in_rounds)).content.decode()
    assert "(fra" not in option(html, other_library)
    assert "Lige nu" not in html
    cache.clear()


def test_the_submit_rule_stays_and_refuses_a_marked_library_with_its_error(client, in_rounds, other_library):
    response = client.post(form_url(in_rounds), post_data(other_library))
    html = response.content.decode()
    assert "Tilmeldingen er foreløbig kun åben for udvalgte biblioteker." in html
    assert "Alle biblioteker kan tilmelde sig fra 8. december 2030 kl. 9.00." in html
    assert in_rounds.registrations.count() == 0


def test_the_words_and_the_rule_agree_at_every_moment(in_rounds, library, other_library):
    """At each moment around the rounds, a library may register exactly when the state says it may."""
    moments = [GROUP_FROM - dt.timedelta(minutes=1), GROUP_FROM, NOW, ALL_FROM - dt.timedelta(seconds=1), ALL_FROM]
    for moment in moments:
        state = offering_rounds_state(offering=in_rounds, now=moment)
        for lib, member in ((library, True), (other_library, False)):
            allowed = state.is_open and (state.open_to_all or member)
            try:
                rules.check_open(in_rounds, lib, moment)
            except RegistrationError:
                refused = True
            else:
                refused = False
            assert refused is not allowed, (moment, lib.name)
            said = state.summary()
            if allowed and not member:
                assert said == ""  # open to all: nothing restricts
            if not allowed and state.is_open:
                assert said.startswith("Lige nu: kun Certificeringsbiblioteker")


def test_a_group_only_offering_says_only_the_group(in_rounds, certification_group):
    in_rounds.registration_rounds = [EligibilityRound(library_group=certification_group, opens_at=GROUP_FROM)]
    in_rounds.save_revision().publish()
    with translation.override("da"):
        assert offering_rounds_state(offering=in_rounds, now=NOW).summary() == "Lige nu: kun Certificeringsbiblioteker"
