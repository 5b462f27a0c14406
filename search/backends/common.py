"""What the Danish database backends add to every page they index."""

from __future__ import annotations

from wagtail.models import Page


def kind_words(obj) -> str:
    """The page's kind in words ("webinar webinarer"), so a search for "webinar" finds every webinar, also one whose
    text never says so. Only pages: a library is not made to match "bibliotek" by its kind."""
    if not isinstance(obj, Page):
        return ""
    meta = type(obj)._meta
    return f"{meta.verbose_name} {meta.verbose_name_plural}"
