"""Which offerings' registrations a user may see: the pages they may edit, worked out once per request as ranges of
tree paths (a section's subtree is every path from its own up to the next one), which SQLite and PostgreSQL read
from the index on `path`. Wagtail's own queryset repeats `path LIKE 'p%'` per section and permission, which SQLite
answers by reading every page."""

from __future__ import annotations

import dataclasses

from django.db.models import Q, QuerySet

from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from network.models import OfferingPage

# Kept on the user object, which lives for one request (as Wagtail keeps its page permissions there).
CACHE_ATTRIBUTE = "_registration_offering_scope"


@dataclasses.dataclass(frozen=True)
class PathRange:
    """A subtree: the paths from `start` (the section's own) up to but not including `stop`; with `owner_id`, only the
    pages that user owns (Wagtail's "add" permission lets a user edit the pages they made)."""

    start: str
    stop: str
    owner_id: int | None = None

    def q(self, prefix: str = "") -> Q:
        q = Q(**{f"{prefix}path__gte": self.start, f"{prefix}path__lt": self.stop})
        return q if self.owner_id is None else q & Q(**{f"{prefix}owner_id": self.owner_id})

    def contains(self, page: Page) -> bool:
        in_range = self.start <= page.path < self.stop
        return in_range and (self.owner_id is None or page.owner_id == self.owner_id)

    def covers(self, other: PathRange) -> bool:
        same_owner = self.owner_id is None or self.owner_id == other.owner_id
        return same_owner and self.start <= other.start and other.stop <= self.stop


@dataclasses.dataclass(frozen=True)
class OfferingScope:
    """Every offering (`everything`), or those within `ranges` (none: no offering at all)."""

    everything: bool = False
    ranges: tuple[PathRange, ...] = ()

    def q(self, prefix: str = "") -> Q:
        """A filter on pages, or with `prefix` (e.g. "offering__") on what points to one."""
        if self.everything:
            return Q()
        q = Q(**{f"{prefix}pk__in": []})  # matches nothing; Django asks no query for it
        for path_range in self.ranges:
            q |= path_range.q(prefix)
        return q

    def offerings(self) -> QuerySet[OfferingPage]:
        return OfferingPage.objects.filter(self.q())

    def contains(self, page: Page) -> bool:
        """In Python, for pages already read (their `path` and `owner_id`): no query."""
        return self.everything or any(path_range.contains(page) for path_range in self.ranges)


def path_after_subtree(path: str) -> str:
    """The smallest path greater than every path below `path`: its last character raised by one in treebeard's
    alphabet, carried leftwards past the alphabet's end ("0001000Z" → "0001001")."""
    alphabet = Page.alphabet
    chars = list(path)
    for i in range(len(chars) - 1, -1, -1):
        position = alphabet.index(chars[i])
        if position + 1 < len(alphabet):
            return "".join(chars[:i]) + alphabet[position + 1]
    return path + alphabet[-1] * Page.steplen * 32  # the last subtree of all: past any path Wagtail makes


def editable_scope(user) -> OfferingScope:
    """The pages `user` may edit, as Wagtail's page permissions give them ("change" below a page, or "add" for the
    pages the user owns), from the permissions Wagtail has cached on the user (one query the first time)."""
    cached = getattr(user, CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    if not user.is_active or user.is_anonymous:
        scope = OfferingScope()
    elif user.is_superuser:
        scope = OfferingScope(everything=True)
    else:
        ranges = set()
        for perm in PagePermissionPolicy().get_cached_permissions_for_user(user):
            codename = perm.permission.codename
            if codename in ("change_page", "add_page"):
                owner_id = None if codename == "change_page" else user.pk
                ranges.add(PathRange(perm.page.path, path_after_subtree(perm.page.path), owner_id))
        # A section inside another one (or an "add" where there is a "change") adds nothing to the query.
        kept = [r for r in ranges if not any(other != r and other.covers(r) for other in ranges)]
        scope = OfferingScope(ranges=tuple(sorted(kept, key=lambda r: (r.start, r.owner_id or 0))))
    setattr(user, CACHE_ATTRIBUTE, scope)
    return scope


def registration_scope(user, permission: str) -> OfferingScope:
    """The offerings whose registrations `user` may see: every one with the network-wide `permission`, else those
    whose page they may edit."""
    return OfferingScope(everything=True) if user.has_perm(permission) else editable_scope(user)
