"""`make bench`: server time and memory per page kind at N=200 and N=20,000 offerings, checked against targets.
gunicorn (2 workers) serves each database (SQLite; PostgreSQL too when DATABASE_URL points at it) with the production
settings and a Redis of its own. Each page is asked for as a cache hit (kept whole) and as a miss after a publish (the
content generation dropped before each request, so every cache is cold), beside the floor page of the same server
(robots.txt, never kept). Reported, not asserted: a table, and var/bench/results.json. `--reindex`, `--only`."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.network.redis_server import RedisServer  # noqa: E402 - after putting the project on the path

VAR = ROOT / "var" / "bench"
PYTHON = sys.executable
SEED = 1
SIZES = (200, 20_000)
REQUESTS = 100
WARMUP = 5
WORKERS = 2
# Targets, at N=20,000: the p95 of each page (search has its own) and its growth, the p95 over its own N=200 figure;
# the peak memory of the server, of generate_volume and of update_index, and update_index's time.
P95_TARGET_MS = 100.0
GROWTH_TARGET = 2.0
# A page from the cache: its median at most this many times the floor page's.
HIT_FLOOR_TARGET = 2.0
SERVER_RSS_TARGET_MB = 300
GENERATE_RSS_TARGET_MB = 500
SEARCH_P95_TARGET_MS = 150.0
UPDATE_INDEX_SECONDS_TARGET = 180
UPDATE_INDEX_RSS_TARGET_MB = 500
SEARCH_PAGES = ("search_text", "search_broad", "search_filtered", "autocomplete")
FLOOR = "floor"
# django-redis's key of network.caching.GENERATION_KEY: deleting it is what a publish does to every cache.
GENERATION_REDIS_KEY = ":1:network:content-generation"


def run(cmd: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, env=env, check=True, **kwargs)


def run_measured(cmd: list[str], env: dict, **kwargs) -> float:
    """Run a command; return its peak resident memory in MB (from the kernel's rusage of the child)."""
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, **kwargs)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed")
    return usage.ru_maxrss / 1024


def base_env(database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("ELASTICSEARCH_URL",)}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="network.settings.production",
        SECRET_KEY="bench-only-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=str(VAR / "static"),
        MEDIA_ROOT=str(VAR / "media"),
        DATABASE_CONN_MAX_AGE="600",
        PYTHONHASHSEED="0",
    )
    return env


def database_url_for(kind: str, size: int) -> str:
    if kind == "sqlite":
        return f"sqlite:///{VAR / f'bench-{size}-seed{SEED}.sqlite3'}"
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    return f"{base}/kompetencenetvaerk_bench_{size}_seed{SEED}"


def ensure_postgres_database(url: str) -> bool:
    """Create the PostgreSQL database if missing; True if it was created."""
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            return True
    return False


def markers(kind: str, size: int) -> tuple[Path, Path]:
    return VAR / f"{kind}-{size}-seed{SEED}.built.json", VAR / f"{kind}-{size}-seed{SEED}.indexed.json"


def build(kind: str, size: int) -> dict:
    """Build the volume database once; return how long it took and generate_volume's peak memory."""
    url = database_url_for(kind, size)
    marker, indexed = markers(kind, size)
    if kind == "postgres":
        created = ensure_postgres_database(url)
        if created:
            marker.unlink(missing_ok=True)
    elif not Path(url.removeprefix("sqlite:///")).exists():
        marker.unlink(missing_ok=True)
    if not marker.exists():
        indexed.unlink(missing_ok=True)  # a new database has no search index yet
    env = base_env(url)
    if marker.exists():
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)  # the schema may have moved on
        return json.loads(marker.read_text())
    print(f"== building {kind} N={size}", flush=True)
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    run([PYTHON, "manage.py", "load_demo"], env, stdout=subprocess.DEVNULL)
    started = time.monotonic()
    rss = run_measured(
        [PYTHON, "manage.py", "generate_volume", "--offerings", str(size), "--seed", str(SEED), "--skip-index"], env
    )
    info = {"generate_seconds": round(time.monotonic() - started, 1), "generate_peak_rss_mb": round(rss, 1)}
    marker.write_text(json.dumps(info))
    return info


def build_index(kind: str, size: int, *, again: bool = False) -> dict:
    """Run a full `update_index` once per database (the volume is built without it); its wall time and peak memory."""
    _, indexed = markers(kind, size)
    if indexed.exists() and not again:
        return json.loads(indexed.read_text())
    print(f"== update_index {kind} N={size}", flush=True)
    started = time.monotonic()
    rss = run_measured([PYTHON, "manage.py", "update_index"], base_env(database_url_for(kind, size)),
                       stdout=subprocess.DEVNULL)  # fmt: skip
    info = {"update_index_seconds": round(time.monotonic() - started, 1), "update_index_peak_rss_mb": round(rss, 1)}
    indexed.write_text(json.dumps(info))
    return info


