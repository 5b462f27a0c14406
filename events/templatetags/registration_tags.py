"""What an offering page shows about registration: `{% offering_registration page as registration %}`."""

from __future__ import annotations

from django import template

from events.registration.selectors import Availability, offering_availability

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
        context.render_context[key] = offering_availability(offering=page)
    return context.render_context[key]
