"""The demo loader is idempotent: a second run, on the same day or a later one, changes nothing."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from wagtail.models import GroupCollectionPermission, GroupPagePermission, Page, Revision

import pytest

from events.models import CoursePage, EventPage
from network.demo.after_course import COURSE_SLUG
from network.demo.content import demo_load
from webinars.models import WebinarPage

pytestmark = pytest.mark.django_db

# Everything the demo creates, counted.
COUNTED_MODELS = [
    "wagtailcore.Page",
    "wagtailcore.Revision",
    "wagtailcore.Site",
    "wagtailcore.GroupPagePermission",
    "wagtailcore.GroupCollectionPermission",
    "wagtailcore.Collection",
    "wagtaildocs.Document",
    "wagtailimages.Image",
    "auth.User",
    "auth.Group",
    "network.Theme",
    "network.PageTheme",
    "network.Person",
    "network.Library",
    "network.LibraryGroup",
    "network.Municipality",
    "network.WorkingGroupMember",
    "network.WorkingGroupRelatedOffering",
    "events.CourseSession",
    "network.OfferingTrack",
    "webinars.WebinarPresenter",
    "events.Registration",
    "events.Participant",
    "events.SessionAttendance",
    "events.EvaluationInvitation",
    "events.EvaluationResponse",
    "events.Certificate",
    "events.OutboxMessage",
    "events.RegistrationLogEntry",
]


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """What "nothing changed" means: the same pages with the same revisions, and the same number of everything."""
    pages = [
        (page.pk, page.path, page.slug, page.title, page.live, page.latest_revision_id, page.live_revision_id)
        for page in Page.objects.order_by("path")
    ]
    revisions_per_page = dict(
        Revision.page_revisions.values_list("object_id").annotate(count=Count("pk")).order_by("object_id")
    )
    return {
        "pages": pages,
        "revisions_per_page": revisions_per_page,
        "counts": {label: apps.get_model(label).objects.count() for label in COUNTED_MODELS},
        "themes": sorted(apps.get_model("network.PageTheme").objects.values_list("content_object_id", "tag_id")),
        "users": sorted(get_user_model().objects.values_list("username", "is_superuser")),
        "memberships": sorted(get_user_model().groups.through.objects.values_list("user_id", "group_id")),
        "page_permissions": sorted(GroupPagePermission.objects.values_list("group_id", "page_id", "permission_id")),
        "collection_permissions": GroupCollectionPermission.objects.count(),
        "groups": sorted(Group.objects.values_list("name", flat=True)),
    }


def test_load_demo_creates_content_on_an_empty_site():
    output = load_demo()
    assert "Created" in output
    assert EventPage.objects.live().exists()
    assert CoursePage.objects.live().exists()
    assert WebinarPage.objects.live().exists()


def test_load_demo_twice_changes_nothing():
    load_demo()
    before = snapshot()

    output = load_demo()

    assert snapshot() == before
    assert "nothing changed" in output


def test_load_demo_on_a_later_day_changes_nothing():
    demo_load(today=dt.date(2030, 1, 1))
    before = snapshot()

    report = demo_load(today=dt.date(2030, 2, 15))

    assert report.created == 0
    assert snapshot() == before


def test_the_past_course_has_ended_whatever_day_the_loader_is_dated():
    """Its services are told when each step happened, so they would accept a course that has not ended yet: the
    course is dated from today when the loader is dated later."""
    demo_load(today=dt.date(2030, 1, 1))

    course = CoursePage.objects.get(slug=COURSE_SLUG)
    assert course.end < timezone.now()
    assert course.end.date() < dt.date(2030, 1, 1)
