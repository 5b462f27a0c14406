"""The registration round of the load test (`loadtest.py --scenario round`, `make loadtest-round`; issue 15), against
the servers of loadtest.py: one offering with fewer seats than are asked for and a waiting list, whose round for every
library opens a few seconds into the run; 200 visitors asking for its page about every 0.75 s, and 50 contacts
registering once in the second after the round opens. It reports the offering page's times as the visitors and as
gunicorn's workers saw them, kept and made, the POSTs', and how old the seats shown were: each page's Age, and its
seats against the confirmed count polled from the database every 0.1 s (LOADTEST_SECONDS: 90). README, "Load and
faults"."""

from __future__ import annotations

import bisect
import multiprocessing
import random
import statistics
import threading
import time
from pathlib import Path

import psycopg

from tests.benchmarks.bench import VAR
from tests.benchmarks.loadtest import CHECK, percentile, seats, shell, summarise, summary_of
from tests.benchmarks.loadtest_clients import Recorder, Sample, Seen, Visitor, crowd, crowd_process, round_contact
from tests.benchmarks.loadtest_servers import Worker, drain, servers

ROUND_SLUG = "belastningstest-runde"
P95_TARGET_MS = 50.0
# Seconds the shell that sets the round up may take to exit and the clients to start before the run begins.
ROUND_SHELL_MARGIN = 15.0

ROUND_SETUP = """
import datetime as dt, json
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from events.models import EventIndexPage, EventPage
from events.registration.models import EligibilityRound, OutboxMessage, Registration
from network.models import Library, Municipality

page = EventPage.objects.filter(slug="{slug}").first()
if page is None:
    start = timezone.now() + dt.timedelta(days=45)
    page = EventIndexPage.objects.get().add_child(instance=EventPage(
        title="Belastningstest: tilmeldingsrunde for alle biblioteker", slug="{slug}", intro="Til belastningstesten.",
        start=start, end=start + dt.timedelta(hours=6), venue_name="Herning Bibliotekerne", city="Herning",
        postcode="7400", municipality=Municipality.objects.get(name="Herning"),
        registration_enabled=True, capacity={capacity}, waiting_list=True,
    ))
with transaction.atomic():  # a fresh start: the registrations, e-mails and tasks of earlier runs
    old = Registration.objects.filter(offering=page)
    OutboxMessage.objects.filter(registration__in=old).delete()
    old.delete()
    DBTaskResult.objects.all().delete()
# One round for every library (no library group), opening {lead} seconds from now; published as a coordinator would.
opens = timezone.now() + dt.timedelta(seconds={lead})
page.capacity, page.waiting_list, page.registration_opens, page.registration_closes = {capacity}, True, None, None
page.registration_rounds = [EligibilityRound(opens_at=opens)]
page.save_revision().publish()
print(json.dumps({{
    "offering": page.pk, "path": page.url, "opens_at": opens.timestamp(),
    "libraries": list(Library.objects.values_list("pk", flat=True)),
}}))
"""


def poll_confirmed(
    database_url: str, offering: int, started: float, stop: threading.Event
) -> tuple[list[tuple[float, int]], threading.Thread]:
    """The offering's confirmed participants every 0.1 s, in a thread: (when the query began, seconds since
    `started`; the count)."""
    timeline: list[tuple[float, int]] = []

    def poll() -> None:
        query = "SELECT count(*) FROM events_participant WHERE offering_id = %s AND status = 'confirmed'"
        with psycopg.connect(database_url, autocommit=True) as conn:
            while not stop.is_set():
                began = time.monotonic() - started
                timeline.append((began, conn.execute(query, [offering]).fetchone()[0]))
                stop.wait(0.1)

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    return timeline, thread


