"""axe-core in the browser tests: inject node_modules/axe-core/axe.min.js (installed by `make install` from
package.json) and run the WCAG 2.1 A and AA rules on the page."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def require_axe() -> None:
    if not AXE_JS.exists():
        pytest.skip(f"axe-core is not installed ({AXE_JS} is missing): run `make install` (needs npm)")


def axe_violations(page) -> list[dict]:
    """The WCAG 2.1 A/AA violations axe-core finds on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, not added as a <script>: the site's policy runs no inline script.
        page.evaluate(AXE_JS.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return result["violations"]


def describe(violations: list[dict]) -> str:
    """One line per violation and element, readable in a failed assertion."""
    lines = []
    for violation in violations:
        for node in violation["nodes"][:5]:
            lines.append(f"{violation['id']} ({violation['impact']}): {' '.join(node['target'])}: {node['html'][:160]}")
    return "\n".join(lines)


def scan(page, url: str) -> str:
    """Open the URL and return the violations described, or an empty string."""
    response = page.goto(url)
    assert response.status == 200, url
    return describe(axe_violations(page))
