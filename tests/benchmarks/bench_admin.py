"""`make bench-admin`: the coordinators' admin screens at 2,000 and at 200,000 participants, side by side.

Two volume databases (`generate_volume --offerings N --participants P`, kept in var/bench/): 200 offerings with
2,000 participants, and 20,000 offerings with 200,000. Each has a course with 2,000 participants and a section
holding a quarter of the offerings (5,000 of 20,000). gunicorn serves both with the production settings, and the
screens are asked of both in turn, logged in as a coordinator of the volume's sections (and as the
Persondataansvarlig for the person look-up, which searches the whole network): the dashboard, the registrations
overview, the course's registrations and its CSV and XLSX export, the person look-up, a library's competency
landscape, the page explorer of the large section, the page editor of the course, and the evaluation results of
the course and of its initiative (`generate_volume --evaluations`, run on every build, adds their answers once).
Median and p95 per screen and size, and the server's peak memory before and after the exports. Target: the p95 at
200,000 within 2x of its figure at 2,000. Reported, not asserted: a table, and var/bench/admin.json. SQLite, and
PostgreSQL when DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.benchmarks.bench import (  # noqa: E402 - the page benchmark's helpers, after putting the project on the path
    PYTHON,
    SEED,
    VAR,
    base_env,
    ensure_postgres_database,
    gunicorn,
    rss_mb,
    run,
    run_measured,
    worker_pid,
)

# participants: offerings
SIZES = {2_000: 200, 200_000: 20_000}
REQUESTS = 30
WARMUP = 3
GROWTH_TARGET = 2.0
EXPORTS = ("offering_csv", "offering_xlsx")

SETUP = """
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from events.models import CoursePage
from events.registration.models import Participant
from network.models import InitiativePage, Library
from network.services import coordinator_group_ensure, personal_data_group_ensure

User = get_user_model()
sections = list(InitiativePage.objects.filter(slug__startswith="volumen-").order_by("path"))
groups = {
    "bench-koordinator": coordinator_group_ensure(name="Koordinatorer – Volumen", sections=sections),
    "bench-persondata": personal_data_group_ensure(),
}
sessions = {}
for username, group in groups.items():
    user, _ = User.objects.get_or_create(username=username, defaults={"email": username + "@example.org"})
    user.groups.add(group)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    sessions[username] = session.session_key
