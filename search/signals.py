"""Keep the search index current where Wagtail's own signal handlers fall short: child relations written after
`post_save`, what a page shows of other objects (themes, organisers), and the paths of moved pages."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from modelsearch import index
from wagtail.models import Page
from wagtail.search.backends import get_search_backends
from wagtail.signals import page_published, page_unpublished, post_page_move

from network.caching import new_generation
from network.models import InitiativePage, OfferingPage, OrganisationPage, PageTheme, Theme, WorkingGroupPage

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


def reindex_pages(page_ids: Iterable[int]) -> int:
    """Reindex these pages on every backend, in bulk per page type. Returns how many were indexed."""
    ids = list(dict.fromkeys(page_ids))
    if not ids:
        return 0
    by_model = defaultdict(list)
    for start in range(0, len(ids), BATCH_SIZE):
        for page in Page.objects.filter(pk__in=ids[start : start + BATCH_SIZE]).specific():
            by_model[type(page)].append(page)
    count = 0
    for backend in get_search_backends(with_auto_update=True):
        for model, pages in by_model.items():
            if not index.class_is_indexed(model):
                continue
            try:
                backend.add_bulk(model, pages)
            except Exception:  # the index must never break an editor's save
                logger.exception("Could not reindex %s pages in %r", model.__name__, backend)
            count += len(pages)
    # The cached rankings of searches (search.ranking.rank) hold pages as the index had them: a search made
    # between the start of the change and now may have cached the index of before under the new generation.
    new_generation()
    return count


def _reindex_object(instance) -> None:
    index.insert_or_update_object(instance)


@receiver(page_published)
def reindex_published_page(sender, instance, **kwargs):
    """Reindex with the child relations (themes, course days, presenters) that were written after post_save."""
    _reindex_object(instance)
    if instance.specific_class is OrganisationPage:
        # Offerings, working groups and initiatives index their organiser's title.
        organised = [
            *OfferingPage.objects.filter(organiser=instance).values_list("pk", flat=True),
            *WorkingGroupPage.objects.filter(organiser=instance).values_list("pk", flat=True),
            *InitiativePage.objects.filter(organiser=instance).values_list("pk", flat=True),
        ]
        reindex_pages(organised)


@receiver(page_unpublished)
def reindex_unpublished_page(sender, instance, **kwargs):
    _reindex_object(instance)


@receiver(post_page_move)
def reindex_moved_pages(sender, instance, **kwargs):
    reindex_pages(Page.objects.descendant_of(instance, inclusive=True).values_list("pk", flat=True))


# --- Themes ----------------------------------------------------------------------------------------------------


@receiver(post_save, sender=Theme)
def reindex_pages_of_theme(sender, instance, created, raw=False, **kwargs):
    if created or raw:
        return  # a new theme is on no page yet
    reindex_pages(PageTheme.objects.filter(tag=instance).values_list("content_object_id", flat=True))


@receiver(pre_delete, sender=Theme)
def remember_pages_of_theme(sender, instance, **kwargs):
    instance._search_page_ids = list(PageTheme.objects.filter(tag=instance).values_list("content_object_id", flat=True))


@receiver(post_delete, sender=Theme)
def reindex_pages_of_deleted_theme(sender, instance, **kwargs):
    reindex_pages(getattr(instance, "_search_page_ids", []))
