"""`make bench-peer`: our event listing beside Wagtail CRX's event calendar, same number of events, same machine.
CRX (the PyPI package coderedcms, pinned below) is installed in its own virtual environment and scaffolded with
`coderedcms start` under var/bench/crx/; nothing of it is kept in this repository. Both sites are served by gunicorn
(2 sync workers, DEBUG off, loopback, SQLite) and asked in turn. A table, and the figures in var/bench/peer.json."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import redis  # noqa: E402

from tests.benchmarks.bench import (  # noqa: E402
    GENERATION_REDIS_KEY,
    SEED,
    SIZES,
    VAR,
    WARMUP,
    base_env,
    build,
    database_url_for,
    free_port,
    gunicorn,
    run,
    targets,
    wait_until_serving,
)
from tests.network.redis_server import RedisServer  # noqa: E402

CRX = VAR / "crx"
CRX_VENV = CRX / "venv"
CRX_SITE = CRX / "site"
# What CRX 6.0 brings, pinned so a run next year measures the same peer (Wagtail 7, wagtail-cache 3); gunicorn as ours.
CRX_REQUIREMENTS = ["coderedcms==6.0.0", "wagtail==7.4.4", "wagtail-cache==3.0.0", "Django==5.2.19", "gunicorn==27.0.1"]
REQUESTS = 200
# A page slower than this in its warm-up gets SLOW_REQUESTS, spread over the rounds: CRX's computed index at 20,000
# events takes half a minute a request, and 200 of them would take hours.
SLOW_SECONDS = 2.0
SLOW_REQUESTS = 5
CRX_TIMEOUT = 300

# The CRX site's settings: its own production settings (DEBUG off, the file cache wagtail-cache uses), this database,
# loopback, and wagtail-cache on or off (WAGTAIL_CACHE, the library's switch).
CRX_SETTINGS = """\
import os
from .prod import *  # noqa
SECRET_KEY = "bench-only-" + "x" * 50
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
TIME_ZONE = "Europe/Copenhagen"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["CRX_DB"], "CONN_MAX_AGE": 600}}
WAGTAIL_CACHE = os.environ.get("CRX_CACHE", "on") == "on"
CACHES = {"default": {**CACHES["default"], "LOCATION": os.environ.get("CRX_CACHE_DIR", str(BASE_DIR / "cache"))}}
"""

# Run by CRX's Python in its site: an event index below the home page and N events with one occurrence each, spread
# as generate_volume spreads ours (nine years back, one ahead, the same hours and lengths), deterministic for the seed.
# Small sizes go through Wagtail's add_child; large ones write the treebeard paths themselves (steps 1..N below the
# index, as add_child would number them) and insert in batches; treebeard's find_problems checks the tree after.
CRX_FILL = """\
import datetime as dt, json, os, random, sys, uuid
sys.path.insert(0, os.getcwd())
import django
django.setup()
from django.db import models, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import Page, Site
from wagtail.signal_handlers import disable_reference_index_auto_update
from website.models import EventIndexPage, EventOccurrence, EventPage

size, seed, bulk = int(os.environ["CRX_EVENTS"]), int(os.environ["CRX_SEED"]), os.environ["CRX_BULK"] == "1"
rng = random.Random(seed)
today = timezone.localdate()
topics = ["Verdensmaal i hverdagen", "Laeseklub for voksne", "Formidling for boern", "Skole og bibliotek",
          "Citizen science i praksis", "Design thinking", "Ledelse af forandring", "Digital dannelse"]

def moment():
    first = today - dt.timedelta(days=365 * 9)
    day = first + dt.timedelta(days=rng.randrange(365 * 10))
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.choice([9, 10, 13, 14]), rng.choice([0, 30]))))
    return start, start + dt.timedelta(hours=rng.choice([2, 5, 6]))

