"""Load and faults: 100 visitors browse listings, search and offering pages while 20 library contacts register and
cancel, against nginx in front of two gunicorn pools (3 workers for the pages, 2 for the registration; the servers in
loadtest_servers.py) + PostgreSQL + Redis with the production settings on loopback; then the same with Redis stopped
for a minute and with the database's connections killed for a few seconds.

Each run reports requests, median and p95 per kind and errors (before, during and after a fault), and checks the
seats in the database afterwards: no offering over capacity, nobody waiting while a seat is free, waiting places
without gaps, no registration without its participants or its receipt, every registration a contact was shown in the
database. `make loadtest` runs it (README, "Load and faults"); LOADTEST_SECONDS (300) sets the length of each run.
Reported, not asserted (the exit status is 1 when the seats do not add up or errors happen outside a fault).

`--scenario round` (`make loadtest-round`): a registration round opening to every library at once, in
loadtest_round.py.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.benchmarks.bench import (  # noqa: E402
    PYTHON,
    VAR,
    base_env,
    ensure_postgres_database,
    run,
)
from tests.benchmarks.loadtest_clients import Recorder, Sample, Visitor, browse, contact  # noqa: E402
from tests.benchmarks.loadtest_servers import Worker, drain, kill_connections, servers  # noqa: E402
from tests.network.redis_server import RedisServer  # noqa: E402

OFFERING_SLUG = "belastningstest-{n}"

SETUP = """
import datetime as dt, json
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from events.models import CourseIndexPage, EventIndexPage, EventPage
from events.registration.models import OutboxMessage, Registration
from network.models import Library, Municipality, OfferingPage, Theme
from webinars.models import WebinarIndexPage

pages = []
for n in range(1, {offerings} + 1):
    page = EventPage.objects.filter(slug="{slug}".format(n=n)).first()
    if page is None:
        start = timezone.now() + dt.timedelta(days=60 + n)
        page = EventIndexPage.objects.get().add_child(instance=EventPage(
            title=f"Belastningstest {{n}}: inspirationsdag", slug="{slug}".format(n=n), intro="Til belastningstesten.",
            start=start, end=start + dt.timedelta(hours=6), venue_name="Herning Bibliotekerne", city="Herning",
            postcode="7400", municipality=Municipality.objects.get(name="Herning"),
            registration_enabled=True, capacity={capacity}, waiting_list=True,
        ))
    elif page.capacity != {capacity}:
        page.capacity = {capacity}
        page.save_revision().publish()
    pages.append(page)
with transaction.atomic():  # a fresh start: the registrations, e-mails and tasks of earlier runs
    old = Registration.objects.filter(offering__in=pages)
    OutboxMessage.objects.filter(registration__in=old).delete()
    old.delete()
    DBTaskResult.objects.all().delete()
events, courses = EventIndexPage.objects.get().url, CourseIndexPage.objects.get().url
themes = list(Theme.objects.values_list("slug", flat=True)[:6])
listings = [events, courses, WebinarIndexPage.objects.get().url + "?when=past", events + "?when=past&page=2"]
listings += [events + "?theme=" + slug for slug in themes] + [courses + "?theme=" + slug for slug in themes[:2]]
offering_pages = [p.url for p in OfferingPage.objects.live().public().order_by("-first_published_at")[:60]]
print(json.dumps({{
    "offerings": [p.pk for p in pages], "libraries": list(Library.objects.values_list("pk", flat=True)),
    "listings": listings, "offering_pages": offering_pages,
}}))
"""

CHECK = """
import json
from django.db.models import Count
from events.models import EventPage
from events.registration import selectors
from events.registration.models import OutboxMessage, Participant, Registration
offerings = []
for page in EventPage.objects.filter(pk__in={ids}):
    counts = selectors.participant_counts(offering_id=page.pk)
    positions = sorted(selectors.waiting_positions(offering_id=page.pk).values())
    offerings.append({{"id": page.pk, "capacity": page.capacity, **counts,
                       "positions_gapless": positions == list(range(1, counts["waiting"] + 1))}})