def analyze(kind: str, size: int) -> None:
    """Vacuum and analyze the bulk-loaded tables, as autovacuum does on a production server after many inserts
    (some servers, like CI's, run without it): the planner's statistics, and the visibility map that lets an index
    answer alone. A plan made without them is not what production would run."""
    if kind != "postgres":
        return
    with psycopg.connect(database_url_for(kind, size), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def targets(env: dict) -> dict[str, str]:
    """The URLs of each page kind, picked from the database by a small Django script."""
    script = (
        "import json\n"
        "from network.models import InitiativePage, OfferingPage, OrganisationPage, Theme, WorkingGroupPage\n"
        "from events.models import EventPage, EventIndexPage\n"
        "from webinars.models import WebinarIndexPage, WebinarPage\n"
        "from django.utils import timezone\n"
        "theme = Theme.objects.get(slug='verdensmaal')\n"
        "event = EventPage.objects.live().filter(end__gt=timezone.now()).order_by('start').first()\n"
        "webinar = WebinarPage.objects.live().filter(end__lt=timezone.now()).order_by('-start').first()\n"
        "events = EventIndexPage.objects.get().url\n"
        "webinars = WebinarIndexPage.objects.get().url\n"
        "month = timezone.localdate().replace(day=1)\n"
        "end = (month.replace(day=28) + timezone.timedelta(days=4)).replace(day=1) - timezone.timedelta(days=1)\n"
        "print(json.dumps({\n"
        "  'home': '/',\n"
        "  'listing': events,\n"
        "  'listing_month': events + f'?from={month}&to={end}',\n"
        "  'listing_filtered': events + '?theme=verdensmaal&region=midtjylland&format=fysisk',\n"
        "  'listing_page_5': events + '?when=past&page=5',\n"
        "  'webinar_archive': webinars + '?when=past&theme=verdensmaal',\n"
        "  'theme_page': '/tema/verdensmaal/',\n"
        "  'offering_page': event.url,\n"
        "  'webinar_page': webinar.url,\n"
        "  'initiative': InitiativePage.objects.live().first().url,\n"
        "  'organisation': OrganisationPage.objects.live().first().url,\n"
        "  'working_group': WorkingGroupPage.objects.live().first().url,\n"
        "  'api_pages': '/api/v2/pages/?type=events.EventPage&fields=start,end&limit=20',\n"
        "  'rss_feed': '/feeds/nye-tilbud/',\n"
        "  'ical_feed': '/ical/alle.ics',\n"
        "  'search_text': '/search/?q=verdensm%C3%A5l+l%C3%A6seklub',\n"
        "  'search_broad': '/search/?q=bibliotekernes+personale',\n"
        "  'search_filtered': '/search/?q=inspirationsdag&theme=verdensmaal&type=event&type=course',\n"
        "  'autocomplete': '/search/autocomplete/?q=verd',\n"
        "}))\n"
    )
    out = run([PYTHON, "manage.py", "shell", "-c", script], env, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else 0.0


def wait_until_serving(port: int, *, seconds: float) -> None:
    """Until the server on `port` answers its cheapest page (robots.txt); the last error after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=2).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@contextlib.contextmanager
def gunicorn(env: dict, workers: int = 1):
    """gunicorn (sync workers, the settings in `env`) on a free loopback port, once it answers; yields the process
    and its port, and stops it afterwards."""
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "network.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_until_serving(port, seconds=30)
        yield server, port
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def fetch_ms(port: int, path: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
        response.read()
        if response.status != 200:
            raise SystemExit(f"{path}: HTTP {response.status}")
    return (time.perf_counter() - started) * 1000


def serve_and_measure(kind: str, sizes: list[int], only: str = "", names: list[str] | None = None,
                      env: dict | None = None, requests: int = REQUESTS) -> dict[int, dict]:  # fmt: skip
    """Every page kind (or those in `names`) at every size, as a cache hit and as a miss after a publish, beside the
    floor page; the sizes served side by side and asked in turn, so both meet the same drift of a shared machine and
    the growth ratio measures the archive. Each size has its own Redis database; `env`: more settings."""
    urls = {size: targets(base_env(database_url_for(kind, size))) for size in sizes}
    names = names or list(urls[sizes[0]])
    if only:
        names = [name for name in names if (name in SEARCH_PAGES) == (only == "search")]
    with contextlib.ExitStack() as stack:
        servers, redis_dbs = serve_sizes(stack, kind, sizes, VAR / "redis", env)
        workers = {size: worker_pid(server.pid) for size, (server, _port) in servers.items()}
        results: dict[int, dict] = {size: {} for size in sizes}
        rows = [(FLOOR, "hit")] + [(name, mode) for name in names for mode in ("hit", "miss")]
        for name, mode in rows:
            times: dict[int, list[float]] = {size: [] for size in sizes}
            for i in range(WARMUP + requests):
                order = sizes if i % 2 == 0 else sizes[::-1]
                for size in order:
                    if mode == "miss":
                        redis_dbs[size].delete(GENERATION_REDIS_KEY)  # what a publish does
                    path = "/robots.txt" if name == FLOOR else urls[size][name]
                    elapsed = fetch_ms(servers[size][1], path)
                    if i >= WARMUP:
                        times[size].append(elapsed)
            for size in sizes:
                results[size].setdefault(name, {})[mode] = summary(times[size])
            row = {size: results[size][name][mode] for size in sizes}
            figures = "  ".join(f"N={size}: {row[size]['median_ms']} / {row[size]['p95_ms']}" for size in sizes)
            print(f"  {kind} {name} {mode}: {figures}", flush=True)
        for size in sizes:
            results[size]["_server_peak_rss_mb"] = round(rss_mb(workers[size]), 1)
        return results


def serve_sizes(stack: contextlib.ExitStack, kind: str, sizes: list[int], redis_dir: Path, env: dict | None = None):
    """One gunicorn per size (WORKERS workers, the production settings and `env`), each on a Redis database of its
    own on one redis-server; stopped when `stack` closes. ({size: (process, port)}, {size: that Redis database})."""
    redis_server = RedisServer(redis_dir).start()
    stack.callback(redis_server.stop)
    dbs = {size: redis.Redis(host="127.0.0.1", port=redis_server.port, db=i) for i, size in enumerate(sizes)}
    servers = {}
    for i, size in enumerate(sizes):
        settings = {**base_env(database_url_for(kind, size)), "REDIS_URL": f"{redis_server.url[:-1]}{i}"}
        servers[size] = stack.enter_context(gunicorn({**settings, **(env or {})}, workers=WORKERS))
    return servers, dbs


def summary(times: list[float]) -> dict:
    ordered = sorted(times)
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[max(int(len(ordered) * 0.95) - 1, 0)], 2),
    }


def worker_pid(master: int) -> int:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children")
        pids = children.read_text().split() if children.exists() else []
        if pids:
            return int(pids[0])
        time.sleep(0.1)
    return master


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=[",".join(map(str, SIZES))], help="e.g. 200,20000 or 200 20000")
    parser.add_argument(
        "--databases", nargs="+", default=[""], help="sqlite,postgres (default: sqlite, plus postgres if set)"
    )
    parser.add_argument("--only", choices=["listing", "search"], default="", help="measure one section")
    parser.add_argument("--reindex", action="store_true", help="run update_index again on every database")
    parser.add_argument("--requests", type=int, default=REQUESTS, help="requests per page, mode and size")
    args = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    sizes = [int(size) for value in args.sizes for size in value.split(",") if size]
    databases = [kind for value in args.databases for kind in value.split(",") if kind]
    kinds = databases or ["sqlite"]
    if not databases and os.environ.get("DATABASE_URL", "").startswith("postgres"):
        kinds.append("postgres")
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], base_env(database_url_for("sqlite", sizes[0])))

    report: dict = {"seed": SEED, "requests_per_page": args.requests, "workers": WORKERS, "results": {}}
    for kind in kinds:
        built = {}
        for size in sizes:
            built[size] = build(kind, size)
            if args.only != "listing":
                built[size].update(build_index(kind, size, again=args.reindex))
            analyze(kind, size)
        measured = serve_and_measure(kind, sizes, args.only, requests=args.requests)
        for size in sizes:
            report["results"][f"{kind}-{size}"] = {**built[size], **measured[size]}
    print_table(report, kinds, sizes)
    (VAR / "results.json").write_text(json.dumps(report, indent=2))
    print(f"\nFigures written to {VAR / 'results.json'}")
    return 0


def print_table(report: dict, kinds: list[str], sizes: list[int]) -> None:
    results = report["results"]
    small, big = min(sizes), max(sizes)
    first = next(iter(results.values()))
    pages = [k for k, v in first.items() if isinstance(v, dict) and "hit" in v and k != FLOOR]
    print()
    for kind in kinds:
        a_run, b_run = results.get(f"{kind}-{small}", {}), results.get(f"{kind}-{big}", {})
        floors = {n: run_.get(FLOOR, {}).get("hit", {}) for n, run_ in ((small, a_run), (big, b_run))}
        print(f"{kind}: median / p95 in ms at N={small} | N={big}; floor (robots.txt, never kept): "
              f"{floors[small].get('median_ms', 0)} / {floors[small].get('p95_ms', 0)} | "
              f"{floors[big].get('median_ms', 0)} / {floors[big].get('p95_ms', 0)}")  # fmt: skip
        print(f"  hit: from the page cache, x floor = median over the floor's (target <= {HIT_FLOOR_TARGET:.0f}x)")
        print(f"  miss: after a publish, every cache cold, x floor as for a hit (no target); growth = p95 ratio "
              f"(target <= {GROWTH_TARGET:.0f}x, "
              f"p95 <= {P95_TARGET_MS:.0f} ms, search {SEARCH_P95_TARGET_MS:.0f} ms)")  # fmt: skip
        print(f"  {'page':<18}{'hit N=' + str(small):>16}{'hit N=' + str(big):>16}{'x floor':>12}"
              f"{'miss N=' + str(small):>17}{'miss N=' + str(big):>17}{'x floor':>12}"
              f"{'growth':>8}  target")  # fmt: skip
        for page in pages:
            a, b = a_run.get(page, {}), b_run.get(page, {})
            ha, hb, ma, mb = a.get("hit", {}), b.get("hit", {}), a.get("miss", {}), b.get("miss", {})
            ratios = [h.get("median_ms", 0) / f["median_ms"] for h, f in ((ha, floors[small]), (hb, floors[big]))
                      if f.get("median_ms")]  # fmt: skip
            # A miss over the floor as well (no target: it says what a publish costs beside the cheapest answer).
            miss_ratios = [m.get("median_ms", 0) / f["median_ms"] for m, f in ((ma, floors[small]), (mb, floors[big]))
                           if f.get("median_ms")]  # fmt: skip
            growth = (mb.get("p95_ms", 0) / ma["p95_ms"]) if ma.get("p95_ms") else 0
            target = SEARCH_P95_TARGET_MS if page in SEARCH_PAGES else P95_TARGET_MS
            ok = (max(ratios, default=0) <= HIT_FLOOR_TARGET and mb.get("p95_ms", 0) <= target
                  and growth <= GROWTH_TARGET)  # fmt: skip
            ratio_text = "/".join(f"{r:.1f}" for r in ratios)
            miss_ratio_text = "/".join(f"{r:.0f}" for r in miss_ratios)
            print(f"  {page:<18}{ha.get('median_ms', 0):>7} / {ha.get('p95_ms', 0):<6}"
                  f"{hb.get('median_ms', 0):>7} / {hb.get('p95_ms', 0):<6}{ratio_text:>10}  "
                  f"{ma.get('median_ms', 0):>7} / {ma.get('p95_ms', 0):<7}{mb.get('median_ms', 0):>7} / "
                  f"{mb.get('p95_ms', 0):<7}{miss_ratio_text:>10}"
                  f"{growth:>7.2f}x  {'ok' if ok else 'MISSED'}")  # fmt: skip
        server = b_run.get("_server_peak_rss_mb", 0)
        generate = b_run.get("generate_peak_rss_mb", 0)
        print(f"  server peak RSS at N={big}: {server} MB "
              f"({'ok' if server < SERVER_RSS_TARGET_MB else 'MISSED'}, target < {SERVER_RSS_TARGET_MB})")  # fmt: skip
        verdict = "ok" if generate < GENERATE_RSS_TARGET_MB else "MISSED"
        print(f"  generate_volume N={big}: {b_run.get('generate_seconds', 0)} s, peak RSS {generate} MB "
              f"({verdict}, target < {GENERATE_RSS_TARGET_MB})")  # fmt: skip
        if "update_index_seconds" in b_run:
            seconds, rss = b_run["update_index_seconds"], b_run["update_index_peak_rss_mb"]
            verdict = "ok" if seconds < UPDATE_INDEX_SECONDS_TARGET and rss < UPDATE_INDEX_RSS_TARGET_MB else "MISSED"
            print(f"  update_index N={big}: {seconds} s, peak RSS {rss} MB ({verdict}, target < "
                  f"{UPDATE_INDEX_SECONDS_TARGET} s and < {UPDATE_INDEX_RSS_TARGET_MB} MB)")  # fmt: skip
        print()


if __name__ == "__main__":
    sys.exit(main())
