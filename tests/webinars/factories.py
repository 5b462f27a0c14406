"""Factories for webinars and their presenters."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

import factory

from tests.network.factories import PersonFactory, ThemedPageFactory
from webinars.models import WebinarPage, WebinarPresenter


class WebinarPresenterFactory(factory.django.DjangoModelFactory):
    """An unsaved presenter for `presenters=[...]`; the person is saved, since the presenter points to it."""

    person = factory.LazyFunction(PersonFactory.create)
    topic = "Citizen Science som arbejdsmetode"

    class Meta:
        model = WebinarPresenter


class WebinarPageFactory(ThemedPageFactory):
    title = factory.Sequence(lambda n: f"Webinar om verdensmålene {n}")
    intro = "Et webinar om verdensmålene på biblioteket."
    start = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    duration = 60
    join_url = "https://example.org/webinar"

    class Meta:
        model = WebinarPage
