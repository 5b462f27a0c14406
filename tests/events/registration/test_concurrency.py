"""Many people press "Tilmeld" in the same instant: no offering is overbooked and the waiting list has no gaps.

On PostgreSQL through a live server (concurrent transactions); on SQLite through threads writing one database file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import sqlite3
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import Cookie, CookieJar

from django.conf import settings as django_settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core import mail, signing
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections
from django.test.testcases import LiveServerThread
from django.utils import timezone

import pytest

from events.registration import confirmation, selectors
from events.registration.models import (
    ContactStatus,
    LogAction,
    OutboxMessage,
    OutboxStatus,
    Participant,
    ParticipantStatus,
    Registration,
    RegistrationLogEntry,
)
from events.registration.services import registration_create
from events.registration.values import ParticipantData
from network.models import Library

pytestmark = pytest.mark.django_db(transaction=True)

ENGINE = django_settings.DATABASES["default"]["ENGINE"]
postgresql_only = pytest.mark.skipif(
    ENGINE != "django.db.backends.postgresql",
    reason="PostgreSQL only: the test is about PostgreSQL's advisory lock between concurrent connections "
    "(on SQLite, IMMEDIATE transactions serialise every writer of the database file instead; see the SQLite test)",
)
sqlite_only = pytest.mark.skipif(
    ENGINE != "django.db.backends.sqlite3", reason="SQLite only: IMMEDIATE transactions on a database file"
)

CAPACITY = 10
AT_ONCE = 50
TIMEOUT = 120  # seconds per HTTP request; the 50 requests queue for the lock one after another
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MANAGE = re.compile(r"^/tilmelding/[0-9a-f-]{36}/$")


# --- Data ----------------------------------------------------------------------------------------------------------


@pytest.fixture
def site_data(transactional_site, settings):
    """The site with its libraries; no rate limits (every client here comes from one address)."""
    settings.REGISTRATION_RATE_LIMIT_PER_IP = 0
    settings.REGISTRATION_RATE_LIMIT_PER_EMAIL = 0
    return transactional_site


@pytest.fixture
def offering(site_data, transactional_event):
    """An event of a section with CAPACITY seats and a waiting list, open for registration now."""
    assert transactional_event.capacity == CAPACITY
    return transactional_event


# --- The server ----------------------------------------------------------------------------------------------------


class _Server(ThreadedWSGIServer):
    # Django's live server listens with a backlog of 10: with 50 clients connecting in the same instant the kernel
    # resets the connections beyond it ("Connection reset by peer"). gunicorn listens with 2048.
    request_queue_size = 2 * AT_ONCE


class _ServerThread(LiveServerThread):
    server_class = _Server


@pytest.fixture
def live_url(transactional_db):
    """Django's live server (a thread per request, each with its own database connection), on a wider backlog."""
    thread = _ServerThread("127.0.0.1", StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


# --- HTTP clients --------------------------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib raises HTTPError with the 302, which `Browser.post` turns into a result


@dataclasses.dataclass
class Outcome:
    status: int
    location: str = ""
    body: str = ""


class Browser:
    """One visitor: a cookie jar (session and CSRF cookies) and no automatic redirects."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect)

    def remember(self, email: str) -> None:
        """The cookie of a browser that has confirmed `email` before: its registrations go straight through."""
        signer = signing.get_cookie_signer(salt=confirmation.COOKIE + confirmation.COOKIE_SALT)
        value = signer.sign(confirmation.address_key(email))
        host = urllib.parse.urlsplit(self.base).hostname
        self.cookies.set_cookie(
            Cookie(0, confirmation.COOKIE, value, None, False, host, False, False, "/", True, False, None, True,
                   None, None, {})
        )  # fmt: skip

    def enter(self, link: str) -> str:
        """Open an e-mailed link: the access goes into the session; the path it sends on to, without the token."""
        outcome = self.post(link, None)
        assert outcome.status == 302, outcome
        return outcome.location

    def token(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=TIMEOUT) as response:
            match = CSRF.search(response.read().decode())
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def post(self, path: str, data: dict | None) -> Outcome:
        body = None if data is None else urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(self.base + path, data=body, timeout=TIMEOUT) as response:
                return Outcome(response.status, body=response.read().decode()[:2000])
        except urllib.error.HTTPError as error:
            location = urllib.parse.urlsplit(error.headers.get("Location", "")).path
            return Outcome(error.code, location, error.read().decode(errors="replace")[:2000])


def registration_data(token: str, library: Library, n: int, tag: str) -> dict:
    """The public form filled in by the contact of `library`, registering one participant."""
    return {
        "csrfmiddlewaretoken": token,
        "library": library.pk,
        "contact_name": f"Kontakt {tag}{n}",
        "contact_email": f"kontakt-{tag}{n}@example.org",
        "consent": "on",
        "website": "",
        "participants-TOTAL_FORMS": "1",
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": str(django_settings.REGISTRATION_MAX_PARTICIPANTS_PER_SUBMISSION),
        "participants-0-name": f"Deltager {tag}{n}",
        "participants-0-email": f"deltager-{tag}{n}@example.org",
        "participants-0-job_title": "Bibliotekar",
        "participants-0-needs": "",
    }


@dataclasses.dataclass
class Job:
    """Something one visitor does, prepared before the barrier (`prepare`) and fired after it (`fire`)."""

    prepare: object
    fire: object


def registration_job(base: str, offering, library: Library, n: int, tag: str) -> Job:
    browser = Browser(base)
    browser.remember(f"kontakt-{tag}{n}@example.org")  # contacts who confirmed before: their e-mails go at once
    path = f"/tilmelding/{offering.pk}/"
    state = {}

    def prepare():
        state["data"] = registration_data(browser.token(path), library, n, tag)

    return Job(prepare, lambda: browser.post(path, state["data"]))


def cancellation_job(base: str, link: str, participant_id: int) -> Job:
    browser = Browser(base)
    state = {}

    def prepare():
        state["path"] = browser.enter(link)
        state["token"] = browser.token(state["path"])

    def fire():
        data = {"csrfmiddlewaretoken": state["token"], "action": "cancel", "participant": participant_id}
        return browser.post(state["path"], data)

    return Job(prepare, fire)


def all_at_once(jobs: list[Job]) -> list[Outcome]:
    """Prepare every job, then let them all fire in the same instant (a barrier); their outcomes in order."""
    barrier = threading.Barrier(len(jobs))

    def run(job: Job) -> Outcome:
        try:
            job.prepare()
        finally:
            barrier.wait(timeout=TIMEOUT)  # a failed preparation still releases the others
        return job.fire()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def register_at_once(base: str, offering, libraries: list[Library], tag: str) -> list[Outcome]:
    return all_at_once([registration_job(base, offering, lib, n, tag) for n, lib in enumerate(libraries, 1)])


def assert_all_registered(outcomes: list[Outcome]) -> None:
    failed = [(o.status, o.body[:300]) for o in outcomes if o.status != 302 or not MANAGE.match(o.location)]
    assert not failed, f"{len(failed)} of {len(outcomes)} registrations did not redirect to a manage page: {failed[:3]}"


# --- Invariants ----------------------------------------------------------------------------------------------------


def assert_seats_invariants(offering) -> dict[str, int]:
    """Never more confirmed than seats; nobody waits while a seat is free; waiting positions 1..n without gaps."""
    tally = selectors.participant_counts(offering_id=offering.pk)
    active = tally[ParticipantStatus.CONFIRMED] + tally[ParticipantStatus.WAITING]
    assert tally[ParticipantStatus.CONFIRMED] == min(CAPACITY, active), tally
    positions = selectors.waiting_positions(offering_id=offering.pk)
    assert sorted(positions.values()) == list(range(1, tally[ParticipantStatus.WAITING] + 1))
    # The queue order is the order people asked: every confirmed participant asked before anyone still waiting
    # (the first come are served first, also when seats were freed and given on).
    waiting = Participant.objects.filter(offering=offering, status=ParticipantStatus.WAITING)
    first_waiting = waiting.order_by("queued_at", "pk").first()
    if first_waiting:
        confirmed = Participant.objects.filter(offering=offering, status=ParticipantStatus.CONFIRMED)
        assert not confirmed.filter(queued_at__gt=first_waiting.queued_at).exists()
    return tally


def kinds(**expected) -> dict[str, int]:
    return {kind: n for kind, n in expected.items() if n}


def outbox_kinds() -> dict[str, int]:
    rows = OutboxMessage.objects.values_list("kind", flat=True)
    return {kind: list(rows).count(kind) for kind in set(rows)}


# --- The tests -----------------------------------------------------------------------------------------------------


@postgresql_only
def test_fifty_registrations_at_once_for_ten_seats(live_url, offering):
    libraries = list(Library.objects.order_by("pk")[:AT_ONCE])
    assert len(libraries) == AT_ONCE

    outcomes = register_at_once(live_url, offering, libraries, "a")

    assert_all_registered(outcomes)
    assert len({o.location for o in outcomes}) == AT_ONCE
    assert Registration.objects.filter(offering=offering).count() == AT_ONCE
    tally = assert_seats_invariants(offering)
    assert tally == {"confirmed": CAPACITY, "waiting": AT_ONCE - CAPACITY, "cancelled": 0}
    assert sorted(selectors.waiting_positions(offering_id=offering.pk).values()) == list(
        range(1, AT_ONCE - CAPACITY + 1)
    )

    # One receipt per contact and one message per participant, all delivered (the tests run tasks at once); each
    # participant on the waiting list is told their place, the one the page shows.
    assert outbox_kinds() == kinds(contact_receipt=AT_ONCE, confirmed=CAPACITY, waiting=AT_ONCE - CAPACITY)
    assert not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists()
    assert len(mail.outbox) == 2 * AT_ONCE
    positions = selectors.waiting_positions(offering_id=offering.pk)
    for participant in Participant.objects.filter(offering=offering, status=ParticipantStatus.WAITING):
        message = OutboxMessage.objects.get(kind="waiting", to_email=participant.email)
        assert f"som nummer {positions[participant.pk]}." in message.body_text
    # Everyone's receipt says what they got: the 10 confirmed got the calendar file.
    confirmed = set(Participant.objects.filter(offering=offering, status="confirmed").values_list("email", flat=True))
    assert {m.to[0] for m in mail.outbox if m.attachments} == confirmed


@postgresql_only
def test_cancellations_racing_with_new_registrations(live_url, offering):
    libraries = list(Library.objects.order_by("pk")[: AT_ONCE + 10])
    first = register_at_once(live_url, offering, libraries[:AT_ONCE], "a")
    assert_all_registered(first)
    assert_seats_invariants(offering)
    queue_before = sorted(selectors.waiting_positions(offering_id=offering.pk).items(), key=lambda item: item[1])
    receipts = OutboxMessage.objects.filter(kind="contact_receipt")
    links = {m.registration_id: urllib.parse.urlsplit(m.context["manage_url"]) for m in receipts}
    links = {pk: f"{url.path}?{url.query}" for pk, url in links.items()}
    OutboxMessage.objects.all().delete()

    # Five confirmed participants cancel through their manage links while ten more libraries register.
    manage_paths = {Registration.objects.get(public_id=o.location.split("/")[2]).pk: o.location for o in first}
    leaving = list(Participant.objects.filter(offering=offering, status=ParticipantStatus.CONFIRMED).order_by("?")[:5])
    jobs = [cancellation_job(live_url, links[p.registration_id], p.pk) for p in leaving]
    jobs += [registration_job(live_url, offering, lib, n, "b") for n, lib in enumerate(libraries[AT_ONCE:], 1)]
    outcomes = all_at_once(jobs)

    assert [o.status for o in outcomes] == [302] * len(jobs), [o.body[:300] for o in outcomes if o.status != 302]
    assert [o.location for o in outcomes[:5]] == [manage_paths[p.registration_id] for p in leaving]
    assert_all_registered(outcomes[5:])
    tally = assert_seats_invariants(offering)
    assert tally == {"confirmed": CAPACITY, "waiting": AT_ONCE - CAPACITY - 5 + 10, "cancelled": 5}
    assert set(Participant.objects.filter(status="cancelled").values_list("pk", flat=True)) == {p.pk for p in leaving}
    # The five freed seats went to the first five on the waiting list, whatever the order of the requests; the ten
    # newcomers queue behind everyone who waited already.
    promoted = {pk for pk, _place in queue_before[:5]}
    assert set(Participant.objects.filter(pk__in=promoted).values_list("status", flat=True)) == {"confirmed"}
    newcomers = Participant.objects.filter(email__startswith="deltager-b")
    assert set(newcomers.values_list("status", flat=True)) == {"waiting"}
    positions = selectors.waiting_positions(offering_id=offering.pk)
    assert sorted(positions[p.pk] for p in newcomers) == list(range(AT_ONCE - CAPACITY - 5 + 1, tally["waiting"] + 1))
    assert outbox_kinds() == kinds(
        cancelled=5, contact_cancelled=5, promoted=5, contact_promoted=5, contact_receipt=10, waiting=10
    )


@postgresql_only
def test_holds_that_ran_out_are_released_once_while_registrations_race(live_url, offering):
    """Every seat is held by a contact who never confirmed, and the holds have run out; no worker runs. 20 libraries
    register at once: the first under the lock releases the holds (each participant cancelled and logged once), the
    seats go in order of arrival, the queue has no gaps."""
    libraries = list(Library.objects.order_by("pk")[: CAPACITY + 20])
    past = timezone.now() - dt.timedelta(minutes=1)
    for n, library in enumerate(libraries[:CAPACITY], 1):
        held = registration_create(
            offering=offering,
            library=library,
            contact_name=f"Kontakt {n}",
            contact_email=f"holdt-{n}@example.org",
            participants=[ParticipantData(f"Holdt {n}", f"holdt-deltager-{n}@example.org")],
            consent=True,
            contact_confirmed=False,
        )
        Registration.objects.filter(pk=held.registration.pk).update(hold_until=past)

    outcomes = register_at_once(live_url, offering, libraries[CAPACITY:], "c")

    assert_all_registered(outcomes)
    tally = assert_seats_invariants(offering)
    assert tally == {"confirmed": CAPACITY, "waiting": 20 - CAPACITY, "cancelled": CAPACITY}
    held = Participant.objects.filter(email__startswith="holdt-deltager")
    assert set(held.values_list("status", flat=True)) == {ParticipantStatus.CANCELLED}
    assert RegistrationLogEntry.objects.filter(action=LogAction.EXPIRED).count() == CAPACITY
    assert set(
        Registration.objects.filter(contact_email__startswith="holdt").values_list("contact_status", flat=True)
    ) == {ContactStatus.EXPIRED}


@postgresql_only
def test_control_without_the_lock_seats_are_overbooked(live_url, offering, settings):
    """The same 50 requests with the lock switched off: more than 10 confirmed. Shows the tests above can fail."""
    settings.REGISTRATION_LOCKING = False
    libraries = list(Library.objects.order_by("pk")[:AT_ONCE])

    outcomes = register_at_once(live_url, offering, libraries, "a")

    assert_all_registered(outcomes)
    tally = selectors.participant_counts(offering_id=offering.pk)
    print(f"\nwithout the lock: {tally['confirmed']} confirmed for {CAPACITY} seats, {tally['waiting']} waiting")
    assert tally["confirmed"] + tally["waiting"] == AT_ONCE
    assert tally["confirmed"] > CAPACITY, f"no overbooking without the lock: {tally}"


# --- SQLite --------------------------------------------------------------------------------------------------------


def register_in_threads(database: dict, offering, libraries: list[Library]) -> list[object]:
    """Each library's contact registers one participant through `registration_create`, all in the same instant, each
    thread with its own connection to `database` (Django opens one per thread). Their results or exceptions."""
    barrier = threading.Barrier(len(libraries))

    def register(n: int, library: Library):
        try:
            barrier.wait(timeout=TIMEOUT)
            return registration_create(
                offering=offering,
                library=library,
                contact_name=f"Kontakt {n}",
                contact_email=f"kontakt-{n}@example.org",
                participants=[ParticipantData(f"Deltager {n}", f"deltager-{n}@example.org")],
                consent=True,
                contact_confirmed=bool(n % 2),  # holds and confirmed registrations count alike
            )
        except Exception as error:  # noqa: BLE001 - the control run expects "database is locked"
            return error
        finally:
            connection.close()

    def work():
        with ThreadPoolExecutor(max_workers=len(libraries)) as pool:
            return list(pool.map(register, range(1, len(libraries) + 1), libraries))

    return in_threads_on(database, work)


def in_threads_on(database: dict, work):
    """Run `work` with new threads' connections pointed at `database` (this thread keeps its own connection)."""
    original = connections.settings[DEFAULT_DB_ALIAS]
    connections.settings[DEFAULT_DB_ALIAS] = database
    try:
        return work()
    finally:
        connections.settings[DEFAULT_DB_ALIAS] = original


def in_a_thread_on(database: dict, work):
    def run():
        try:
            return work()
        finally:
            connection.close()

    def one_thread():
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(run).result()

    return in_threads_on(database, one_thread)


@sqlite_only
def test_sqlite_immediate_transactions_serialise_writers(offering, tmp_path):
    """On SQLite the whole database is the lock: every registration's transaction begins IMMEDIATE (the settings), so
    50 threads writing one database file at once queue for it, none fails, and none overbooks. The control run begins
    them DEFERRED: writers that read first then find another writer ahead of them fail with "database is locked"."""
    # The test database lives in memory (shared between connections by a cache that locks per table); copy it to a
    # file, the way the site runs, and point the threads' connections at the file.
    path = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
    database = {**connections.settings[DEFAULT_DB_ALIAS], "NAME": str(path)}
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    libraries = list(Library.objects.order_by("pk")[:AT_ONCE])

    results = register_in_threads(database, offering, libraries)

    errors = [repr(r) for r in results if isinstance(r, Exception)]
    assert not errors, errors[:3]
    tally = in_a_thread_on(database, lambda: selectors.participant_counts(offering_id=offering.pk))
    assert tally == {"confirmed": CAPACITY, "waiting": AT_ONCE - CAPACITY, "cancelled": 0}
    positions = in_a_thread_on(database, lambda: sorted(selectors.waiting_positions(offering_id=offering.pk).values()))
    assert positions == list(range(1, AT_ONCE - CAPACITY + 1))

    # The control: the same on a fresh copy, with transactions that begin DEFERRED.
    control = tmp_path / "control.sqlite3"
    with sqlite3.connect(control) as target:
        connection.connection.backup(target)
    deferred = {**database, "NAME": str(control), "OPTIONS": {**database["OPTIONS"], "transaction_mode": "DEFERRED"}}
    results = register_in_threads(deferred, offering, libraries)
    locked = [r for r in results if isinstance(r, OperationalError) and "locked" in str(r)]
    print(f"\nSQLite, DEFERRED: {len(locked)} of {AT_ONCE} registrations failed with 'database is locked'")
    assert locked, "without IMMEDIATE transactions no writer failed"
