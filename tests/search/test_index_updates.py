"""The index stays current: publishing, unpublishing, editing, moving and deleting pages, and editing themes and
organisers, all on the real backend of the suite's database (SQLite FTS5 or PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.http import QueryDict
from django.utils import timezone

from wagtail.search.models import IndexEntry

import pytest

from network.models import InitiativePage, OrganisationPage, Theme
from search.selectors import search_pages
from webinars.models import WebinarPage


def found(query: str) -> list[str]:
    return [hit.page.slug for hit in search_pages(QueryDict(urlencode({"q": query})), page_size=100).hits]


def index_entries(page) -> int:
    return IndexEntry.objects.filter(object_id=str(page.pk)).count()


@pytest.fixture
def ocean_theme(demo):
    return Theme.objects.create(name="Havmiljø", slug="havmiljoe", synonyms="Blå planet\nHavets sundhed")


@pytest.fixture
def new_webinar(demo, ocean_theme):
    """A draft webinar below DB2030, with a theme that no other page has."""
    parent = InitiativePage.objects.get(slug="db2030")
    webinar = WebinarPage(
        title="Tangskove og bibliotekets formidling",
        slug="webinar-tangskove",
        intro="Om kystens økosystemer.",
        start=timezone.now() - dt.timedelta(days=30),
        duration=60,
        live=False,
    )
    parent.add_child(instance=webinar)
    webinar.themes.set([ocean_theme])
    webinar.save_revision()
    return webinar


def test_a_draft_is_not_found(new_webinar):
    assert "webinar-tangskove" not in found("tangskove")


def test_publishing_indexes_the_page_with_its_themes(new_webinar):
    new_webinar.get_latest_revision().publish()
    assert "webinar-tangskove" in found("tangskovene")  # stemmed
    # The themes are written after post_save; the page_published handler indexes them.
    assert "webinar-tangskove" in found("Havmiljø")
    assert "webinar-tangskove" in found("blå planet")


def test_unpublishing_removes_it_from_the_results(new_webinar):
    new_webinar.get_latest_revision().publish()
    WebinarPage.objects.get(pk=new_webinar.pk).unpublish()
    assert "webinar-tangskove" not in found("tangskove")


def test_editing_and_republishing_updates_the_index(new_webinar):
    new_webinar.get_latest_revision().publish()
    page = WebinarPage.objects.get(pk=new_webinar.pk)
    page.title = "Ålegræs og bibliotekets formidling"
    page.save_revision().publish()
    assert "webinar-tangskove" in found("aalegræs")
    assert "webinar-tangskove" not in found("tangskove")


def test_moving_keeps_the_page_findable_at_its_new_address(demo):
    webinar = WebinarPage.objects.get(slug="webinar-design-thinking")
    fki = OrganisationPage.objects.get(slug="fki")
    webinar.move(fki, pos="last-child")
    results = search_pages(QueryDict("q=design+quest"))
    hit = next(h for h in results.hits if h.page.slug == "webinar-design-thinking")
    assert "/fki/" in hit.page.url
    assert index_entries(webinar) == 1


def test_deleting_removes_the_page_from_the_index(demo):
    webinar = WebinarPage.objects.get(slug="webinar-psykologiske-faktorer")
    assert index_entries(webinar) == 1
    assert "webinar-psykologiske-faktorer" in found("psykologiske faktorer")
    webinar.delete()
    assert index_entries(webinar) == 0
    assert "webinar-psykologiske-faktorer" not in found("psykologiske faktorer")


def test_a_new_theme_synonym_is_searchable_at_once(demo):
    theme = Theme.objects.get(slug="trivsel-og-motivation")
    assert "webinar-psykologiske-faktorer" not in found("arbejdsglæde")
    theme.synonyms += "\nArbejdsglæde"
    theme.save()
    assert "webinar-psykologiske-faktorer" in found("arbejdsglæde")


def test_a_renamed_organiser_is_searchable_on_its_offerings(demo):
    fki = OrganisationPage.objects.get(slug="fki")
    fki.title = "Foreningen for Kommunale Informationsfolk"
    fki.save_revision().publish()
    assert "webinar-citizen-science" in found("Informationsfolk")


def test_a_deleted_theme_no_longer_finds_its_pages(demo):
    theme = Theme.objects.get(slug="citizen-science")
    assert "webinar-citizen-science" in found("borgervidenskab")
    theme.delete()
    assert "webinar-citizen-science" not in found("borgervidenskab")


def test_update_index_rebuilds_and_shows_progress(demo):
    webinar = WebinarPage.objects.get(slug="webinar-citizen-science")
    IndexEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(WebinarPage), object_id=str(webinar.pk)
    ).delete()
    assert "webinar-citizen-science" not in found("borgervidenskab")
    out = StringIO()
    call_command("update_index", stdout=out)
    output = out.getvalue()
    assert "webinars.WebinarPage" in output
    assert "4/4 (100%)" in output
    assert "indexed" in output
    assert "webinar-citizen-science" in found("borgervidenskab")
