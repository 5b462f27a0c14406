"""Accessibility in a real browser, on the demo: axe-core's WCAG 2.1 A and AA rules on every page type, filtered
listings, search, the registration form (empty and with errors), the manage page and the competency landscape, in
Danish and on /en/; the form by keyboard with a visible focus, its errors announced to screen readers; the
participant list printed on A4."""

from __future__ import annotations

import re
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

import pytest

from events.models import CourseIndexPage, CoursePage, EventIndexPage, EventPage
from network.models import (
    AccessibilityStatementPage,
    HomePage,
    InitiativeIndexPage,
    InitiativePage,
    OrganisationIndexPage,
    OrganisationPage,
    StandardPage,
    Theme,
    ThemeIndexPage,
    WorkingGroupIndexPage,
    WorkingGroupPage,
)
from tests.browser.axe import axe_violations, describe, require_axe, scan
from tests.browser.printing import assert_a4_pdf, assert_prints_cleanly, visible_on_paper
from tests.browser.test_public_pages import landscape_path
from webinars.models import WebinarIndexPage, WebinarPage

pytestmark = pytest.mark.django_db(transaction=True)

COURSE_SLUG = "saet-spot-paa-kompetencerne-naeste-hold"
DESKTOP = {"width": 1280, "height": 1000}
MOBILE = {"width": 390, "height": 844}

# The focused element shows a ring: a real outline, or (links and buttons, whose outline is transparent for Windows'
# high-contrast mode) the yellow background with a dark box-shadow.
FOCUS_RING = """el => {
    const s = getComputedStyle(el);
    const transparent = c => c === 'transparent' || /rgba\\(.*,\\s*0\\)$/.test(c);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 && !transparent(s.outlineColor);
    const ring = s.boxShadow !== 'none';
    return {
        visible: outline || ring,
        what: `${el.tagName.toLowerCase()}#${el.id} ${el.getAttribute('name') || el.textContent.trim().slice(0, 30)}`,
        outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
        shadow: s.boxShadow,
    };
}"""


def page_paths() -> list[str]:
    """One page of every page type of the demo, the listings with filters applied, and search results."""
    now = timezone.now()
    singles = [
        HomePage,
        CourseIndexPage,
        EventIndexPage,
        WebinarIndexPage,
        ThemeIndexPage,
        InitiativeIndexPage,
        OrganisationIndexPage,
        WorkingGroupIndexPage,
        InitiativePage,
        OrganisationPage,
        WorkingGroupPage,
        StandardPage,
        AccessibilityStatementPage,
    ]
    pages = [model.objects.live().first() for model in singles]
    pages += [
        EventPage.objects.live().filter(end__lt=now).first(),
        EventPage.objects.live().filter(start__gt=now).first(),
        CoursePage.objects.live().filter(end__lt=now).first(),
        CoursePage.objects.get(slug=COURSE_SLUG),
        WebinarPage.objects.live().filter(start__lt=now).exclude(recording_url="").first(),
        WebinarPage.objects.live().filter(start__gt=now).first(),
    ]
    paths = [page.url for page in pages]
    assert None not in paths
    theme = Theme.objects.get(slug="verdensmaal")
    paths += [
        f"/tema/{theme.slug}/",
        "/tema/skolesamarbejde/",
        "/arrangementer/?theme=verdensmaal&region=midtjylland&format=fysisk",
        "/kurser/?when=past&theme=skolesamarbejde&q=kompetencer",
        "/webinarer/?when=past&theme=verdensmaal",
        "/arrangementer/?when=all&from=2022-01-01&to=2022-12-31&type=event",
        "/kurser/?theme=ledelse&region=nordjylland",  # no results
        "/search/",
        "/search/?q=verdensm%C3%A5lene",
        "/search/?q=verdensm%C3%A5lene&when=past&region=midtjylland",
        "/search/?q=zzzxqq",  # no results
    ]
    return paths


def register_one_participant(page, base: str, prefix: str, form_path: str) -> str:
    """Fill and send the registration form; returns the manage page's path."""
    page.goto(f"{base}{prefix}{form_path}")
    page.locator("#id_library").select_option(index=5)
    page.locator("#id_contact_name").fill("Kontaktperson Test")
    page.locator("#id_contact_email").fill(f"kontakt{len(prefix)}@example.org")
    page.locator("#id_participants-0-name").fill("Medarbejder Et")
    page.locator("#id_participants-0-email").fill(f"et{len(prefix)}@example.org")
    page.locator("#id_consent").check()
    page.locator("form.registration-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/tilmelding/[0-9a-f-]{36}/$"))
    return page.url.removeprefix(base).removeprefix("/en")


def confirmation_link(contact: str) -> str:
    """The path of the confirmation link e-mailed to `contact` (with its language prefix)."""
    message = next(m for m in reversed(mail.outbox) if m.to == [contact])
    return re.search(r"http://[^/\s]+(/\S*tilmelding/[0-9a-f-]{36}/bekraeft/\?adgang=[\w-]+)", message.body).group(1)


