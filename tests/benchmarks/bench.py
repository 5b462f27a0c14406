"""`make bench`: server time per page kind at N=200 and N=20,000 offerings, on SQLite and (when DATABASE_URL points at
PostgreSQL) on PostgreSQL, against gunicorn on loopback with the production settings.

Reports median and p95 per page kind, the peak resident memory of the server while serving the big database and of
`generate_volume` while building it, prints a table and writes the figures to var/bench/results.json.
Databases are built once per (database, N, seed) and reused by later runs; `make bench-clean` removes them.

Targets (issue 3): p95 <= 100 ms for every page at N=20,000 and at most 2x its own N=200 figure; server peak RSS
< 300 MB; generate_volume peak RSS < 500 MB. They are reported, not asserted: speed is measured, not tested.
"""

from __future__ import annotations

import argparse
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

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var" / "bench"
PYTHON = sys.executable
SEED = 1
SIZES = (200, 20_000)
REQUESTS = 60
WARMUP = 5
P95_TARGET_MS = 100.0
GROWTH_TARGET = 2.0
SERVER_RSS_TARGET_MB = 300
GENERATE_RSS_TARGET_MB = 500


def run(cmd: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, env=env, check=True, **kwargs)


def run_measured(cmd: list[str], env: dict) -> float:
    """Run a command; return its peak resident memory in MB (from the kernel's rusage of the child)."""
    process = subprocess.Popen(cmd, cwd=ROOT, env=env)
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
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            return True
    return False


def build(kind: str, size: int) -> dict:
    """Build the volume database once; return how long it took and generate_volume's peak memory."""
    url = database_url_for(kind, size)
    marker = VAR / f"{kind}-{size}-seed{SEED}.built.json"
    if kind == "postgres":
        created = ensure_postgres_database(url)
        if created:
            marker.unlink(missing_ok=True)
    elif not Path(url.removeprefix("sqlite:///")).exists():
        marker.unlink(missing_ok=True)
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def targets(env: dict) -> dict[str, str]:
    """The URLs of each page kind, picked from the database by a small Django script."""
    script = (
        "import json\n"
        "from network.models import OfferingPage, Theme\n"
        "from events.models import EventPage, EventIndexPage\n"
        "from webinars.models import WebinarIndexPage\n"
        "from django.utils import timezone\n"
        "theme = Theme.objects.get(slug='verdensmaal')\n"
        "event = EventPage.objects.live().filter(end__gt=timezone.now()).order_by('start').first()\n"
        "events = EventIndexPage.objects.get().url\n"
        "webinars = WebinarIndexPage.objects.get().url\n"
        "print(json.dumps({\n"
        "  'listing': events,\n"
        "  'listing_filtered': events + '?theme=verdensmaal&region=midtjylland&format=fysisk',\n"
        "  'listing_page_5': events + '?when=past&page=5',\n"
        "  'webinar_archive': webinars + '?when=past&theme=verdensmaal',\n"
        "  'theme_page': '/tema/verdensmaal/',\n"
        "  'offering_page': event.url,\n"
        "  'rss_feed': '/feeds/nye-tilbud/',\n"
        "  'ical_feed': '/ical/alle.ics',\n"
        "}))\n"
    )
    out = run([PYTHON, "manage.py", "shell", "-c", script], env, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else 0.0


def serve_and_measure(kind: str, size: int) -> dict:
    env = base_env(database_url_for(kind, size))
    urls = targets(env)
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "network.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=2).read()  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        worker = worker_pid(server.pid)
        results = {}
        for name, path in urls.items():
            times = []
            for i in range(WARMUP + REQUESTS):
                started = time.perf_counter()
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:  # noqa: S310
                    response.read()
                    if response.status != 200:
                        raise SystemExit(f"{path}: HTTP {response.status}")
                elapsed = (time.perf_counter() - started) * 1000
                if i >= WARMUP:
                    times.append(elapsed)
            times.sort()
            results[name] = {
                "median_ms": round(statistics.median(times), 1),
                "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
            }
        results["_server_peak_rss_mb"] = round(rss_mb(worker), 1)
        return results
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


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
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--databases", default="", help="sqlite,postgres (default: sqlite, plus postgres if set)")
    args = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    kinds = args.databases.split(",") if args.databases else ["sqlite"]
    if not args.databases and os.environ.get("DATABASE_URL", "").startswith("postgres"):
        kinds.append("postgres")
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], base_env(database_url_for("sqlite", sizes[0])))

    report: dict = {"seed": SEED, "requests_per_page": REQUESTS, "results": {}}
    for kind in kinds:
        for size in sizes:
            built = build(kind, size)
            measured = serve_and_measure(kind, size)
            report["results"][f"{kind}-{size}"] = {**built, **measured}
    print_table(report, kinds, sizes)
    (VAR / "results.json").write_text(json.dumps(report, indent=2))
    print(f"\nFigures written to {VAR / 'results.json'}")
    return 0


def print_table(report: dict, kinds: list[str], sizes: list[int]) -> None:
    results = report["results"]
    small, big = min(sizes), max(sizes)
    first = next(iter(results.values()))
    pages = [k for k, v in first.items() if isinstance(v, dict)]
    print()
    for kind in kinds:
        print(f"{kind}: median / p95 in ms (N={small} | N={big}), growth = p95 ratio")
        print(f"  {'page':<18}{'N=' + str(small):>18}{'N=' + str(big):>18}{'growth':>9}  target")
        for page in pages:
            a = results.get(f"{kind}-{small}", {}).get(page, {})
            b = results.get(f"{kind}-{big}", {}).get(page, {})
            growth = (b.get("p95_ms", 0) / a["p95_ms"]) if a.get("p95_ms") else 0
            ok = b.get("p95_ms", 0) <= P95_TARGET_MS and growth <= GROWTH_TARGET
            print(f"  {page:<18}{a.get('median_ms', 0):>8} / {a.get('p95_ms', 0):<7}{b.get('median_ms', 0):>8} / "
                  f"{b.get('p95_ms', 0):<7}{growth:>8.2f}x  {'ok' if ok else 'MISSED'}")  # fmt: skip
        big_run = results.get(f"{kind}-{big}", {})
        server = big_run.get("_server_peak_rss_mb", 0)
        generate = big_run.get("generate_peak_rss_mb", 0)
        print(f"  server peak RSS at N={big}: {server} MB "
              f"({'ok' if server < SERVER_RSS_TARGET_MB else 'MISSED'}, target < {SERVER_RSS_TARGET_MB})")  # fmt: skip
        verdict = "ok" if generate < GENERATE_RSS_TARGET_MB else "MISSED"
        print(f"  generate_volume N={big}: {big_run.get('generate_seconds', 0)} s, peak RSS {generate} MB "
              f"({verdict}, target < {GENERATE_RSS_TARGET_MB})")  # fmt: skip
        print()


if __name__ == "__main__":
    sys.exit(main())
