"""The funders' report in a real browser: a coordinator opens it from the registrations menu, axe finds nothing,
and it prints on A4 without the admin around it."""

from __future__ import annotations

import os
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from network.models import InitiativePage
from tests.browser.axe import axe_violations, describe, require_axe
from tests.browser.printing import assert_a4_pdf, visible_on_paper
from tests.browser.test_coordinator_publishes import log_in

SHOTS = Path(os.environ.get("FUNDERS_SCREENSHOTS", "")) if os.environ.get("FUNDERS_SCREENSHOTS") else None
# On paper: the report only, none of Wagtail's sidebar, header, breadcrumbs, the period's form or its buttons.
ADMIN_CHROME = ["#wagtail-sidebar", "aside", ".w-breadcrumbs", "main form", "button", ".funders-presets"]


def test_a_coordinator_opens_the_report_reads_it_without_violations_and_prints_it_on_a4(live_server, page):
    require_axe()
    call_command("load_demo", stdout=StringIO())
    initiative = InitiativePage.objects.get(slug="kompetenceudvikling-af-bibliotekspersonale")
    base = live_server.url
    log_in(page, base, "koordinator-db")

    page.goto(f"{base}/admin/tilmeldinger/bevillingsrapport/")
    page.get_by_role("link", name=initiative.title).click()
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-figure=offerings]").count() == 1
    assert describe(axe_violations(page)) == ""
    page.get_by_label("Fra").fill("2020-01-01")
    page.get_by_label("Til og med").fill("2030-12-31")
    page.get_by_role("button", name="Vis", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert "fra=2020-01-01" in page.url and "til=2030-12-31" in page.url
    assert describe(axe_violations(page)) == ""
    if SHOTS:
        page.screenshot(path=str(SHOTS / "funders-screen.png"), full_page=True)

    page.emulate_media(media="print")
    for selector in ADMIN_CHROME:
        assert visible_on_paper(page, selector) == [], f"{selector} is printed"
    assert visible_on_paper(page, "main h1.funders-print-title")
    assert visible_on_paper(page, ".funders-report table")
    if SHOTS:
        page.screenshot(path=str(SHOTS / "funders-print.png"), full_page=True)
        (SHOTS / "funders.pdf").write_bytes(page.pdf(prefer_css_page_size=True))
    assert assert_a4_pdf(page)

    # Bad input in the browser: the Danish message, no report.
    page.emulate_media(media="screen")
    page.goto(f"{base}/admin/tilmeldinger/bevillingsrapport/{initiative.pk}/?fra=2025-12-31&til=2025-01-01")
    assert page.get_by_role("alert").first.inner_text().strip() == "Til-datoen må ikke ligge før fra-datoen."
    assert page.locator("[data-figure=offerings]").count() == 0
