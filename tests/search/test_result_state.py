"""Search results say where registration stands, as the listings' cards do, and past results say "Afholdt"."""

from __future__ import annotations

import re

from django.utils import timezone

from network.models import OfferingPage


def result_of(client, page) -> str:
    html = client.get("/search/", {"q": page.title}).content.decode()
    articles = re.findall(r"<article.*?</article>", html, re.S)
    found = [a for a in articles if f'href="{page.url}"' in a]
    assert found, page.title
    return found[0]


def test_results_say_where_registration_stands_and_what_is_held(demo, client):
    now = timezone.now()
    taking = OfferingPage.objects.filter(registration_enabled=True, end__gt=now).exclude(status="aflyst").first()
    past = OfferingPage.objects.filter(end__lt=now).exclude(status="aflyst").first()
    assert re.search(r'<p class="card__state card__state--\w+">\w', result_of(client, taking))
    assert 'badge--past">Afholdt' in result_of(client, past)