home = Site.objects.get(is_default_site=True).root_page
# CRX sets the index_order_by choices on the field all its page types share, as each page is built, so the parent
# (a WebPage) loaded during the save puts its own choices back: the index's default order is written after it.
index = EventIndexPage(title="Events", slug="events")
index.index_order_by = ""
home.add_child(instance=index)
EventIndexPage.objects.filter(pk=index.pk).update(index_order_by=EventIndexPage.index_order_by_default)
index.refresh_from_db()
post_save.disconnect(post_save_signal_handler, sender=EventPage)  # as ours: built without the search index
with disable_reference_index_auto_update(), transaction.atomic():
    now, depth = timezone.now(), index.depth + 1
    for first in range(1, size + 1, 1000):
        occurrences = []
        for n in range(first, min(first + 1000, size + 1)):
            start, end = moment()
            title, slug = f"{rng.choice(topics)} {n}", f"event-{n}"
            page = EventPage(title=title, slug=slug, translation_key=uuid.UUID(int=rng.getrandbits(128), version=4),
                             first_published_at=now, last_published_at=now)
            if not bulk:
                page.occurrences = [EventOccurrence(start=start, end=end)]
                index.add_child(instance=page)
                continue
            page.draft_title, page.path, page.depth = title, EventPage._get_path(index.path, depth, n), depth
            page.numchild, page.url_path, page.locale_id = 0, f"{index.url_path}{slug}/", index.locale_id
            models.Model.save_base(page, force_insert=True)  # the rows of each table, without Page.save's walk
            occurrences.append(EventOccurrence(event_id=page.pk, start=start, end=end))
        EventOccurrence.objects.bulk_create(occurrences)
    if bulk:
        Page.objects.filter(pk=index.pk).update(numchild=size)
