"""What the page cache's tests share: their frozen moment, an event to keep, and asking for a page."""

from __future__ import annotations

import datetime as dt

from tests.events.factories import EventPageFactory
from tests.network.factories import aware

NOW = aware(2030, 5, 15, 12, 0)


def event(section, title="Inspirationsdag", *, days=3, hours=6, themes=(), **kwargs):
    start = NOW + dt.timedelta(days=days)
    return EventPageFactory(
        parent=section, title=title, start=start, end=start + dt.timedelta(hours=hours), themes=list(themes), **kwargs
    )


def fetch(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return response


def state(client, url, **extra) -> str:
    return fetch(client, url, **extra)["X-Cache"]


def publish(page, **changes):
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
