"""Printing in the browser tests: what the print stylesheet hides and shows, and the size of a PDF's pages."""

from __future__ import annotations

import re

# An A4 page in PDF points (210 x 297 mm); Chromium rounds to whole device pixels, so allow a point or two.
A4_POINTS = (595.3, 841.9)
# On paper only the content: never the navigation, the footer, the search box, buttons or forms.
HIDDEN_ON_PAPER = [".skip-link", ".main-nav", ".site-footer", ".site-search", "main form", "button"]


def visible_on_paper(page, selector: str) -> list[str]:
    """The elements of the selector that would be printed (the page must emulate print media)."""
    return page.evaluate(
        """selector => [...document.querySelectorAll(selector)]
            .filter(el => el.getClientRects().length > 0)
            .map(el => el.outerHTML.slice(0, 120))""",
        selector,
    )


def assert_prints_cleanly(page) -> None:
    """Emulating print media: chrome hidden, readable body text, A4 page size from @page."""
    page.emulate_media(media="print")
    for selector in HIDDEN_ON_PAPER:
        assert visible_on_paper(page, selector) == [], f"{selector} is printed on {page.url}"
    assert visible_on_paper(page, "main h1"), page.url
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert 13 <= size <= 16, f"body text is {size}px on paper"  # 11pt = 14.7px
    for link in page.locator("main a[href^='http']").all():
        after = link.evaluate("a => getComputedStyle(a, '::after').content")
        assert link.get_attribute("href") in after, f"no address printed after {link.get_attribute('href')}"


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height in points of every page of a PDF written by Chromium."""
    return [(float(w), float(h)) for w, h in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)]


def assert_a4_pdf(page) -> list[tuple[float, float]]:
    """Print the page to PDF with the page size of its print stylesheet; every page is A4."""
    pages = pdf_pages(page.pdf(prefer_css_page_size=True, print_background=False))
    assert pages, "no pages in the PDF"
    for width, height in pages:
        assert abs(width - A4_POINTS[0]) < 2 and abs(height - A4_POINTS[1]) < 2, (width, height)
    return pages
