"""The footer links the network's own pages (about, privacy, the accessibility statement) from the page tree, and the
accessibility statement shows the parts of Digitaliseringsstyrelsen's format."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError

import pytest

from network.models import AccessibilityStatementPage, StandardPage

pytestmark = pytest.mark.django_db


def footer(html: str) -> str:
    return re.search(r'<footer class="site-footer">.*</footer>', html, re.S).group(0)


def statement(home, **fields) -> AccessibilityStatementPage:
    page = AccessibilityStatementPage(
        title="Tilgængelighedserklæring",
        slug="tilgaengelighedserklaering",
        shortcomings="<p>Kortet har ingen tekst.</p>",
        contact_email="tilgaengelighed@example.org",
        published_on=dt.date(2026, 11, 2),
        reviewed_on=dt.date(2026, 12, 1),
        **fields,
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_the_footer_links_the_pages_a_coordinator_made(client, home):
    home.add_child(instance=StandardPage(title="Privatlivspolitik", slug="privatliv"))
    home.add_child(instance=StandardPage(title="Om netværket", slug="om-os", show_in_menus=False))
    home.add_child(instance=StandardPage(title="Kladde", slug="kladde", live=False))
    statement(home)
    html = footer(client.get("/").content.decode())
    assert '<a href="/privatliv/">Privatlivspolitik</a>' in html
    assert '<a href="/om-os/">Om netværket</a>' in html
    assert '<a href="/tilgaengelighedserklaering/">Tilgængelighedserklæring</a>' in html
    assert "Kladde" not in html


def test_a_renamed_page_is_renamed_in_the_footer(client, home):
    page = StandardPage(title="Om netværket", slug="om-netvaerket")
    home.add_child(instance=page)
    client.get("/")
    page.title, page.slug = "Om os", "om-os"
    page.save_revision().publish()
    html = footer(client.get("/").content.decode())
    assert '<a href="/om-os/">Om os</a>' in html
    assert "om-netvaerket" not in html


def test_the_statement_shows_status_shortcomings_contact_and_dates(client, home):
    html = client.get(statement(home).url).content.decode()
    assert "Sitet er delvist i overensstemmelse med webtilgængelighedsloven" in html
    assert "Kendte mangler" in html and "Kortet har ingen tekst." in html
    assert 'href="mailto:tilgaengelighed@example.org"' in html
    assert "Digitaliseringsstyrelsen" in html
    assert '<time datetime="2026-11-02">2. november 2026</time>' in html
    assert '<time datetime="2026-12-01">1. december 2026</time>' in html


def test_a_review_before_the_statement_is_refused(home):
    page = AccessibilityStatementPage(
        title="T", slug="t", contact_email="a@example.org", published_on=dt.date(2026, 12, 1),
        reviewed_on=dt.date(2026, 11, 1),
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        page.full_clean()
    assert refused.value.message_dict["reviewed_on"] == ["Gennemgangen kan ikke ligge før erklæringen blev udarbejdet."]
