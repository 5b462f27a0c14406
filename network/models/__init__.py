"""The network's own models: themes, libraries, people, organisations, initiatives, working groups and the offering
base that events, courses and webinars build on. One package, one app label: every model is importable from here."""

from .base import RICH_TEXT_FEATURES, SECTION_PAGE_TYPES, BasePage, IndexPage, OrganisedPage, ThemedPage
from .offerings import (
    AttendanceMode,
    Audience,
    LocationMixin,
    OfferingManager,
    OfferingPage,
    OfferingQuerySet,
    OfferingTrack,
    Status,
    ahead_at,
)
from .pages import (
    AccessibilityStatementPage,
    Compliance,
    HomePage,
    InitiativeIndexPage,
    InitiativePage,
    ListingIndexPage,
    OrganisationIndexPage,
    OrganisationPage,
    StandardPage,
    ThemeIndexPage,
    WorkingGroupIndexPage,
)
from .people import Person
from .places import Library, LibraryGroup, Municipality, Region
from .themes import PageTheme, Theme
from .working_groups import WorkingGroupMember, WorkingGroupPage, WorkingGroupRelatedOffering

__all__ = [
    "AccessibilityStatementPage",
    "Compliance",
    "RICH_TEXT_FEATURES",
    "SECTION_PAGE_TYPES",
    "AttendanceMode",
    "Audience",
    "BasePage",
    "HomePage",
    "IndexPage",
    "InitiativeIndexPage",
    "InitiativePage",
    "Library",
    "LibraryGroup",
    "ListingIndexPage",
    "LocationMixin",
    "Municipality",
    "OfferingManager",
    "OfferingPage",
    "OfferingQuerySet",
    "OfferingTrack",
    "OrganisationIndexPage",
    "OrganisationPage",
    "OrganisedPage",
    "PageTheme",
    "Person",
    "Region",
    "StandardPage",
    "Status",
    "Theme",
    "ThemeIndexPage",
    "ThemedPage",
    "WorkingGroupIndexPage",
    "WorkingGroupMember",
    "WorkingGroupPage",
    "WorkingGroupRelatedOffering",
    "ahead_at",
]
