"""What an offering page shows about registration: `{% offering_registration page as registration %}`."""

from __future__ import annotations

from django import template
from django.utils import timezone

from events.registration.forms import NotifyForm
from events.registration.notify import notify_offered
from events.registration.rounds import offering_rounds_state
from events.registration.selectors import Availability, offering_availability, offering_change_deadline
from network import pagecache

register = template.Library()


@register.simple_tag(takes_context=True)
def offering_registration(context, page) -> Availability | None:
    """The offering's Availability, or None without registration; counted once per page render, whichever block asks.

    The memo lives in the render context, which the blocks of one page share (an included template gets its own).
    """
    if not page.registration_enabled:
        return None
    key = ("offering_registration", page.pk)
    if key not in context.render_context:
        availability = offering_availability(offering=page)
        if availability.capacity is not None and timezone.now() < page.end:
            pagecache.seats_shown()  # the seats left shown change with every registration and cancellation
        context.render_context[key] = availability
    return context.render_context[key]


@register.simple_tag
def change_deadline(offering):
    """{% change_deadline offering as when %}: until when a contact may add and cancel participants."""
    return offering_change_deadline(offering=offering)


@register.simple_tag
def registration_rounds(offering) -> dict:
    """{% registration_rounds page as rounds %}: who may register now ("summary": "Lige nu: kun ..."), and the form
    "Giv mig besked, når tilmeldingen åbner" ("notify_form") while not every library may. A kept page expires
    when a round opens (network.pagecache), so the words change with the rule."""
    state = offering_rounds_state(offering=offering, now=timezone.now())
    offered = notify_offered(offering=offering, state=state)
    return {"state": state, "summary": state.summary(), "notify_form": NotifyForm() if offered else None}
