"""The search results in templates: what a result shows of its page is cached, keyed like an offering card."""

from __future__ import annotations

from django import template
from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from network.caching import TTL, content_generation, page_key
from network.templatetags.network_cards import card_states, fill_card_state

register = template.Library()


@register.simple_tag(takes_context=True)
def search_hits(context, hits):
    """{% search_hits results.hits %}: the search results (search.hits.Hit), each in its <li>.

    The kind, date, badge, link, place and organiser are cached; the title, snippet and themes marked per search.
    """
    hits = list(hits or [])
    if not hits:
        return ""
    request = context.get("request")
    shared = (content_generation(), request.get_host() if request is not None else "", get_language())
    now = timezone.now()
    keys = [page_key("hit-parts", shared, hit.page, now) for hit in hits]
    found = cache.get_many(keys)
    engine = context.template.engine
    head, facts, result = (engine.get_template(f"search/{name}.html") for name in ("hit_head", "hit_facts", "hit"))
    fresh, items = {}, []
    states = card_states([hit.page for hit in hits])
    for hit, key in zip(hits, keys, strict=True):
        if key not in found:
            with context.push(hit=hit):
                fresh[key] = found[key] = (head.render(context), hit.page.get_url(request), facts.render(context))
        page_head, url, page_facts = found[key]
        with context.push(hit=hit, head=page_head, url=url, facts=page_facts):
            items.append(f"<li>{fill_card_state(result.render(context), hit.page, states)}</li>")
    cache.set_many(fresh, TTL)
    return mark_safe("".join(items))  # noqa: S308 - our own rendered templates