def round_run(args, env: dict, database_url: str) -> dict:
    # One event for the threads here and the visitors' processes (`--client-processes`).
    context = multiprocessing.get_context("spawn")
    recorder, stop, results = Recorder(), context.Event(), context.Queue()
    with (
        servers(env, args, "round", access=True) as pools,
        Worker(env, VAR / "loadtest-round-worker.log") as worker,
    ):
        base = pools.base
        lead = args.opens_at + ROUND_SHELL_MARGIN
        setup = shell(env, ROUND_SETUP.format(slug=ROUND_SLUG, capacity=args.capacity, lead=lead))
        # The run begins `opens_at` seconds before the round opens (at once, when the shell took longer).
        time.sleep(max(setup["opens_at"] - args.opens_at - time.time(), 0))
        recorder.started = time.monotonic()
        opens = recorder.started + setup["opens_at"] - time.time()
        timeline, poller = poll_confirmed(database_url, setup["offering"], recorder.started, stop)
        pool = random.sample(setup["libraries"], len(setup["libraries"]))  # each contact from a library of its own
        libraries = [pool[i % len(pool)] for i in range(args.contacts)]
        processes = [
            context.Process(
                target=crowd_process,
                args=(base, setup["path"], stop, args.think, share, recorder.started, results),
                daemon=True,
            )
            for share in shares(args.visitors, args.client_processes)
        ]
        threads = [
            threading.Thread(target=crowd, args=(Visitor(base, recorder), setup["path"], stop, args.think))
            for _ in range(args.visitors if not processes else 0)
        ]
        # 1, 2 or 3 people each: about twice as many as there are seats.
        threads += [
            threading.Thread(
                target=round_contact,
                args=(Visitor(base, recorder), setup["offering"], library, f"runde-{i}", 1 + i % 3, opens, stop),
            )
            for i, library in enumerate(libraries)
        ]
        for process in processes:
            process.start()
        for thread in threads:
            thread.start()
        time.sleep(max(args.seconds - (time.monotonic() - recorder.started), 0))
        stop.set()
        for thread in [*threads, poller]:
            thread.join(timeout=60)
        for _ in processes:  # read before joining: a process with much in the queue waits until it is read
            samples, seen = results.get(timeout=120)
            recorder.samples.extend(samples)
            recorder.seen.extend(seen)
        for process in processes:
            process.join(timeout=60)
        recorder.samples.sort(key=lambda s: s.at)
        recorder.seen.sort(key=lambda s: s.at)
        elapsed = time.monotonic() - recorder.started
        drain(database_url, seconds=60)
        restarts = worker.restarts
    check = shell(env, CHECK.format(ids=[setup["offering"]]))
    capacity = check["offerings"][0]["capacity"]
    offering_pages = [s for s in recorder.samples if s.kind == "offering page"]
    posts = [s for s in recorder.samples if s.kind == "register"]
    kinds = summarise(recorder.samples)
    for cache in ("hit", "miss", "skip"):
        if part := [s for s in offering_pages if s.cache == cache]:
            kinds[f"offering page {cache}"] = summary_of(part)
    opens_at = opens - recorder.started
    burst_end = max((s.at + s.ms / 1000 for s in posts), default=opens_at)
    text = pools.log_text()
    return {
        "scenario": "round",
        "seconds": round(elapsed, 1),
        "offered_per_s": round(args.visitors / args.think, 1),
        "answered_per_s": round(len(offering_pages) / elapsed, 1),
        "round_opens_at": round(opens_at, 1),
        "posts_ended_at": round(burst_end, 1),
        "worker_restarts": restarts,
        "kinds": kinds,
        "server": server_times(pools.access_logs, setup["path"]),
        "while_posting": {
            "offering page, during the POSTs": summary_of(
                [s for s in offering_pages if s.at <= burst_end and s.at + s.ms / 1000 >= opens_at]
            ),
            "offering page, otherwise": summary_of(
                [s for s in offering_pages if s.at > burst_end or s.at + s.ms / 1000 < opens_at]
            ),
        },
        "herd": herd(offering_pages),
        "seats_age": seats_age(recorder.seen, timeline, capacity, opens_at, args.seats_seconds),
        "error_samples": sorted({s.error for s in recorder.samples if s.error})[:5],
        "seats": seats(check, recorder),
        "cache_log_lines": text.count("Exception ignored"),
        "server_errors_logged": text.count("Internal Server Error"),
    }


