"""The search results in templates."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

from network.templatetags.network_cards import card_states, fill_card_state

register = template.Library()


@register.simple_tag(takes_context=True)
def search_hits(context, hits):
    """{% search_hits results.hits %}: the search results (search.hits.Hit), each in its <li>, with the registration
    state of each offering filled in (one query for all)."""
    hits = list(hits or [])
    if not hits:
        return ""
    result = context.template.engine.get_template("search/hit.html")
    states = card_states([hit.page for hit in hits])
    items = []
    for hit in hits:
        with context.push(hit=hit):
            items.append(f"<li>{fill_card_state(result.render(context), hit.page, states)}</li>")
    return mark_safe("".join(items))  # noqa: S308 - our own rendered templates
