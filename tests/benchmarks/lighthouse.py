"""`make lighthouse`: Lighthouse scores (mobile profile, its default) of the home page, a listing, a course page and
search results, against gunicorn on loopback with the production settings and the demo on SQLite (var/bench/).

Prints the accessibility, SEO, best-practices and performance scores per page with the audits that cost points, and
writes everything to var/bench/lighthouse.json. Needs npm's lighthouse (`make install`) and Chromium
(/usr/bin/chromium, or CHROME_PATH).

Targets (issue 6): accessibility 100, SEO 100, best practices >= 95, performance >= 95. Reported, not asserted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import PYTHON, ROOT, VAR, base_env, gunicorn, run

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --disable-sync"
DATABASE = VAR / "lighthouse-demo.sqlite3"
CATEGORIES = ["accessibility", "seo", "best-practices", "performance"]
TARGETS = {"accessibility": 100, "seo": 100, "best-practices": 95, "performance": 95}
METRICS = ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift"]
COURSE_SLUG = "saet-spot-paa-kompetencerne-naeste-hold"


def build(env: dict) -> None:
    """The demo database, built once and migrated on later runs; the static files collected."""
    fresh = not DATABASE.exists()
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    if fresh:
        print("== loading the demo", flush=True)
        run([PYTHON, "manage.py", "load_demo"], env, stdout=subprocess.DEVNULL)
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)


def targets(env: dict) -> dict[str, str]:
    script = (
        "import json\n"
        "from events.models import CoursePage, EventIndexPage\n"
        f"course = CoursePage.objects.get(slug={COURSE_SLUG!r})\n"
        "print(json.dumps({'home': '/', 'listing': EventIndexPage.objects.get().url, 'course': course.url,\n"
        "                  'search': '/search/', 'search_results': '/search/?q=verdensm%C3%A5lene'}))\n"
    )
    out = run([PYTHON, "manage.py", "shell", "-c", script], env, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def lighthouse(url: str, output: Path, attempts: int = 3) -> dict:
    """One Lighthouse run; tried again when Chromium's trace fails (NO_NAVSTART happens on a busy machine)."""
    env = {**os.environ, "CHROME_PATH": CHROME}
    for attempt in range(1, attempts + 1):
        done = subprocess.run(
            [str(LIGHTHOUSE), url, "--output=json", f"--output-path={output}", "--quiet",
             f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
            cwd=ROOT, env=env, check=attempt == attempts,
        )  # fmt: skip
        if done.returncode == 0:
            break
    return json.loads(output.read_text())


def summary(report: dict) -> dict:
    """Scores (0-100) per category and, per category, the audits that cost points."""
    audits = report["audits"]
    result = {"scores": {}, "failing": {}}
    for name in CATEGORIES:
        category = report["categories"][name]
        result["scores"][name] = round((category["score"] or 0) * 100)
        failing = []
        for ref in category["auditRefs"]:
            audit = audits[ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                failing.append(f"{ref['id']} ({audit['score']:.2f}): {audit.get('displayValue') or audit['title']}")
        result["failing"][name] = failing
    result["metrics"] = {key: audits[key].get("displayValue") for key in METRICS if key in audits}
    return result


def main() -> int:
    if not LIGHTHOUSE.exists():
        print(f"{LIGHTHOUSE} is missing: run `make install` (needs npm)", file=sys.stderr)
        return 2
    if not Path(CHROME).exists():
        print(f"Chromium not found at {CHROME} (set CHROME_PATH)", file=sys.stderr)
        return 2
    VAR.mkdir(parents=True, exist_ok=True)
    env = {**base_env(f"sqlite:///{DATABASE}"), "TASKS_BACKEND": "immediate"}
    build(env)
    urls = targets(env)
    results = {}
    with gunicorn(env, workers=2) as (_server, port):
        for name, path in urls.items():
            print(f"== lighthouse {name}: {path}", flush=True)
            report = lighthouse(f"http://127.0.0.1:{port}{path}", VAR / f"lighthouse-{name}.json")
            results[name] = {"path": path, **summary(report)}

    print()
    print(f"  {'page':<10}" + "".join(f"{name:>16}" for name in CATEGORIES))
    for name, result in results.items():
        print(f"  {name:<10}" + "".join(f"{result['scores'][c]:>16}" for c in CATEGORIES))
    print(f"  {'target':<10}" + "".join(f"{'>= ' + str(TARGETS[c]):>16}" for c in CATEGORIES))
    for name, result in results.items():
        for category, failing in result["failing"].items():
            for line in failing:
                print(f"  {name} / {category}: {line}")
    (VAR / "lighthouse.json").write_text(json.dumps({"targets": TARGETS, "results": results}, indent=2))
    print(f"\nScores written to {VAR / 'lighthouse.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
