"""What the search covers: the kinds of page, the live public pages of those kinds, and the filters that narrow them."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.utils.text import capfirst

from wagtail.models import Page

from network.models import InitiativePage, OfferingPage, PageTheme, WorkingGroupPage

from .query import SearchParams


def search_kinds() -> dict[str, type[Page]]:
    """The `type` values of the search and the page models they stand for, in the order the facet shows them."""
    return {**OfferingPage.kinds(), "workinggroup": WorkingGroupPage, "initiative": InitiativePage}


def kind_labels() -> dict[str, str]:
    return {kind: capfirst(str(model._meta.verbose_name)) for kind, model in search_kinds().items()}


def content_types() -> dict[str, int]:
    """kind -> content type id (ContentType's cache makes this free after the first call)."""
    models = search_kinds()
    types = ContentType.objects.get_for_models(*models.values(), for_concrete_models=False)
    return {kind: types[model].pk for kind, model in models.items()}


def searchable_pages():
    """Every live, public page of the kinds the search covers."""
    return Page.objects.live().public().filter(content_type__in=sorted(content_types().values()))


def restrict(queryset, params: SearchParams, *, now: dt.datetime, skip: tuple[str, ...] = ()):
    """The queryset narrowed by the filters (except those in `skip`), in lookups every search backend can take."""
    for theme in params.themes if "theme" not in skip else ():
        queryset = queryset.filter(id__in=PageTheme.page_ids(theme))  # every chosen theme must be present
    if params.when == "upcoming":
        queryset = queryset.filter(id__in=OfferingPage.objects.ahead(now).values("pk"))
    elif params.when == "past":
        queryset = queryset.filter(id__in=OfferingPage.objects.ended(now).values("pk"))
    if params.region:
        queryset = queryset.filter(id__in=OfferingPage.objects.filter(region=params.region).values("pk"))
    if params.kinds and "type" not in skip:
        types = content_types()
        queryset = queryset.filter(content_type__in=sorted(types[kind] for kind in params.kinds))
    return queryset
