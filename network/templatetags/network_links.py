"""Links that leave the site say where they lead: {% recording_link_text page.recording_url page.duration %}."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from network.dates import format_minutes
from network.links import host_label, link_host

register = template.Library()


@register.simple_tag(takes_context=True)
def recording_link_text(context, url: str, minutes: int | None = None) -> str:
    """The whole text of a link to a recording, so it makes sense read alone (WCAG 2.4.4): "Se optagelsen på YouTube
    (1 time og 15 minutter, åbner youtube.com)"; the domain only when the service's name is not already it, and no
    host at all for a recording on this site."""
    host = _outside_host(context, url)
    label = host_label(host)
    text = _("Se optagelsen på %(where)s") % {"where": label} if host else _("Se optagelsen")
    details = [format_minutes(minutes)] if minutes else []
    if label != host:
        details.append(_("åbner %(host)s") % {"host": host})
    return f"{text} ({', '.join(details)})" if details else text


@register.simple_tag(takes_context=True)
def recording_moment_text(context, url: str) -> str:
    """What a search hit's time link says before the time, so it names where it leads: "Se optagelsen på YouTube
    fra" (12:40); "Se optagelsen fra" for a recording on this site."""
    host = _outside_host(context, url)
    return _("Se optagelsen på %(where)s fra") % {"where": host_label(host)} if host else _("Se optagelsen fra")


def _outside_host(context, url: str) -> str:
    """The link's host, or "" for a link to this site."""
    host = link_host(url)
    request = context.get("request")
    if request is not None and host == link_host(f"//{request.get_host()}"):
        return ""
    return host
