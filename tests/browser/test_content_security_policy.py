"""The Content-Security-Policy in a real browser, on the demo: every public page type, search, the registration form
(with a row added by its script), the manage page and the competency landscape, in Danish and on /en/, carries the
strict policy and makes the browser report no violation (`securitypolicyviolation` events and console errors)."""

from __future__ import annotations

import re
from io import StringIO

from django.core.management import call_command

import pytest

from events.models import CoursePage
from network.demo.content import DEMO_PASSWORD
from tests.browser.test_accessibility import COURSE_SLUG, confirmation_link, page_paths, register_one_participant

pytestmark = pytest.mark.django_db(transaction=True)

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", e => window.__csp.push(
    `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber}) ${e.sample}`
));
"""


class Watch:
    """Each page's policy header and every violation the browser reports, for one browser context."""

    def __init__(self, context):
        self.violations: dict[str, list[str]] = {}
        self.missing: list[str] = []
        self.page = context.new_page()
        self.page.set_default_timeout(15_000)
        self.page.add_init_script(LISTEN)
        self.page.on("console", self._console)

    def _console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.violations.setdefault(self.page.url, []).append(message.text)

    def _collect(self) -> None:
        found = self.page.evaluate("window.__csp || []")
        if found:
            self.violations.setdefault(self.page.url, []).extend(found)

    def visit(self, url: str) -> None:
        response = self.page.goto(url)
        assert response.status == 200, url
        policy = response.headers.get("content-security-policy", "")
        script_src = re.search(r"script-src ([^;]*)", policy)
        if not script_src or script_src[1].strip() != "'self'" or "default-src 'self'" not in policy:
            self.missing.append(f"{url}: {policy!r}")
        self.page.wait_for_load_state("load")
        self._collect()

    def settle(self) -> None:
        """After an interaction: the violations it caused."""
        self.page.wait_for_timeout(200)
        self._collect()


def test_no_page_type_breaks_the_content_security_policy(live_server, browser):
    call_command("load_demo", stdout=StringIO())
    base = live_server.url
    course = CoursePage.objects.get(slug=COURSE_SLUG)
    form_path = f"/tilmelding/{course.pk}/"
    paths = [*page_paths(), form_path]
    violations, missing = {}, []

    for prefix, locale in [("", "da-DK"), ("/en", "en-GB")]:
        context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale=locale)
        watch = Watch(context)
        try:
            for path in paths:
                watch.visit(f"{base}{prefix}{path}")
            # The scripts at work: suggestions while typing, a participant row added in place.
            watch.visit(f"{base}{prefix}/")
            watch.page.locator("#site-search-q").press_sequentially("verdensm", delay=40)
            watch.page.get_by_role("listbox").wait_for()
            watch.settle()
            watch.visit(f"{base}{prefix}{form_path}")
            watch.page.locator("[data-add-participant]").click()
            watch.settle()
            manage = register_one_participant(watch.page, base, prefix, form_path)
            # The contact confirms the address (the e-mailed link, then its button): the landscape opens only then.
            watch.visit(f"{base}{confirmation_link(f'kontakt{len(prefix)}@example.org')}")
            watch.page.locator("main form[method=post] button[type=submit]").click()
            watch.page.wait_for_url(re.compile(r"/tilmelding/[0-9a-f-]{36}/$"))
            watch.visit(f"{base}{prefix}{manage}")
            # The competency landscape: its chart and table size themselves with style attributes.
            watch.visit(f"{base}{watch.page.locator('.registration__landscape-link a').get_attribute('href')}")
            violations.update(watch.violations)
            missing += watch.missing
        finally:
            context.close()

    assert not missing, "pages without the strict policy:\n" + "\n".join(missing)
    assert not violations, "\n\n".join(f"{url}\n" + "\n".join(found) for url, found in violations.items())


def test_an_editor_sees_the_public_site_with_the_wagtail_userbar_without_violations(live_server, browser):
    call_command("load_demo", stdout=StringIO())
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="da-DK")
    try:
        login = context.new_page()
        login.goto(f"{base}/admin/login/")
        login.fill("#id_username", "koordinator-db")
        login.fill("#id_password", DEMO_PASSWORD)
        login.locator("button[type=submit]").click()
        login.wait_for_url(f"{base}/admin/")
        watch = Watch(context)
        watch.visit(f"{base}/")
        watch.page.locator("wagtail-userbar").wait_for(state="attached")
        watch.settle()
        assert not watch.missing, watch.missing
        assert not watch.violations, watch.violations
    finally:
        context.close()
