"""What an offering's card in a listing says about registration, filled into the card's slot on each request.

The card itself is cached until the next publish; seats change with every registration, so this part is not cached.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from django.utils.translation import gettext as _

from wagtail.models import Page

from network import pagecache
from network.models import OfferingPage

from .selectors import CardAvailability, card_availabilities


def few_seats(capacity: int) -> int:
    """At most this many seats left reads "Få pladser": a tenth of the seats, and never fewer than three."""
    return max(3, capacity // 10)


def card_state(availability: CardAvailability) -> tuple[str, str]:
    """(modifier, text) of a card's registration line; ("", "") when there is nothing to say."""
    a = availability
    if a.state == "not_open":
        return "later", _("Tilmelding åbner %(day)s") % {"day": format_date(timezone.localtime(a.opens_at), "j. F")}
    if a.state == "closed":
        return "closed", _("Tilmelding lukket")
    if a.state != "open":
        return "", ""
    if a.seats_left == 0:
        return ("full", _("Fuldt – venteliste")) if a.waiting_list else ("closed", _("Fuldt"))
    if a.seats_left is not None and a.seats_left <= few_seats(a.capacity):
        return "few", _("Få pladser")
    return "open", _("Tilmelding åben")


def card_state_html(pages: list) -> dict[int, str]:
    """network_cards' card-state provider: the registration line of each shown offering, one query for all."""
    now = timezone.now()
    # Only offerings that take registration and have not ended are counted (a list of past offerings or of initiatives
    # costs nothing); a page not yet specific may be one.
    ids = [
        page.pk
        for page in pages
        if type(page) is Page or (isinstance(page, OfferingPage) and page.registration_enabled and page.end > now)
    ]
    if not ids:
        return {}
    states = {}
    for pk, availability in card_availabilities(offering_ids=ids, now=now).items():
        modifier, text = card_state(availability)
        if availability.state == "open" and availability.capacity is not None:
            pagecache.seats_shown()  # "Få pladser" and "Fuldt" follow the seats
        if not text:
            continue
        deadline = ""
        if availability.state == "open" and availability.explicit_deadline and availability.seats_left != 0:
            day = format_date(timezone.localtime(availability.closes_at), "j. F")
            deadline = format_html(' <span class="card__deadline">{}</span>', _("Frist %(day)s") % {"day": day})
        states[pk] = format_html('<p class="card__state card__state--{}">{}{}</p>', modifier, text, deadline)
    return states