course = CoursePage.objects.child_of(sections[0]).order_by("path").first()
offering = reverse("registration_admin:offering", args=[course.pk])
# A person with a participation in the large section, found by the network-wide role.
email = Participant.objects.filter(offering__path__startswith=sections[0].path).order_by("pk")[500].email
library = Library.objects.order_by("pk").first()
print(json.dumps({"sessions": sessions, "urls": {
    "dashboard": ("bench-koordinator", reverse("wagtailadmin_home")),
    "overview": ("bench-koordinator", reverse("registration_admin:overview")),
    "offering": ("bench-koordinator", offering),
    "offering_csv": ("bench-koordinator", offering + "?export=csv"),
    "offering_xlsx": ("bench-koordinator", offering + "?export=xlsx"),
    "person_lookup": ("bench-persondata", reverse("registration_admin:person") + "?email=" + email),
    "landscape": ("bench-koordinator", reverse("registration_admin:landscape", args=[library.pk])),
    "explorer": ("bench-koordinator", reverse("wagtailadmin_explore", args=[sections[0].pk])),
    "page_editor": ("bench-koordinator", reverse("wagtailadmin_pages:edit", args=[course.pk])),
    "funders_report": ("bench-koordinator", reverse("registration_admin:funders_report", args=[sections[0].pk])),
    "evaluation": ("bench-koordinator", reverse("registration_admin:evaluation", args=[course.pk])),
    "evaluation_initiative": (
        "bench-koordinator", reverse("registration_admin:initiative_evaluation", args=[sections[0].pk])
    ),
}}))
"""


def database_url_for(kind: str, participants: int) -> str:
    if kind == "sqlite":
        return f"sqlite:///{VAR / f'admin-{participants}-seed{SEED}.sqlite3'}"
    base, name = os.environ["DATABASE_URL"].rsplit("/", 1)
    return f"{base}/{name}_bench_admin_{participants}_seed{SEED}"


def build(kind: str, participants: int) -> dict:
    """Build the volume database once; return how long generate_volume took and its peak memory."""
    url = database_url_for(kind, participants)
    marker = VAR / f"admin-{kind}-{participants}-seed{SEED}.built.json"
    if kind == "postgres":
        if ensure_postgres_database(url):
            marker.unlink(missing_ok=True)
    elif not Path(url.removeprefix("sqlite:///")).exists():
        marker.unlink(missing_ok=True)
    env = base_env(url)
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    if marker.exists():
        return with_evaluations(env, json.loads(marker.read_text()))
    print(f"== building {kind} with {participants} participants", flush=True)
    run([PYTHON, "manage.py", "load_demo"], env, stdout=subprocess.DEVNULL)
    offerings = SIZES[participants]
    started = time.monotonic()
    rss = run_measured(
        [PYTHON, "manage.py", "generate_volume", "--offerings", str(offerings), "--participants", str(participants),
         "--seed", str(SEED), "--skip-index"],
        env, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    info = {"generate_seconds": round(time.monotonic() - started, 1), "generate_peak_rss_mb": round(rss, 1)}
    if kind == "postgres":  # the planner's statistics after a bulk load, as autovacuum would gather them
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
    marker.write_text(json.dumps(info))
    return with_evaluations(env, info)


def with_evaluations(env: dict, info: dict) -> dict:
    """The evaluation answers, added to a volume built before them too (the step skips courses that have some)."""
    run([PYTHON, "manage.py", "generate_volume", "--evaluations", "--seed", str(SEED)], env, stdout=subprocess.DEVNULL)
    return info


def setup(env: dict) -> dict:
    out = run([PYTHON, "manage.py", "shell", "-c", SETUP], env, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def fetch_ms(port: int, path: str, session: str) -> float:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": f"sessionid={session}"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
        response.read()
        if response.status != 200 or "/login/" in response.url:
            raise SystemExit(f"{path}: HTTP {response.status} at {response.url}")
    return (time.perf_counter() - started) * 1000


def measure(kind: str, sizes: list[int], requests: int) -> dict[int, dict]:
    """Every screen at every size, the sizes served side by side and asked in turn (so both meet the same drift of a
    shared machine); the worker's peak memory before and after the exports."""
    targets = {size: setup(base_env(database_url_for(kind, size))) for size in sizes}
    names = list(targets[sizes[0]]["urls"])
    results: dict[int, dict] = {size: {} for size in sizes}
    with contextlib.ExitStack() as stack:
        servers = {size: stack.enter_context(gunicorn(base_env(database_url_for(kind, size)))) for size in sizes}
        workers = {size: worker_pid(server.pid) for size, (server, _port) in servers.items()}
        for name in names:
            if name == EXPORTS[0]:
                for size in sizes:
                    results[size]["_rss_before_exports_mb"] = round(rss_mb(workers[size]), 1)
            times: dict[int, list[float]] = {size: [] for size in sizes}
            for i in range(WARMUP + requests):
                for size in sizes if i % 2 == 0 else sizes[::-1]:
                    user, path = targets[size]["urls"][name]
                    elapsed = fetch_ms(servers[size][1], path, targets[size]["sessions"][user])
                    if i >= WARMUP:
                        times[size].append(elapsed)
            for size in sizes:
                ordered = sorted(times[size])
                results[size][name] = {
                    "median_ms": round(statistics.median(ordered), 1),
                    "p95_ms": round(ordered[max(int(len(ordered) * 0.95) - 1, 0)], 1),
                }
            print(f"  {name}: " + ", ".join(f"{size:,}: {results[size][name]}" for size in sizes), flush=True)
            if name == EXPORTS[-1]:
                for size in sizes:
                    results[size]["_rss_after_exports_mb"] = round(rss_mb(workers[size]), 1)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=REQUESTS, help="requests per screen and size")
    parser.add_argument(
        "--databases", nargs="+", default=[""], help="sqlite,postgres (default: sqlite, plus postgres if set)"
    )
    args = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    sizes = sorted(SIZES)
    databases = [kind for value in args.databases for kind in value.split(",") if kind]
    kinds = databases or ["sqlite"]
    if not databases and os.environ.get("DATABASE_URL", "").startswith("postgres"):
        kinds.append("postgres")
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], base_env(database_url_for("sqlite", sizes[0])))
    report: dict = {"seed": SEED, "requests_per_screen": args.requests, "results": {}}
    for kind in kinds:
        built = {size: build(kind, size) for size in sizes}
        measured = measure(kind, sizes, args.requests)
        for size in sizes:
            report["results"][f"{kind}-{size}"] = {"offerings": SIZES[size], **built[size], **measured[size]}
    print_table(report, kinds, sizes)
    (VAR / "admin.json").write_text(json.dumps(report, indent=2))
    print(f"\nFigures written to {VAR / 'admin.json'}")
    return 0


def print_table(report: dict, kinds: list[str], sizes: list[int]) -> None:
    results = report["results"]
    small, big = min(sizes), max(sizes)
    for kind in kinds:
        a, b = results[f"{kind}-{small}"], results[f"{kind}-{big}"]
        print(f"\n{kind}: median / p95 in ms ({small:,} | {big:,} participants), growth = p95 ratio")
        print(f"  {'screen':<16}{f'{small:,}':>18}{f'{big:,}':>18}{'growth':>9}  target <= {GROWTH_TARGET:.0f}x")
        for name, small_figures in a.items():
            if not isinstance(small_figures, dict):
                continue
            big_figures = b[name]
            growth = big_figures["p95_ms"] / small_figures["p95_ms"] if small_figures["p95_ms"] else 0
            print(f"  {name:<16}{small_figures['median_ms']:>8} / {small_figures['p95_ms']:<7}"
                  f"{big_figures['median_ms']:>8} / {big_figures['p95_ms']:<7}{growth:>8.2f}x  "
                  f"{'ok' if growth <= GROWTH_TARGET else 'MISSED'}")  # fmt: skip
        for size, figures in ((small, a), (big, b)):
            print(f"  server peak RSS at {size:,}: {figures['_rss_before_exports_mb']} MB before the exports, "
                  f"{figures['_rss_after_exports_mb']} MB after")  # fmt: skip
        print(f"  generate_volume at {big:,}: {b['generate_seconds']} s, peak RSS {b['generate_peak_rss_mb']} MB")


if __name__ == "__main__":
    sys.exit(main())