def check_registration_errors_are_announced(page) -> None:
    """The form re-shown with errors: a focused alert, and each field with an error invalid and described by it."""
    page.locator("form.registration-form button[type=submit]").click()
    page.wait_for_load_state()
    summary = page.locator(".form-errors")
    assert summary.get_attribute("role") == "alert"
    assert page.evaluate("document.activeElement.id") == "form-errors"
    invalid = page.locator("[aria-invalid=true]")
    assert invalid.count() >= 3  # library, contact name and e-mail, consent, the first participant
    for field in invalid.all():
        described = (field.get_attribute("aria-describedby") or "").split()
        error_ids = [id_ for id_ in described if id_.endswith("_error")]
        assert error_ids, f"{field.get_attribute('id')} has no error in aria-describedby"
        for id_ in described:
            assert page.locator(f"#{id_}").count() == 1, f"aria-describedby points at missing #{id_}"
        assert page.locator(f"#{error_ids[0]}").inner_text().strip()
    # Help texts are referenced too (and exist) on fields without errors.
    email = page.locator("#id_contact_email")
    assert "id_contact_email_helptext" in email.get_attribute("aria-describedby")


def check_autocomplete(page, base: str, prefix: str) -> str:
    """The search box's suggestions, opened by typing: named and announced in the page's language; axe's findings."""
    page.goto(f"{base}{prefix}/")
    box = page.locator("#site-search-q")
    box.press_sequentially("verdensm", delay=40)
    listbox = page.get_by_role("listbox")
    listbox.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert listbox.get_attribute("aria-label") == ("Suggestions" if prefix else "Forslag")
    status = page.locator(".autocomplete [role=status]").inner_text()
    assert ("Use the up and down arrows" if prefix else "Brug pil op og ned") in status
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == page.locator("[role=option]").first.get_attribute("id")
    return describe(axe_violations(page))


def tab_until(page, selector: str, limit: int = 80) -> list[str]:
    """Press Tab until the element of the selector has the focus; every stop on the way shows a visible focus ring."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = page.evaluate(f"({FOCUS_RING})(document.activeElement)")
        seen.append(focus["what"])
        assert focus["visible"], f"no visible focus on {focus}"
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return seen
    pytest.fail(f"{selector} was not reached by Tab: {seen}")


def check_keyboard(page, base: str, form_path: str) -> None:
    """The skip link works; every stop of the registration form and of a listing's filters shows a visible focus
    ring; a participant row is added by keyboard and gets the focus."""
    page.goto(f"{base}{form_path}")
    page.keyboard.press("Tab")
    skip = page.evaluate("(el => ({cls: el.className, top: el.getBoundingClientRect().top}))(document.activeElement)")
    assert skip["cls"] == "skip-link" and skip["top"] >= 0, skip
    assert page.evaluate(f"({FOCUS_RING})(document.activeElement)")["visible"]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.url.endswith("#main")

    seen = tab_until(page, "form.registration-form button[type=submit]")
    for stop in ["select#id_library", "input#id_contact_name", "input#id_participants-0-name", "input#id_consent"]:
        assert any(what.startswith(stop) for what in seen), f"{stop} is not reached by Tab: {seen}"

    rows = int(page.locator("#id_participants-TOTAL_FORMS").input_value())
    page.locator("[data-add-participant]").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == f"id_participants-{rows}-name"

    page.goto(f"{base}/arrangementer/?theme=verdensmaal")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link, past the header
    seen = tab_until(page, "form.filters button[type=submit]")
    assert any(what.startswith("input# theme") for what in seen), seen
    # The page already has this URL, so wait for the navigation itself, not for the URL to match.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "theme=verdensmaal" in page.url


# One test function: a live-server test empties the database when it ends, so the checks share one load of the demo.
def test_every_page_type_passes_axe_works_by_keyboard_and_prints(live_server, browser):
    require_axe()
    call_command("load_demo", stdout=StringIO())
    base = live_server.url
    paths = page_paths()
    course = CoursePage.objects.get(slug=COURSE_SLUG)
    form_path = f"/tilmelding/{course.pk}/"
    landscape = landscape_path()  # a confirmed contact's link to the library's competency landscape
    failures = {}

    for prefix, viewport, locale in [("", DESKTOP, "da-DK"), ("/en", MOBILE, "en-GB")]:
        context = browser.new_context(viewport=viewport, locale=locale)
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            for path in [*paths, landscape, form_path]:  # the form last: the checks below go on from it
                if found := scan(page, f"{base}{prefix}{path}"):
                    failures[prefix + path] = found
            check_registration_errors_are_announced(page)
            if found := describe(axe_violations(page)):
                failures[f"{prefix}{form_path} with errors"] = found
            if found := check_autocomplete(page, base, prefix):
                failures[f"{prefix}/ with the search suggestions open"] = found
            manage = register_one_participant(page, base, prefix, form_path)
            if found := scan(page, f"{base}{prefix}{manage}"):
                failures[prefix + manage] = found
            if found := scan(page, base + confirmation_link(f"kontakt{len(prefix)}@example.org")):
                failures[f"{prefix}/tilmelding/<id>/bekraeft/"] = found
            if not prefix:
                check_keyboard(page, base, form_path)
                # The participant list prints on A4, without the cancel buttons and the form to add more.
                page.goto(f"{base}{manage}")
                assert_prints_cleanly(page)
                assert visible_on_paper(page, ".participants-table tbody tr") != []
                assert visible_on_paper(page, ".participants-table__action") == []
                assert_a4_pdf(page)
        finally:
            context.close()

    assert not failures, "\n\n".join(f"{url}\n{found}" for url, found in failures.items())
