"""The English version (/en/): the interface in English around Danish content, each Danish passage marked
lang="da" (WCAG 3.1.2), the menu and footer in English, and the language switch in the header and the footer."""

from __future__ import annotations

from django.core.cache import cache
from django.test import RequestFactory
from django.utils import translation

from wagtail.models import Locale

import pytest
from bs4 import BeautifulSoup

from network.context_processors import _site_pages
from network.models import StandardPage
from network.templatetags.network_navigation import content_lang, nav_title
from tests.events.factories import CoursePageFactory, CourseSessionFactory, EventPageFactory
from tests.network.factories import StandardPageFactory, ThemeFactory, aware, programme

pytestmark = pytest.mark.django_db

INTRO = "Netværket samler kompetenceudvikling ét sted."


@pytest.fixture
def about(home):
    cache.clear()  # the menu and footer are cached per content generation
    return StandardPageFactory(
        parent=home,
        title="Sådan bruger du sitet",
        intro=INTRO,
        body=[("paragraph", "<p>Her finder du kurser og arrangementer.</p>")],
    )


def soup(client, path: str) -> BeautifulSoup:
    response = client.get(path)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def without_danish(element) -> str:
    """The element's text, less what is marked Danish."""
    element = BeautifulSoup(str(element), "html.parser")
    for danish in element.select('[lang="da"]'):
        danish.decompose()
    return " ".join(element.get_text(" ").split())


def test_under_en_the_danish_page_texts_are_marked_danish(client, about):
    html = soup(client, "/en" + about.url)
    assert html.html["lang"] == "en"
    main = html.find("main")
    assert main.find("h1")["lang"] == "da"
    assert main.find("p", class_="lead")["lang"] == "da"
    assert main.find("div", class_="body")["lang"] == "da"
    assert main.select_one(".breadcrumbs [aria-current=page]")["lang"] == "da"
    assert main.select_one(".breadcrumbs a").get_text() == "Home"  # the interface's own word: not marked


def test_in_danish_nothing_but_the_switch_to_english_is_marked(client, about):
    html = soup(client, about.url)
    assert html.html["lang"] == "da"
    marked = html.body.select("[lang]")
    assert {(element.get_text(), element["lang"]) for element in marked} == {("Dansk", "da"), ("English", "en")}


def test_under_en_card_titles_and_themes_are_marked_danish(client, organisation):
    EventPageFactory(
        parent=organisation,
        title="Inspirationsdag om verdensmål",
        start=aware(2030, 3, 2, 9),
        end=aware(2030, 3, 2, 15),
        themes=[ThemeFactory(name="Verdensmål")],
    )
    cards = soup(client, "/en/arrangementer/").select(".card")
    assert cards
    card = cards[0]
    assert card.select_one(".card__title a")["lang"] == "da"
    assert card.select_one(".tag")["lang"] == "da"
    assert "lang" not in card.select_one(".card__kind").attrs  # "Event": the interface's word


def test_under_en_the_menu_and_footer_are_english(client, about):
    html = soup(client, "/en/")
    menu = html.select_one(".main-nav")
    assert [a.get_text() for a in menu.select("a")][:3] == ["Courses", "Events", "Webinars"]
    assert not menu.select('[lang="da"]')  # the fixed pages are in the catalogue
    footer = html.find("footer")
    for english in ("Quick links", "About the site", "Contact", "Coordinator login", "Search past offerings"):
        assert english in footer.get_text()
    # A page of the site's own, not in the catalogue, stays Danish and says so.
    assert footer.find("span", lang="da", string="Sådan bruger du sitet")
    leftover = without_danish(footer)
    for danish in ("Genveje", "Om sitet", "Kontakt", "Log ind", "Søg", "Sådan"):
        assert danish not in leftover


def test_a_fixed_page_renamed_by_an_editor_keeps_its_danish_title_marked(client, about, event_index):
    event_index.title = "Arrangementer og temadage"
    event_index.save_revision().publish()
    cache.clear()
    menu = soup(client, "/en/").select_one(".main-nav")
    assert menu.find("span", lang="da", string="Arrangementer og temadage")


def test_the_language_switch_is_in_the_header_and_the_footer(client, about):
    path = about.url
    html = soup(client, "/en" + path)
    for part in (html.find("header", class_="site-header"), html.find("footer")):
        links = part.select(".language-switch a")
        assert [(a.get_text(), a["lang"], a["hreflang"]) for a in links] == [
            ("Dansk", "da", "da"),
            ("English", "en", "en"),
        ]
        assert links[0]["href"] == path
        assert links[1].get("aria-current") == "true"
        assert part.select_one(".language-switch")["aria-label"] == "Language"


def test_the_language_switch_in_danish_names_each_language_in_itself(client, about):
    path = about.url
    header = soup(client, path).find("header", class_="site-header")
    links = header.select(".language-switch a")
    assert [a.get_text() for a in links] == ["Dansk", "English"]
    assert links[0].get("aria-current") == "true"
    assert links[1]["href"] == "/en" + path


# --- With translated page trees (WAGTAIL_I18N_ENABLED): an English page is not marked Danish ------------------


@pytest.fixture
def translated(about, settings):
    settings.WAGTAIL_I18N_ENABLED = True
    settings.WAGTAIL_CONTENT_LANGUAGES = settings.LANGUAGES
    about.show_in_menus = True
    about.save_revision().publish()
    english = about.copy_for_translation(Locale.objects.create(language_code="en"), copy_parents=True)
    english.title = "How to use the site"
    english.save_revision().publish()
    cache.clear()
    return StandardPage.objects.get(pk=english.pk)


def test_an_english_translation_is_not_marked_danish(about, translated):
    with translation.override("en"):
        assert content_lang(translated) == ""
        assert nav_title(translated) == "How to use the site"
        assert content_lang(about) == ' lang="da"'
        assert nav_title(about) == '<span lang="da">Sådan bruger du sitet</span>'
    with translation.override("da"):
        assert content_lang(about) == ""
        assert content_lang(translated) == ' lang="en"'


def test_the_menu_under_en_holds_the_english_translation_where_there_is_one(rf: RequestFactory, about, translated):
    request = rf.get("/en/")
    with translation.override("en"):
        menu, footer = _site_pages(request)
    assert "How to use the site" in [page.title for page in menu]
    assert "How to use the site" in [page.title for page in footer]
    with translation.override("da"):
        menu, _footer = _site_pages(request)
    assert "Sådan bruger du sitet" in [page.title for page in menu]


def test_under_en_a_course_days_titles_goals_place_and_programme_are_marked_danish(client, organisation):
    course = CoursePageFactory(
        parent=organisation,
        title="Kompetenceforløb om formidling",
        sessions=[
            CourseSessionFactory.build(
                title="Opstart på Dokk1",
                venue_name="Dokk1",
                city="Aarhus",
                programme=programme(("09:30", "Velkomst og kaffe")),
            )
        ],
    )
    step = soup(client, "/en" + course.url).select_one(".step--day")
    assert step.find("h2")["lang"] == "da"
    assert step.select_one(".step__goals .rich-text")["lang"] == "da"
    assert step.select_one(".programme tbody")["lang"] == "da"
    assert step.select_one(".venue__name").find_parent(lang="da")
    # What is the interface's own stays unmarked: the labels and the programme's column headings.
    assert "lang" not in step.select_one(".programme thead").attrs
    assert "Dokk1" not in without_danish(step) and "Velkomst" not in without_danish(step)
