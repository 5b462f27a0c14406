"""Factories for the network's pages and snippets, on wagtail-factories. Pages go below a real parent where the tree
allows them (`parent=...`: offerings below a section); themes are set with `themes=[...]`; child relations (sessions,
presenters, members) are lists of unsaved instances, the way modelcluster takes them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from wagtail.models import Collection

import factory
import wagtail_factories

from network.danish import danish_slugify
from network.models import (
    InitiativePage,
    Municipality,
    OrganisationPage,
    Person,
    StandardPage,
    Theme,
    WorkingGroupMember,
    WorkingGroupPage,
)


def aware(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A moment in Copenhagen time."""
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


def programme(*items: tuple[str, str]) -> list[dict]:
    """Raw StreamField data for a programme: ("09:00", "Ankomst"), ..."""
    return [
        {"type": "item", "value": {"start": f"{start}:00", "end": None, "title": title, "description": ""}}
        for start, title in items
    ]


class ThemeFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Tema {n}")
    slug = factory.LazyAttribute(lambda obj: danish_slugify(obj.name))

    class Meta:
        model = Theme
        django_get_or_create = ["name"]


class PersonFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Tovholder {n}")
    job_title = "Tovholder"
    organisation = "Danmarks Biblioteksforening"
    email = factory.Sequence(lambda n: f"tovholder{n}@example.org")

    class Meta:
        model = Person


def municipality(name: str = "Herning") -> Municipality:
    """A municipality from the reference data the migrations load."""
    return Municipality.objects.get(name=name)


class ImageFactory(wagtail_factories.ImageFactory):
    """An image in the root collection (wagtail-factories' default makes a new root collection)."""

    collection = factory.LazyFunction(Collection.get_first_root_node)
    title = factory.Sequence(lambda n: f"Billede {n}")


class DocumentFactory(wagtail_factories.DocumentFactory):
    collection = factory.LazyFunction(Collection.get_first_root_node)
    title = factory.Sequence(lambda n: f"Dokument {n}")
    file = factory.django.FileField(filename="materiale.pdf", data=b"%PDF-1.4 materiale")


class ThemedPageFactory(wagtail_factories.PageFactory):
    """A page with themes: `themes=[theme, ...]` links them after the page is created."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):  # factory_boy passes the instance first
        if extracted:
            obj.themes.set(extracted)
            if create:
                obj.save()


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Om netværket {n}")
    intro = "Om netværket."

    class Meta:
        model = StandardPage


class OrganisationPageFactory(wagtail_factories.PageFactory):
    title = "Danmarks Biblioteksforening"
    short_name = "DB"
    website = "https://example.org/db"
    email = "db@example.org"
    intro = "Landsdækkende forening for folkebibliotekerne."

    class Meta:
        model = OrganisationPage


class InitiativePageFactory(ThemedPageFactory):
    title = "Kompetenceudvikling for biblioteksansatte"
    intro = "En national indsats for bibliotekernes medarbejdere."
    purpose = "<p>Flere kompetencer til bibliotekernes medarbejdere.</p>"
    funding_source = "Folketinget"
    funding_start = dt.date(2022, 1, 1)
    funding_end = dt.date(2023, 12, 31)

    class Meta:
        model = InitiativePage


class WorkingGroupMemberFactory(factory.django.DjangoModelFactory):
    """An unsaved member for `members=[...]`; the person is saved."""

    person = factory.LazyFunction(PersonFactory.create)
    role = "Medlem"

    class Meta:
        model = WorkingGroupMember


class WorkingGroupPageFactory(ThemedPageFactory):
    title = "Arbejdsgruppen for verdensmål"
    intro = "Fire medlemmer udvikler et forløb om FN's verdensmål."
    purpose = "<p>Viden, engagement og værktøjer til arbejdet med verdensmålene.</p>"

    class Meta:
        model = WorkingGroupPage