def shares(visitors: int, processes: int) -> list[int]:
    """The visitors of each process, as even as they go; none with one process (the visitors are threads here)."""
    if processes <= 1:
        return []
    return [visitors // processes + (i < visitors % processes) for i in range(processes)]


def server_times(access_logs: list[Path], offering_path: str) -> dict:
    """The offering page and the POSTs as gunicorn's workers timed them (both pools): the visitors' times less the
    wait in the listen queue, nginx and the clients' own threads."""
    times: dict[str, list[float]] = {}
    lines = [line for log in access_logs for line in log.read_text().splitlines()]
    for line in lines:
        parts = line.split()
        if len(parts) < 4 or not parts[3].isdigit():
            continue
        method, path, cache = parts[0], parts[1], parts[4] if len(parts) > 4 else "-"
        if path.startswith("/tilmelding/"):
            kind = "register" if method == "POST" else "register form"
        elif path == offering_path:
            kind = f"offering page {cache}"
        else:
            continue  # robots.txt, asked until the server answers
        times.setdefault(kind, []).append(int(parts[3]) / 1000)
    return {
        kind: {"requests": len(ms), "p50_ms": round(statistics.median(ms), 1), "p95_ms": round(percentile(ms, 95), 1)}
        for kind, ms in sorted(times.items())
    }


def herd(samples: list[Sample]) -> dict:
    """Seconds of the run with a miss (a kept page had expired, and every worker that asked made it again) against
    seconds without: the offering page's p95 in each, and the seconds with the most misses."""
    by_second: dict[int, list[Sample]] = {}
    for s in samples:
        by_second.setdefault(int(s.at), []).append(s)
    with_miss = [s for second in by_second.values() if any(x.cache == "miss" for x in second) for s in second]
    without = [s for second in by_second.values() if not any(x.cache == "miss" for x in second) for s in second]
    worst = sorted(by_second.items(), key=lambda item: -percentile([s.ms for s in item[1]], 95))[:5]
    return {
        "seconds_with_a_miss": sum(1 for second in by_second.values() if any(x.cache == "miss" for x in second)),
        "most_misses_in_a_second": max((sum(x.cache == "miss" for x in v) for v in by_second.values()), default=0),
        "in seconds with a miss": summary_of(with_miss),
        "in seconds without": summary_of(without),
        "worst_seconds": [
            {
                "second": second,
                "requests": len(v),
                "misses": sum(x.cache == "miss" for x in v),
                "p95_ms": round(percentile([s.ms for s in v], 95), 1),
            }
            for second, v in worst
        ],
    }


def seats_age(seen: list[Seen], timeline: list[tuple], capacity: int, opens_at: float, setting: int) -> dict:
    """How old the seats on each offering page were when it arrived. The confirmed count only grows in the round
    (nobody cancels; `monotonic` says whether it did), so the count a page shows was last true no earlier than the
    last poll that found it or fewer, and is known to be out of date once a poll that began before the page arrived
    found more: the age reported is that bound, within the 0.1 s between polls. Also each kept page's Age header,
    and pages still saying the round has not opened when they were asked for more than a second after it opened."""
    began = [t for t, _ in timeline]
    counts = [n for _, n in timeline]
    oldest, over, unknown = 0.0, 0, 0
    for page in seen:
        if page.seats_left is None:
            unknown += 1
            continue
        shown, arrived = capacity - page.seats_left, page.at + page.ms / 1000
        polled = bisect.bisect_right(began, arrived)  # the polls that began before the page arrived
        if polled and counts[polled - 1] > shown:
            last_true = bisect.bisect_right(counts, shown, 0, polled) - 1
            age = arrived - (began[last_true] if last_true >= 0 else 0.0)
            oldest = max(oldest, age)
            over += age > setting + 1
    ages = [page.age for page in seen if page.age is not None]
    return {
        "pages": len(seen),
        "without_seats": unknown,
        "oldest_seats_s": round(oldest, 1),
        "older_than_setting_plus_1s": over,
        "max_age_header": max(ages, default=0),
        "age_header_over_setting": sum(1 for age in ages if age > setting),
        "not_open_after_opening": len(late := [page for page in seen if page.not_open and page.at > opens_at + 1]),
        # (seconds after the opening the request began, ms, X-Cache, Age): the first three and the last
        "not_open_examples": [
            (round(p.at - opens_at, 2), round(p.ms), p.cache, p.age) for p in late[:3] + late[3:][-1:]
        ],
        "confirmed_polled": counts[-1] if counts else 0,
        "polls": len(timeline),
        "monotonic": counts == sorted(counts),
        "setting_s": setting,
    }


def print_round_report(r: dict) -> None:
    print(
        f"\n== load test, registration round ({r['seconds']} s): the round opened at {r['round_opens_at']} s, "
        f"the last POST ended at {r['posts_ended_at']} s; offering pages asked for {r['answered_per_s']} a second "
        f"(the visitors would ask for {r['offered_per_s']} if every answer were instant)"
    )
    print(f"  {'as the visitors saw it':<34}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}")
    for kind, k in [*r["kinds"].items(), *r["while_posting"].items()]:
        print(f"  {kind:<34}{k['requests']:>9}{k['p50_ms']:>9}{k['p95_ms']:>9}{k['errors']:>8}")
    h = r["herd"]
    for kind in ("in seconds with a miss", "in seconds without"):
        k = h[kind]
        print(f"  {'offering page, ' + kind:<34}{k['requests']:>9}{k['p50_ms']:>9}{k['p95_ms']:>9}{k['errors']:>8}")
    print(f"  {'in the worker (gunicorn)':<34}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}")
    for kind, k in r["server"].items():
        print(f"  {kind:<34}{k['requests']:>9}{k['p50_ms']:>9}{k['p95_ms']:>9}")
    print(
        f"  misses: in {h['seconds_with_a_miss']} seconds, at most {h['most_misses_in_a_second']} in one; worst "
        "seconds (second: requests, misses, p95 ms): "
        + ", ".join(f"{w['second']}: {w['requests']}, {w['misses']}, {w['p95_ms']}" for w in h["worst_seconds"])
    )
    a = r["seats_age"]
    print(
        f"  seats shown: {a['pages']} pages, oldest {a['oldest_seats_s']} s (setting {a['setting_s']} s), "
        f"{a['older_than_setting_plus_1s']} older than the setting + 1 s, {a['without_seats']} without seats; Age "
        f"header at most {a['max_age_header']} s, {a['age_header_over_setting']} over the setting; "
        f"{a['not_open_after_opening']} still 'not open' a second after the round opened"
        + (f" (s after, ms, X-Cache, Age: {a['not_open_examples']})" if a["not_open_examples"] else "")
    )
    s = r["seats"]
    print(
        f"  seats: {s['confirmed']} confirmed, {s['waiting']} waiting; over capacity {s['over_capacity']}, waiting "
        f"while a seat is free {s['waiting_while_seat_free']}, gaps {s['waiting_gaps']}; registrations "
        f"{s['registrations']} stored, {s['registrations_shown']} shown, {s['shown_but_missing']} shown but missing; "
        f"without receipt {s['without_receipt']}; e-mails {s['outbox']}"
    )
    print(
        f"  consistent: {'yes' if s['ok'] else 'NO'}; db_worker restarts {r['worker_restarts']}; cache errors logged "
        f"{r['cache_log_lines']}, server errors logged {r['server_errors_logged']}"
    )
    for error in r["error_samples"]:
        print(f"  e.g. {error}")


def round_targets_met(r: dict) -> bool:
    """Issue 15: no error, the offering page's p95 under 50 ms, seats never older than the setting; and the seats add
    up."""
    a = r["seats_age"]
    errors = sum(
        k["errors"] for kind, k in r["kinds"].items() if kind in ("offering page", "register form", "register")
    )
    return (
        errors == 0
        and r["kinds"].get("offering page", {}).get("p95_ms", 0) < P95_TARGET_MS
        and not a["older_than_setting_plus_1s"]
        and not a["age_header_over_setting"]
        and not a["not_open_after_opening"]
        and r["seats"]["ok"]
    )