problems = Page.find_problems()
assert not any(problems), f"treebeard: {problems}"
assert EventPage.objects.child_of(index).live().count() == size
print(json.dumps({"index": "/" + index.url_path.removeprefix(home.url_path), "pid": index.pk}))
"""


def crx_env(size: int, cache: str = "on") -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="crxsite.settings.bench",
        CRX_DB=str(CRX / f"crx-{size}-seed{SEED}.sqlite3"),
        CRX_CACHE=cache,
        CRX_CACHE_DIR=str(CRX / f"cache-{size}-{cache}"),
        PYTHONHASHSEED="0",
    )
    return env


def crx_python(args: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(CRX_VENV / "bin" / "python"), *args], cwd=CRX_SITE, env=env, check=True, **kwargs)


def crx_install() -> None:
    """CRX's own virtual environment and a site scaffolded by `coderedcms start`, once (again when the pins move)."""
    installed = CRX_VENV / ".installed"
    if not installed.exists() or installed.read_text() != " ".join(CRX_REQUIREMENTS):
        print("== installing Wagtail CRX", flush=True)
        subprocess.run(["python3", "-m", "venv", str(CRX_VENV)], check=True)
        subprocess.run([str(CRX_VENV / "bin" / "pip"), "install", "--quiet", *CRX_REQUIREMENTS], check=True)
        installed.write_text(" ".join(CRX_REQUIREMENTS))
    if not (CRX_SITE / "manage.py").exists():
        CRX_SITE.mkdir(parents=True, exist_ok=True)
        subprocess.run([str(CRX_VENV / "bin" / "coderedcms"), "start", "crxsite", str(CRX_SITE), "--sitename",
                        "CRX bench", "--domain", "127.0.0.1"], check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    (CRX_SITE / "crxsite" / "settings" / "bench.py").write_text(CRX_SETTINGS)


def crx_build(size: int) -> dict:
    """The CRX database with `size` events, once; where its index and calendar answer, and how long the fill took."""
    env = crx_env(size)
    marker = CRX / f"crx-{size}-seed{SEED}.built.json"
    database = Path(env["CRX_DB"])
    if marker.exists() and database.exists():
        return json.loads(marker.read_text())
    print(f"== building CRX N={size}", flush=True)
    database.unlink(missing_ok=True)
    crx_python(["manage.py", "migrate", "--noinput", "-v0"], env)
    started = time.monotonic()
    bulk = "1" if size > 1000 else "0"
    out = crx_python(["-c", CRX_FILL], {**env, "CRX_EVENTS": str(size), "CRX_SEED": str(SEED), "CRX_BULK": bulk},
                     capture_output=True, text=True).stdout  # fmt: skip
    info = {**json.loads(out.strip().splitlines()[-1]), "fill_seconds": round(time.monotonic() - started, 1),
            "fill": "bulk" if bulk == "1" else "add_child"}  # fmt: skip
    marker.write_text(json.dumps(info))
    return info


@contextlib.contextmanager
def crx_gunicorn(size: int, cache: str):
    """CRX's site under gunicorn (2 sync workers) on a free loopback port, its page cache emptied first; a long
    worker timeout, since its computed index takes longer than gunicorn's default 30 s at 20,000 events."""
    env = crx_env(size, cache)
    shutil.rmtree(env["CRX_CACHE_DIR"], ignore_errors=True)
    port = free_port()
    server = subprocess.Popen(
        [str(CRX_VENV / "bin" / "gunicorn"), "crxsite.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--timeout", str(CRX_TIMEOUT), "--log-level", "warning"],
        cwd=CRX_SITE, env=env, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_until_serving(port, seconds=60)
        yield port
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


# CRX's pages set the CSRF cookie, and wagtail-cache stores no answer that sets a cookie for a request without one;
# a returning browser sends its cookie back, and its pages come from the cache.
RETURNING_VISITOR = "csrftoken=" + "b" * 32


def fetch(port: int, path: str, *, ours: bool = False) -> tuple[float, str]:
    """Milliseconds for the whole answer, and the cache's verdict header: wagtail-cache's, or with `ours` our page
    cache's (X-Cache), asked as bench.fetch_ms asks, without a cookie."""
    headers = {} if ours else {"Cookie": RETURNING_VISITOR}
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=CRX_TIMEOUT) as response:  # noqa: S310 (http, loopback)
        response.read()
        if response.status != 200:
            raise SystemExit(f"{path}: HTTP {response.status}")
        verdict = response.headers.get("X-Cache" if ours else "X-Wagtail-Cache", "")
    return (time.perf_counter() - started) * 1000, verdict


def month_ahead(today: dt.date) -> tuple[dt.date, dt.date]:
    """The next calendar month: a month the calendar would show, with events in it at every size."""
    first = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following


def measure(size: int, requests: int) -> dict:
    """Every page of both sites at one size, asked in turn (the order turning each round); slow pages get
    SLOW_REQUESTS spread evenly over the rounds. Each page's figures and its server's floor."""
    ours_env = base_env(database_url_for("sqlite", size))
    listing = targets(ours_env)["listing"]
    redis_server = RedisServer(VAR / "redis-peer").start()
    # Ours as production runs it: whole pages from a shared Redis. The misses on a second server of ours with a Redis
    # database of its own: dropping the content generation before each of them would make the hits' next request a
    # miss as well, since the rows are asked in turn.
    ours_env["REDIS_URL"] = redis_server.url[:-1] + "0"
    fresh_env = {**ours_env, "REDIS_URL": redis_server.url[:-1] + "1"}
    generation = redis.Redis(host="127.0.0.1", port=redis_server.port, db=1)
    built = crx_build(size)
    first, following = month_ahead(dt.date.today())
    last = following - dt.timedelta(days=1)
    # FullCalendar's list-of-the-month view asks exactly the month: start and end (exclusive) with the pid.
    calendar = f"/ajax/calendar/events/?pid={built['pid']}&start={first}T00:00:00&end={following}T00:00:00"
    with contextlib.ExitStack() as stack:
        stack.callback(redis_server.stop)
        _server, ours = stack.enter_context(gunicorn(ours_env, workers=2))
        _server, fresh = stack.enter_context(gunicorn(fresh_env, workers=2))
        computed = stack.enter_context(crx_gunicorn(size, "off"))
        cached = stack.enter_context(crx_gunicorn(size, "on"))
        pages = {  # name: (port, path, whose floor)
            "ours_floor": (ours, "/robots.txt", "ours_floor"),
            "ours_listing": (ours, listing, "ours_floor"),
            "ours_month": (ours, f"{listing}?from={first}&to={last}", "ours_floor"),
            # The same two made anew, as after a publish (every cache cold): the content generation dropped first.
            "ours_fresh_floor": (fresh, "/robots.txt", "ours_fresh_floor"),
            "ours_listing_miss": (fresh, listing, "ours_fresh_floor"),
            "ours_month_miss": (fresh, f"{listing}?from={first}&to={last}", "ours_fresh_floor"),
            "crx_floor": (computed, "/robots.txt", "crx_floor"),
            "crx_index_computed": (computed, built["index"], "crx_floor"),
            "crx_calendar_month": (computed, calendar, "crx_floor"),
            "crx_cached_floor": (cached, "/robots.txt", "crx_cached_floor"),
            "crx_index_cached": (cached, built["index"], "crx_cached_floor"),
        }
        ours_ports = (ours, fresh)
        counts, verdicts = {}, {}
        for name, (port, path, _floor) in pages.items():
            for _ in range(WARMUP):  # a slow page once, unless it was a cache miss that the next request will hit
                if name.endswith("_miss"):
                    generation.delete(GENERATION_REDIS_KEY)
                elapsed, verdicts[name] = fetch(port, path, ours=port in ours_ports)
                if elapsed > SLOW_SECONDS * 1000 and verdicts[name] != "miss":
                    break
            counts[name] = SLOW_REQUESTS if elapsed > SLOW_SECONDS * 1000 else requests
        # The cache must answer the cached rows and nothing may answer the computed ones from a cache.
        if verdicts["crx_index_cached"] != "hit" or verdicts["crx_index_computed"] == "hit":
            raise SystemExit(f"wagtail-cache is not as expected: {verdicts}")
        # What our page cache answered each measured request of our rows: hit for the kept pages, miss for the rest.
        seen: dict[str, dict[str, int]] = {name: {} for name in pages if pages[name][0] in ours_ports}
        times: dict[str, list[float]] = {name: [] for name in pages}
        names = list(pages)
        for i in range(requests):
            turned = names[i % len(names) :] + names[: i % len(names)]
            for name in turned:
                stride = max(requests // counts[name], 1)
                if i % stride or len(times[name]) >= counts[name]:
                    continue
                port, path, _floor = pages[name]
                if name.endswith("_miss"):
                    generation.delete(GENERATION_REDIS_KEY)
                elapsed, verdict = fetch(port, path, ours=port in ours_ports)
                times[name].append(elapsed)
                if name in seen:
                    seen[name][verdict or "-"] = seen[name].get(verdict or "-", 0) + 1
    results = {}
    for name, (_port, path, _floor) in pages.items():
        ordered = sorted(times[name])
        results[name] = {
            "path": path,
            "requests": len(ordered),
            # Two decimals: a cache hit takes a millisecond or two, and the ratios below are made from these.
            "median_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(ordered[max(int(len(ordered) * 0.95) - 1, 0)], 2),
        }
    for name, (_port, _path, floor) in pages.items():
        results[name]["x_floor"] = round(results[name]["median_ms"] / results[floor]["median_ms"], 2)
    for name, verdicts_seen in seen.items():
        results[name]["x_cache"] = verdicts_seen
    return {"month": [str(first), str(last)], "crx_fill": built, "pages": results}


# Ours beside CRX's: what a visitor asks for in each, the listing for the index and the month filter for the calendar.
PAIRS = (
    ("ours_listing_miss", "crx_index_computed"),
    ("ours_listing", "crx_index_cached"),
    ("ours_month_miss", "crx_calendar_month"),
    ("ours_month", "crx_calendar_month"),
)


def ratios(pages: dict) -> dict:
    return {
        f"{ours}/{crx}": {
            "median": round(pages[ours]["median_ms"] / pages[crx]["median_ms"], 3),
            "x_floor": round(pages[ours]["x_floor"] / pages[crx]["x_floor"], 3),
        }
        for ours, crx in PAIRS
    }


def print_table(report: dict, sizes: list[int]) -> None:
    print("\nmedian / p95 in ms (requests), x floor = median over the floor page of the same server")
    header = "".join(f"{'N=' + str(size):>34}" for size in sizes)
    print(f"  {'page':<22}{header}")
    for name in report["results"][str(sizes[0])]["pages"]:
        cells = ""
        for size in sizes:
            page = report["results"][str(size)]["pages"][name]
            figures = f"{page['median_ms']} / {page['p95_ms']} ({page['requests']})"
            cells += f"{figures:>24}{page['x_floor']:>8}x  "
        print(f"  {name:<22}{cells}")
    print("\nours / CRX (below 1: ours is faster), raw median and each to its own floor")
    for size in sizes:
        for pair, ratio in report["results"][str(size)]["ratios"].items():
            print(f"  N={size:<7}{pair:<40}{ratio['median']:>9.3f}{ratio['x_floor']:>9.3f}")
    print("\nour page cache's answers (X-Cache) to the measured requests: every one a hit in the kept rows")
    for size in sizes:
        for name, page in report["results"][str(size)]["pages"].items():
            if "x_cache" in page:
                print(f"  N={size:<7}{name:<22}{page['x_cache']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=[",".join(map(str, SIZES))], help="e.g. 200,20000 or 200 20000")
    parser.add_argument("--requests", type=int, default=REQUESTS, help="requests per fast page")
    args = parser.parse_args()
    sizes = [int(size) for value in args.sizes for size in value.split(",") if size]
    CRX.mkdir(parents=True, exist_ok=True)
    crx_install()
    run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], base_env(database_url_for("sqlite", 200)))
    report: dict = {"seed": SEED, "crx": CRX_REQUIREMENTS, "slow_requests": SLOW_REQUESTS, "results": {}}
    for size in sizes:
        report["results"][str(size)] = {"ours_build": build("sqlite", size)}
    for size in sizes:
        print(f"== measuring N={size}", flush=True)
        measured = measure(size, args.requests)
        report["results"][str(size)].update(measured, ratios=ratios(measured["pages"]))
        (VAR / "peer.json").write_text(json.dumps(report, indent=2))  # each size as it is done: the big one is slow
    print_table(report, sizes)
    (VAR / "peer.json").write_text(json.dumps(report, indent=2))
    print(f"\nFigures written to {VAR / 'peer.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
