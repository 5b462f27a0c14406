"""`make bench-fragments`: what each cache inside a page still saves now that whole pages are kept (issue 15, §3).
The same servers as `make bench` (gunicorn, 2 workers, the production settings, a Redis of its own per size), at
N=200 and N=20,000 side by side. Each page is made anew with every other cache warm (its kept copy deleted before each
request: what a page expiring at its moment or its seats' cap costs), and again with one cache cold as well (its keys
deleted too); what that cache saves is the difference of the medians. A miss after a publish (every cache cold) is
`make bench`'s. Reported, not asserted: a table, and var/bench/fragments.json."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.benchmarks.bench import (  # noqa: E402 - after putting the project on the path
    PYTHON,
    SIZES,
    VAR,
    WORKERS,
    analyze,
    base_env,
    build,
    build_index,
    database_url_for,
    fetch_ms,
    run,
    serve_sizes,
    summary,
    targets,
)

REQUESTS = 40
WARMUP = 3
# django-redis's keys ("<prefix>:<version>:<key>"; no prefix here): the kept pages, and each cache inside them.
KEPT_PAGES = (":1:network:page:*",)
CACHES = {
    "cards": (":1:network:card:*",),
    "facet counts": (":1:network:facets:*", ":1:network:upcoming:*"),
    "menu and footer": (":1:network:menu-footer:*",),
    "site of the host": (":1:network:site:*",),
    "search ranking": (":1:network:search-ranking:*",),
    "search hits": (":1:network:search-hit:*",),
    "search vocabulary": (":1:network:search-vocabulary:*",),
    "registration form": (
        ":1:network:registration-offering:*",
        ":1:network:registration-page:*",
        ":1:template.cache.registration_form.*",
    ),
}
EVERY_PAGE = ("menu and footer", "site of the host")
PAGES = {
    "home": ("cards",),
    "listing": ("cards", "facet counts"),
    "listing_filtered": ("cards", "facet counts"),
    "listing_page_5": ("cards", "facet counts"),
    "theme_page": ("cards",),
    "offering_page": ("cards",),
    "search_text": ("search ranking", "search hits"),
    "search_broad": ("search ranking", "search hits"),  # many matches: its ranking reaches the cap and is kept
    "search_misspelled": ("search vocabulary",),  # no hits: "Mente du …?" reads the site's words
    "register_form": ("registration form",),  # never kept whole (it carries a CSRF token): always made
}
REGISTER_FORM = (
    "from django.utils import timezone\n"
    "from events.models import EventPage\n"
    "page = EventPage.objects.live().filter(registration_enabled=True, start__gt=timezone.now(),\n"
    "    registration_opens__isnull=True).order_by('start').first()\n"
    "print(f'/tilmelding/{page.pk}/')\n"
)


def delete(db: redis.Redis, patterns: tuple[str, ...]) -> None:
    for pattern in patterns:
        keys = list(db.scan_iter(match=pattern, count=5000))
        for i in range(0, len(keys), 5000):
            db.delete(*keys[i : i + 5000])


def measure(kind: str, sizes: list[int], requests: int) -> dict:
    urls = {}
    for size in sizes:
        env = base_env(database_url_for(kind, size))
        urls[size] = targets(env)
        out = run([PYTHON, "manage.py", "shell", "-c", REGISTER_FORM], env, capture_output=True, text=True).stdout
        urls[size]["register_form"] = out.strip().splitlines()[-1]
        urls[size]["search_misspelled"] = "/search/?q=verdnsmaal"
    results: dict = {size: {} for size in sizes}
    with contextlib.ExitStack() as stack:
        servers, dbs = serve_sizes(stack, kind, sizes, VAR / "redis-fragments")
        for page, own in PAGES.items():
            for mode in ("made anew", *own, *EVERY_PAGE):
                times: dict[int, list[float]] = {size: [] for size in sizes}
                for i in range(WARMUP + requests):
                    for size in sizes if i % 2 == 0 else sizes[::-1]:
                        delete(dbs[size], KEPT_PAGES + CACHES.get(mode, ()))
                        elapsed = fetch_ms(servers[size][1], urls[size][page])
                        if i >= WARMUP:
                            times[size].append(elapsed)
                for size in sizes:
                    results[size].setdefault(page, {})[mode] = summary(times[size])
                figures = "  ".join(
                    f"N={size}: {results[size][page][mode]['median_ms']} / {results[size][page][mode]['p95_ms']}"
                    for size in sizes
                )
                print(f"  {kind} {page}, {mode}: {figures}", flush=True)
    return results


def print_table(report: dict, sizes: list[int]) -> None:
    for kind, results in report["results"].items():
        print(f"\n{kind}: made anew with every cache warm, median / p95 ms; then each cache cold, and what it saves "
              "(its median less the warm one's)")  # fmt: skip
        print(f"  {'page':<18}{'cache cold':<20}" + "".join(f"{'N=' + str(size):>22}{'saves':>9}" for size in sizes))
        for page in PAGES:
            rows = results[str(sizes[0])][page]
            for mode in rows:
                cells = ""
                for size in sizes:
                    row, warm = results[str(size)][page][mode], results[str(size)][page]["made anew"]
                    saves = "" if mode == "made anew" else f"{row['median_ms'] - warm['median_ms']:.1f}"
                    cells += f"{row['median_ms']:>12} / {row['p95_ms']:<7}{saves:>9}"
                label = "(none)" if mode == "made anew" else mode
                print(f"  {page:<18}{label:<20}{cells}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=[",".join(map(str, SIZES))], help="e.g. 200,20000")
    parser.add_argument("--databases", default="", help="sqlite,postgres (default: sqlite, plus postgres if set)")
    parser.add_argument("--requests", type=int, default=REQUESTS, help="requests per page, cache and size")
    args = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    sizes = [int(size) for value in args.sizes for size in value.split(",") if size]
    kinds = [kind for kind in args.databases.split(",") if kind] or ["sqlite"]
    if not args.databases and os.environ.get("DATABASE_URL", "").startswith("postgres"):
        kinds.append("postgres")
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], base_env(database_url_for("sqlite", sizes[0])))
    report: dict = {"requests_per_row": args.requests, "workers": WORKERS, "results": {}}
    for kind in kinds:
        for size in sizes:
            build(kind, size)
            build_index(kind, size)
            analyze(kind, size)
        report["results"][kind] = {str(size): rows for size, rows in measure(kind, sizes, args.requests).items()}
    print_table(report, sizes)
    (VAR / "fragments.json").write_text(json.dumps(report, indent=2))
    print(f"\nFigures written to {VAR / 'fragments.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
