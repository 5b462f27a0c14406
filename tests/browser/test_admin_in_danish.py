"""A coordinator walks the thirteen admin screens they use and sees no English message of Wagtail's or taggit's
catalogues: visible text, placeholders, aria-label and title are compared with the English msgids of the installed
catalogues (modelsearch ships none). The count over the screens is printed; the target is 0."""

from __future__ import annotations

import re
from functools import cache
from io import StringIO
from pathlib import Path

from django.core.management import call_command

import taggit
import wagtail

import polib
import pytest

from events.models import EventPage
from network.models import OrganisationPage
from tests.browser.test_coordinator_publishes import log_in

pytestmark = pytest.mark.django_db(transaction=True)

# English msgids that are also Danish words, names or too generic to tell English from Danish; kept short.
IGNORED = {
    "ID",
    "OK",
    "Form",  # Danish for a format (physical, online): the project's own filter and field
    "Type",
    "Status",
    "Site",  # Wagtail's Danish keeps "Site" for a site of the installation
    "Tag",  # and "tags" for tags
    "Tags",
}
# Strings shorter than this many letters are not compared ("Go", "On"): they say nothing about the language; nor
# are messages with placeholders whose words are this short ("%(a)s for %(b)s" reads as Danish).
MIN_LETTERS = 3
MIN_LETTERS_AROUND_PLACEHOLDERS = 4

# English that Wagtail writes into its templates rather than through a catalogue, so no catalogue can translate it:
# the header's search button for screen readers (wagtailadmin/shared/header.html, home.html) and the header's
# actions landmark (wagtailadmin/shared/headers/_actions.html). A fix for Wagtail, not copies of its templates here.
HARDCODED = ".submit.w-sr-only input[value=Search], nav#w-slim-header-buttons[aria-label=Actions]"

PLACEHOLDER = re.compile(r"%\([^)]+\)[sd]|%[sd]|\{[a-z_]*\}")


@cache
def english_msgids() -> tuple[frozenset[str], tuple[re.Pattern, ...]]:
    """Every msgid (and plural) of Wagtail's and taggit's English catalogues, Python and JavaScript: the plain ones
    as a set, those with placeholders as patterns that match the message as shown."""
    catalogues = [
        *Path(wagtail.__file__).parent.glob("**/locale/en/LC_MESSAGES/*.po"),
        *Path(taggit.__file__).parent.glob("locale/en/LC_MESSAGES/*.po"),
    ]
    plain, patterns = set(), {}
    for path in catalogues:
        for entry in polib.pofile(str(path)):
            for msgid in filter(None, [entry.msgid, entry.msgid_plural]):
                msgid = " ".join(msgid.split())
                literal = PLACEHOLDER.sub("", msgid)
                letters = sum(c.isalpha() for c in literal)
                if msgid in IGNORED or letters < MIN_LETTERS:
                    continue
                if PLACEHOLDER.search(msgid):
                    if letters < MIN_LETTERS_AROUND_PLACEHOLDERS:
                        continue
                    parts = PLACEHOLDER.split(msgid)
                    patterns[msgid] = re.compile(".+?".join(re.escape(part) for part in parts) + r"\Z")
                else:
                    plain.add(msgid)
    return frozenset(plain), tuple(patterns.values())


# The texts a person sees or hears on the screen: visible text nodes, and placeholder, aria-label, title and the
# value of buttons on visible elements.
SHOWN_TEXTS = """(hardcoded) => {
    const texts = [];
    const visible = (el) => el.checkVisibility({visibilityProperty: true, opacityProperty: false});
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.nodeValue.replace(/\\s+/g, " ").trim();
        const parent = node.parentElement;
        if (text && parent && !parent.closest("script, style, template, noscript") && visible(parent)) {
            texts.push(text);
        }
    }
    for (const el of document.body.querySelectorAll("[placeholder], [aria-label], [title], input[type=submit]")) {
        if (!visible(el) || el.matches(hardcoded)) continue;
        for (const name of ["placeholder", "aria-label", "title", "value"]) {
            if (name === "value" && el.type !== "submit") continue;
            const text = (el.getAttribute(name) || "").replace(/\\s+/g, " ").trim();
            if (text) texts.push(text);
        }
    }
    return texts;
}"""


def english_shown(page) -> list[str]:
    """The texts on the page that are English msgids, each once."""
    plain, patterns = english_msgids()
    found = []
    for text in dict.fromkeys(page.evaluate(SHOWN_TEXTS, HARDCODED)):
        # A required field's label ends in "*", a label may end in ":".
        candidates = {text, text.rstrip("*").strip(), text.rstrip(":")}
        if candidates & IGNORED:
            continue
        if candidates & plain or any(p.match(c) for p in patterns for c in candidates):
            found.append(text)
    return found


def settle(page) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)


def walk(page, base: str, *, section: OrganisationPage, offering: EventPage) -> dict[str, list[str]]:
    """The thirteen screens, as a coordinator reaches them (with the errors of an empty new page, a page selected
    for bulk actions and the editor's menu open); each screen's English texts."""
    shown = {}

    def screen(name: str, url: str | None = None) -> None:
        if url:
            page.goto(f"{base}{url}")
        settle(page)
        shown[name] = english_shown(page)

    page.goto(f"{base}/admin/login/")
    screen("login")
    log_in(page, base, "koordinator-ki")
    screen("dashboard")
    screen("page explorer", "/admin/pages/")
    # A page selected: the bulk actions bar.
    page.locator("input[data-bulk-action-checkbox]").first.check()
    screen("page explorer, a page selected")
    screen("a section", f"/admin/pages/{section.pk}/")
    screen("adding an event", f"/admin/pages/add/events/eventpage/{section.pk}/")
    # Saved empty: the errors as the coordinator meets them.
    with page.expect_navigation():
        page.locator("#page-edit-form").evaluate("form => form.requestSubmit()")
    screen("adding an event, with errors")
    screen("adding a course", f"/admin/pages/add/events/coursepage/{section.pk}/")
    screen("editing an offering", f"/admin/pages/{offering.pk}/edit/")
    # The footer's menu: publish, unpublish, delete.
    page.locator("footer [data-w-dropdown-target='toggle']").last.click()
    screen("editing an offering, its actions")
    screen("its history", f"/admin/pages/{offering.pk}/history/")
    screen("images", "/admin/images/")
    screen("documents", "/admin/documents/")
    screen("account", "/admin/account/")
    screen("snippets", "/admin/snippets/")
    screen("site history", "/admin/reports/site-history/")
    return shown


def test_a_coordinator_sees_no_english_message_of_wagtail_on_the_admin_screens(live_server, page):
    call_command("load_demo", stdout=StringIO())
    section = OrganisationPage.objects.get(title="Kultur og Information")
    offering = EventPage.objects.descendant_of(section).order_by("pk").first() or EventPage.objects.first()

    shown = walk(page, live_server.url, section=section, offering=offering)

    count = sum(len(texts) for texts in shown.values())
    report = "\n".join(f"  {name}: {texts}" for name, texts in shown.items() if texts)
    print(f"\nEnglish messages of Wagtail's catalogues shown over {len(shown)} screens: {count}\n{report}")
    assert len(shown) == 16
    assert count == 0, f"{count} English messages shown:\n{report}"
