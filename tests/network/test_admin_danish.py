"""The admin in Danish: the project's Danish for Wagtail's catalogues is served (Python and JavaScript), copies
Wagtail's msgids exactly and holds only what Wagtail's own Danish lacks or words otherwise; admin dates are short
Danish dates; the login and the theme field speak Danish."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template
from django.utils import timezone
from django.utils.formats import date_format

import wagtail
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form

import polib
import pytest

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale"
SITE_PACKAGES = Path(wagtail.__file__).parent.parent
CATALOGUES = sorted(path for path in LOCALE.glob("*/**/da/LC_MESSAGES/*.po"))
PLACEHOLDER = re.compile(r"%\([^)]+\)[sd]|%[sd]")


def installed(catalogue: Path, language: str) -> Path:
    """The installed catalogue that locale/<package path>/da/LC_MESSAGES/<domain>.po translates."""
    package = catalogue.relative_to(LOCALE).parents[2]
    return SITE_PACKAGES / package / "locale" / language / "LC_MESSAGES" / catalogue.name


def test_there_is_a_danish_catalogue_for_wagtails_admin_python_and_javascript():
    names = {str(path.relative_to(LOCALE)) for path in CATALOGUES}
    assert {"wagtail/admin/da/LC_MESSAGES/django.po", "wagtail/admin/da/LC_MESSAGES/djangojs.po"} <= names


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda path: str(path.relative_to(LOCALE)))
def test_each_entry_copies_a_wagtail_msgid_and_adds_what_its_danish_lacks(catalogue):
    english = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(installed(catalogue, "en")))}
    danish = installed(catalogue, "da")
    theirs = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(danish)) if e.translated()} if danish.exists() else {}
    for entry in polib.pofile(str(catalogue)):
        key = (entry.msgctxt, entry.msgid)
        assert key in english, f"not a msgid of Wagtail's catalogue: {entry.msgid!r}"
        assert entry.msgid_plural == english[key].msgid_plural, entry.msgid
        assert entry.translated(), entry.msgid
        if key in theirs:
            assert (entry.msgstr, entry.msgstr_plural) != (theirs[key].msgstr, theirs[key].msgstr_plural), (
                f"Wagtail's own Danish already says this: {entry.msgid!r}"
            )
        # The same placeholders as the msgid (a plural's singular may say "1" instead of its count).
        for translated in [entry.msgstr] if not entry.msgid_plural else [entry.msgstr_plural[1]]:
            source = entry.msgid_plural or entry.msgid
            assert sorted(PLACEHOLDER.findall(translated)) == sorted(PLACEHOLDER.findall(source)), entry.msgid


def test_the_catalogues_come_before_wagtails_in_locale_paths():
    paths = [Path(path) for path in settings.LOCALE_PATHS]
    assert paths[0] == LOCALE
    assert {catalogue.parents[2] for catalogue in CATALOGUES} <= set(paths)


def test_the_admin_login_is_danish(client, home):
    html = client.get("/admin/login/").content.decode()
    for danish in ["Log ind", "Adgangskode", "Glemt adgangskode?", "Husk mig"]:
        assert danish in html
    for english in ["Sign in to Wagtail", "Password", "Forgotten password?", "Remember me"]:
        assert english not in html


def test_the_admins_javascript_catalogue_serves_the_projects_danish_beside_wagtails(client, home):
    catalogue = client.get("/admin/jsi18n/").content.decode()
    assert '"Collapse all": "Fold alle sammen"' in catalogue
    assert "Skriv noget, eller skriv \\u2018/\\u2019 for at inds\\u00e6tte en blok" in catalogue
    assert '"Reload the page": "Genindl\\u00e6s siden"' in catalogue  # Wagtail's own Danish stays


def test_the_admin_shows_dates_as_short_danish_dates():
    assert date_format(dt.date(2026, 12, 15)) == "15. dec. 2026"
    assert date_format(dt.date(2027, 5, 3)) == "3. maj 2027"
    moment = timezone.make_aware(dt.datetime(2026, 12, 15, 14, 30))
    tooltip = Template("{% load wagtailadmin_tags %}{% human_readable_date moment %}").render(
        Context({"moment": moment})
    )
    assert 'data-w-tooltip-content-value="15. dec. 2026 14:30"' in tooltip


def test_the_theme_field_says_it_picks_from_the_curated_themes(admin_client, initiative):
    html = admin_client.get(f"/admin/pages/add/events/eventpage/{initiative.pk}/").content.decode()
    assert "Temaerne er netværkets faste liste (menuen Temaer)." in html
    assert "Multi-word tags" not in html
    assert "Tags med flere ord" not in html


def test_free_tags_keep_wagtails_help_about_spaces():
    """Images' tags are free: the help about spaces is right there, in Danish."""
    form = get_image_form(get_image_model())()
    html = str(form["tags"])
    assert "Tags med flere ord og mellemrum sættes automatisk i anførselstegn" in html
    assert "Temaerne er netværkets faste liste" not in html