registrations = Registration.objects.filter(offering_id__in={ids})
outbox = OutboxMessage.objects.filter(registration__in=registrations)
print(json.dumps({{
    "offerings": offerings,
    "contacts": list(registrations.values_list("contact_email", flat=True)),
    "without_participants": registrations.annotate(n=Count("participants")).filter(n=0).count(),
    "without_receipt": registrations.exclude(pk__in=outbox.values("registration_id")).count(),
    "outbox": {{row["status"]: row["n"] for row in outbox.values("status").annotate(n=Count("pk"))}},
}}))
"""


def shell(env: dict, script: str) -> dict:
    out = run([PYTHON, "manage.py", "shell", "-c", script], env, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


# --- One run -------------------------------------------------------------------------------------------------------


def one_run(fault: str, args, env: dict, database_url: str, redis: RedisServer) -> dict:
    setup = shell(env, SETUP.format(offerings=args.offerings, capacity=args.capacity, slug=OFFERING_SLUG))
    recorder, stop = Recorder(), threading.Event()
    window: dict[str, float | int] = {}
    with (
        servers(env, args, fault) as pools,
        Worker(env, VAR / f"loadtest-{fault}-worker.log") as worker,
    ):
        base = pools.base
        recorder.started = time.monotonic()
        threads = [
            threading.Thread(target=browse, args=(Visitor(base, recorder), setup, stop, args.think))
            for _ in range(args.visitors)
        ]
        threads += [
            threading.Thread(target=contact, args=(Visitor(base, recorder), setup, stop, args.think, f"{i}"))
            for i in range(args.contacts)
        ]
        for thread in threads:
            thread.start()
        if fault != "none":
            time.sleep(args.fault_at)
            window["start"] = time.monotonic() - recorder.started
            if fault == "redis":
                redis.stop()
                time.sleep(args.redis_down)
                redis.start()
            else:
                window["killed"] = kill_connections(database_url, database_url.rsplit("/", 1)[1], args.database_down)
            window["end"] = time.monotonic() - recorder.started
        time.sleep(max(args.seconds - (time.monotonic() - recorder.started), 0))
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        elapsed = time.monotonic() - recorder.started
        drain(database_url, seconds=60)  # the e-mails of the last registrations, sent by the worker
        restarts = worker.restarts
        stats = redis.client().info("stats")  # since Redis (re)started: the cache is used again after the fault
        redis_use = {
            "keys": redis.client().dbsize(),
            "hits": stats["keyspace_hits"],
            "misses": stats["keyspace_misses"],
        }
        log = pools.log_text()
    check = shell(env, CHECK.format(ids=setup["offerings"]))
    return {
        "fault": fault,
        "seconds": round(elapsed, 1),
        "window": window,
        "worker_restarts": restarts,
        "redis_at_the_end": redis_use,
        "kinds": summarise(recorder.samples),
        "phases": phases(recorder.samples, window),
        "error_samples": sorted({s.error for s in recorder.samples if s.error})[:5],
        "seats": seats(check, recorder),
        "cache_log_lines": log.count("Exception ignored"),
        "server_errors_logged": log.count("Internal Server Error"),
    }


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(int(round(len(ordered) * p / 100)) - 1, 0)] if ordered else 0.0


def summarise(samples: list[Sample]) -> dict:
    kinds = {}
    for kind in sorted({s.kind for s in samples}):
        ms = [s.ms for s in samples if s.kind == kind]
        kinds[kind] = {
            "requests": len(ms),
            "p50_ms": round(statistics.median(ms), 1),
            "p95_ms": round(percentile(ms, 95), 1),
            "errors": sum(1 for s in samples if s.kind == kind and s.error),
        }
    return kinds


def phases(samples: list[Sample], window: dict) -> dict:
    """Requests and errors before, during and after the fault (the whole run when there is none): during, every
    request that was under way at some time of the fault; before, those that ended before it; after, those that
    began after it."""
    if not window:
        return {"whole run": summary_of(samples)}
    start, end = window["start"], window["end"]
    return {
        "before": summary_of([s for s in samples if s.at + s.ms / 1000 < start]),
        "during": summary_of([s for s in samples if s.at <= end and s.at + s.ms / 1000 >= start]),
        "after": summary_of([s for s in samples if s.at > end]),
    }


def summary_of(samples: list[Sample]) -> dict:
    ms = [s.ms for s in samples]
    return {
        "requests": len(ms),
        "errors": sum(1 for s in samples if s.error),
        "p50_ms": round(statistics.median(ms), 1) if ms else 0.0,
        "p95_ms": round(percentile(ms, 95), 1),
    }


def seats(check: dict, recorder: Recorder) -> dict:
    offerings = check["offerings"]
    in_database = set(check["contacts"])
    result = {
        "offerings": len(offerings),
        "over_capacity": sum(1 for o in offerings if o["confirmed"] > o["capacity"]),
        "waiting_while_seat_free": sum(1 for o in offerings if o["waiting"] and o["confirmed"] < o["capacity"]),
        "waiting_gaps": sum(1 for o in offerings if not o["positions_gapless"]),
        "confirmed": sum(o["confirmed"] for o in offerings),
        "waiting": sum(o["waiting"] for o in offerings),
        "cancelled": sum(o["cancelled"] for o in offerings),
        "cancels_shown": recorder.cancelled,
        "registrations": len(in_database),
        "registrations_shown": len(recorder.registered),
        # a registration the site showed its contact that is not in the database, and the reverse (a request that
        # failed on its way back after its transaction committed)
        "shown_but_missing": len(set(recorder.registered) - in_database),
        "stored_not_shown": len(in_database - set(recorder.registered)),
        "without_participants": check["without_participants"],
        "without_receipt": check["without_receipt"],
        "outbox": check["outbox"],
    }
    result["ok"] = not any(
        result[k]
        for k in (
            "over_capacity",
            "waiting_while_seat_free",
            "waiting_gaps",
            "shown_but_missing",
            "without_participants",
            "without_receipt",
        )
    )
    return result


def print_report(r: dict) -> None:
    print(f"\n== load test, fault: {r['fault']} ({r['seconds']} s)", end="")
    if r["window"]:
        w = r["window"]
        print(
            f"; fault from {w['start']:.0f} s to {w['end']:.0f} s"
            + (f", {w['killed']} connections killed" if "killed" in w else ""),
            end="",
        )
    print(f"\n  {'kind':<16}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}")
    for kind, k in r["kinds"].items():
        print(f"  {kind:<16}{k['requests']:>9}{k['p50_ms']:>9}{k['p95_ms']:>9}{k['errors']:>8}")
    for phase, p in r["phases"].items():
        print(f"  {phase:<16}{p['requests']:>9}{p['p50_ms']:>9}{p['p95_ms']:>9}{p['errors']:>8}")
    s = r["seats"]
    print(
        f"  seats: {s['offerings']} offerings, {s['confirmed']} confirmed, {s['waiting']} waiting, {s['cancelled']} "
        f"cancelled ({s['cancels_shown']} cancellations shown); over capacity {s['over_capacity']}, waiting while a "
        f"seat is free {s['waiting_while_seat_free']}, gaps {s['waiting_gaps']}"
    )
    print(
        f"  registrations: {s['registrations']} stored, {s['registrations_shown']} shown to their contact, "
        f"{s['shown_but_missing']} shown but missing, {s['stored_not_shown']} stored but not shown; without "
        f"participants {s['without_participants']}, without receipt {s['without_receipt']}; e-mails {s['outbox']}"
    )
    print(
        f"  consistent: {'yes' if s['ok'] else 'NO'}; db_worker restarts {r['worker_restarts']}; cache errors logged "
        f"{r['cache_log_lines']}, server errors logged {r['server_errors_logged']}"
    )
    use = r["redis_at_the_end"]
    print(f"  Redis at the end (since it last started): {use['keys']} keys, {use['hits']} hits, {use['misses']} misses")
    for error in r["error_samples"]:
        print(f"  e.g. {error}")


# The defaults of each scenario: (faults, round).
DEFAULTS = {
    "seconds": (300.0, 90.0),
    "visitors": (100, 200),
    "contacts": (20, 50),
    "think": (5.0, 0.75),
    "capacity": (15, 40),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scenario",
        choices=("faults", "round"),
        default="faults",
        help="faults: browsing and registering, with the faults of --faults; round: a registration round opening",
    )
    parser.add_argument("--seconds", type=float, default=None, help="of each run (LOADTEST_SECONDS; 300, round 90)")
    parser.add_argument(
        "--faults",
        default=os.environ.get("LOADTEST_FAULTS", "none,redis,database"),
        help="comma-separated runs: none, redis (stopped), database (connections killed)",
    )
    parser.add_argument("--visitors", type=int, default=None, help="100 (round: 200)")
    parser.add_argument("--contacts", type=int, default=None, help="20 (round: 50)")
    parser.add_argument("--think", type=float, default=None, help="mean seconds between requests: 5 (0.75)")
    parser.add_argument("--workers", type=int, default=3, help="the pages' gunicorn workers (README, Production)")
    parser.add_argument(
        "--registration-workers",
        type=int,
        default=2,
        help="the second pool's (registration, never kept) behind nginx; 0: one pool for everything",
    )
    parser.add_argument(
        "--registration-nice", type=int, default=10, help="the second pool's CPU priority (nice, as in production)"
    )
    parser.add_argument("--no-proxy", action="store_true", help="no nginx: the clients straight to one pool")
    parser.add_argument(
        "--client-processes", type=int, default=4, help="round: the visitors in this many processes (1: threads)"
    )
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (1: sync workers; more: gthread)")
    parser.add_argument("--offerings", type=int, default=4, help="offerings the contacts register for")
    parser.add_argument("--capacity", type=int, default=None, help="seats of each, fewer than are asked for: 15 (40)")
    parser.add_argument("--fault-at", type=float, default=None, help="seconds into the run (default: a fifth)")
    parser.add_argument("--redis-down", type=float, default=60.0)
    parser.add_argument("--database-down", type=float, default=5.0)
    parser.add_argument("--opens-at", type=float, default=10.0, help="round: seconds into the run the round opens")
    args = parser.parse_args()
    in_round = args.scenario == "round"
    if args.seconds is None and "LOADTEST_SECONDS" in os.environ:
        args.seconds = float(os.environ["LOADTEST_SECONDS"])
    for name, defaults in DEFAULTS.items():
        if getattr(args, name) is None:
            setattr(args, name, type(defaults[0])(defaults[in_round]))
    # The servers read the setting from the same environment (network/settings/base.py).
    args.seats_seconds = int(os.environ.get("PAGE_CACHE_SEATS_SECONDS", "10"))
    args.fault_at = args.seconds / 5 if args.fault_at is None else args.fault_at
    faults = [] if in_round else [f.strip() for f in args.faults.split(",") if f.strip()]
    if "redis" in faults and args.fault_at + args.redis_down >= args.seconds:
        raise SystemExit("The run is too short for the Redis fault: LOADTEST_SECONDS > fault start + --redis-down.")
    if in_round and args.opens_at + 5 >= args.seconds:
        raise SystemExit("The run is too short for the round: LOADTEST_SECONDS > --opens-at + 5.")

    server_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kompetencenetvaerk")
    if not server_url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server; the load test uses a database of its own there.")
    database_url = f"{server_url}_loadtest"
    VAR.mkdir(parents=True, exist_ok=True)
    env = base_env(database_url)
    env.update(
        REGISTRATION_RATE_LIMIT_PER_IP="0",
        REGISTRATION_RATE_LIMIT_PER_EMAIL="0",
        TASKS_BACKEND="database",
        TRUSTED_PROXIES="127.0.0.1",  # nginx, as in production
        DATABASE_CONN_MAX_AGE="60",
    )
    created = ensure_postgres_database(database_url)
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    if created:
        run([PYTHON, "manage.py", "load_demo"], env, stdout=subprocess.DEVNULL)
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)

    if in_round:
        # Imported here: the round's module uses this one's servers and checks.
        from tests.benchmarks.loadtest_round import print_round_report, round_run, round_targets_met  # noqa: PLC0415

        redis = RedisServer(VAR / "loadtest-redis").start()
        env["REDIS_URL"] = redis.url
        try:
            report = round_run(args, env, database_url)
        finally:
            redis.stop()
        print_round_report(report)
        (VAR / "loadtest-round.json").write_text(json.dumps(report, indent=2))
        print(f"\nFigures written to {VAR / 'loadtest-round.json'}; server logs in {VAR}/loadtest-round-*.log")
        return 0 if round_targets_met(report) else 1

    reports = []
    for fault in faults:
        redis = RedisServer(VAR / "loadtest-redis").start()
        env["REDIS_URL"] = redis.url
        try:
            reports.append(one_run(fault, args, env, database_url, redis))
        finally:
            redis.stop()
        print_report(reports[-1])
    (VAR / "loadtest.json").write_text(json.dumps(reports, indent=2))
    print(f"\nFigures written to {VAR / 'loadtest.json'}; server logs in {VAR}/loadtest-*.log")
    clean = all(
        r["seats"]["ok"] and all(p["errors"] == 0 for k, p in r["phases"].items() if k != "during") for r in reports
    )
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
