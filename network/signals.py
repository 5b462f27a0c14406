"""Signal receivers of the base app: every change a listing may show starts a new content generation."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .caching import new_generation
from .models import Library, LibraryGroup, Municipality, PageTheme, Person, Theme


def _page_saved_or_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        new_generation()


def connect() -> None:
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(new_generation, dispatch_uid=f"network-caching-{id(signal)}")
    post_save.connect(_page_saved_or_deleted, dispatch_uid="network-caching-page-save")
    post_delete.connect(_page_saved_or_deleted, dispatch_uid="network-caching-page-delete")
    # Pages show people (presenters, members), images (their alt text and crops) and documents (materials) too.
    shown = (Theme, PageTheme, Library, LibraryGroup, Municipality, Person, get_image_model(), get_document_model())
    for model in (*shown, PageViewRestriction, Site):
        post_save.connect(new_generation, sender=model, dispatch_uid=f"network-caching-save-{model.__name__}")
        post_delete.connect(new_generation, sender=model, dispatch_uid=f"network-caching-delete-{model.__name__}")
