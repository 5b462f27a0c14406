"""The clients of the load test (tests/benchmarks/loadtest.py): visitors who browse, library contacts who register
and cancel; for the registration round, a crowd on one offering page and contacts who register once it opens. Each
request is recorded as a sample of its kind."""

from __future__ import annotations

import html.parser
import random
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from django.core.signing import TimestampSigner
from django.utils.crypto import salted_hmac

from tests.benchmarks.bench import base_env

# Seconds a client waits for an answer: nginx's proxy_read_timeout, after which a visitor behind it gets a 504.
TIMEOUT = 60
# The manage page a registration redirects to (its token is in the session, not in the address).
MANAGE = re.compile(r"^/tilmelding/[0-9a-f-]{36}/$")
# The servers' SECRET_KEY, and events.registration.confirmation's cookie of a browser that has confirmed its contact
# address before (the load test's contacts are returning library contacts: their registrations go straight through).
SECRET_KEY = base_env("")["SECRET_KEY"]
CONTACT_COOKIE, CONTACT_COOKIE_SALT = "kn_kontakt", "events.registration.contact"


def remembered_contact(email: str) -> str:
    """The signed cookie value Django's set_signed_cookie writes for that address (the keys of the settings passed in,
    as this process has no Django settings)."""
    key = salted_hmac(CONTACT_COOKIE_SALT, email.lower(), secret=SECRET_KEY, algorithm="sha256").hexdigest()[:32]
    signer = TimestampSigner(
        key=b"django.http.cookies" + SECRET_KEY.encode(), fallback_keys=[], salt=CONTACT_COOKIE + CONTACT_COOKIE_SALT
    )
    return signer.sign(key)


SEARCHES = ["verdensmål", "bæredygtighed", "skolesamarbejde", "kompetenceudvikling", "design thinking", "trivsel",
            "citizen science", "ledelse", "formidling", "webinar om verdensmål", "inspirationsdag"]  # fmt: skip


# --- The clients ---------------------------------------------------------------------------------------------------


@dataclass
class Sample:
    kind: str
    at: float  # seconds since the start of the run, when the request began
    ms: float
    error: str = ""
    cache: str = ""  # the response's X-Cache: hit, miss or skip (network.pagecache)


@dataclass
class Seen:
    """One offering page as the crowd got it: when, from where, and the seats it showed."""

    at: float  # seconds since the start of the run, when the request began
    ms: float
    cache: str
    age: int | None  # the Age header of a kept page: seconds since it was made
    seats_left: int | None  # "N ledige pladser"; 0 for "Alle pladser er optaget"; None when the page shows neither
    not_open: bool  # "Tilmeldingen åbner ...": the round had not opened when the page was made


@dataclass
class Recorder:
    started: float = field(default_factory=time.monotonic)
    samples: list[Sample] = field(default_factory=list)
    registered: list[str] = field(default_factory=list)  # contact e-mails of registrations the site confirmed
    cancelled: int = 0
    seen: list[Seen] = field(default_factory=list)  # what the crowd's offering pages showed (the round)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Visitor:
    """One browser behind the TLS proxy: its cookies (also the Secure ones, as a browser on https keeps them),
    the headers the proxy passes on, no automatic redirects; every request is recorded as a sample of its kind."""

    def __init__(self, base: str, recorder: Recorder):
        self.base, self.recorder = base, recorder
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirect)
        self.headers, self.sample = None, None  # the last response's headers, and its sample

    def request(self, kind: str, path: str, data: dict | None = None, expect: int = 200) -> tuple[int, str, str]:
        """(status, Location path, body); a status other than `expect` or a failed connection is an error."""
        headers = {"X-Forwarded-Proto": "https", "Referer": "https://" + self.base.split("://", 1)[1] + path}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310 - loopback
        started = time.monotonic()
        status, location, text, error = 0, "", "", ""
        self.headers = None
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                status, text, cookies = (
                    response.status,
                    response.read().decode(),
                    response.headers.get_all("Set-Cookie"),
                )
                self.headers = response.headers
        except urllib.error.HTTPError as response:
            status, cookies = response.code, response.headers.get_all("Set-Cookie")
            self.headers = response.headers
            location = urllib.parse.urlsplit(response.headers.get("Location", "")).path
            text = response.read().decode(errors="replace")
        except OSError as exc:
            cookies, error = None, f"{type(exc).__name__}: {exc}"
        for cookie in cookies or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        if not error and status != expect:
            error = f"HTTP {status}"
        cache = self.headers.get("X-Cache", "") if self.headers is not None else ""
        self.sample = Sample(kind, started - self.recorder.started, (time.monotonic() - started) * 1000, error, cache)
        self.recorder.samples.append(self.sample)
        return status, location, text


class FormInputs(html.parser.HTMLParser):
    """The named inputs of the page's forms with their values (hidden fields, the formset's management form)."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") and attrs.get("type") not in ("checkbox", "radio", "submit"):
            self.values.setdefault(attrs["name"], attrs.get("value") or "")


def register(visitor: Visitor, offering_id: int, library_id: int, number: str, people: int) -> str | None:
    """A library contact registers `people` participants the way the public form is posted: GET the form (its CSRF
    token and hidden fields), fill in the contact and the first rows, POST it. Returns the manage page's path when
    the site redirects there. The one place to change when the registration form changes."""
    path = f"/tilmelding/{offering_id}/"
    status, _, page = visitor.request("register form", path)
    if status != 200:
        return None
    parser = FormInputs()
    parser.feed(page)
    data = dict(parser.values)
    data.update(
        library=str(library_id),
        contact_name=f"Kontakt {number}",
        contact_email=f"kontakt-{number}@example.org",
        consent="on",
        website="",
    )
    for i in range(people):
        data.update(
            {
                f"participants-{i}-name": f"Deltager {number}-{i}",
                f"participants-{i}-email": f"deltager-{number}-{i}@example.org",
                f"participants-{i}-job_title": "Bibliotekar",
            }
        )
    visitor.cookies[CONTACT_COOKIE] = remembered_contact(data["contact_email"])
    status, location, _ = visitor.request("register", path, data, expect=302)
    if status == 302 and MANAGE.match(location):
        visitor.recorder.registered.append(data["contact_email"])
        return location
    return None


def cancel_one(visitor: Visitor, manage_path: str) -> None:
    """On the manage page, cancel one of the participants still registered: "Afmeld" asks first (a page that says
    what will happen), and its "Ja, afmeld" posts the cancellation."""
    status, _, page = visitor.request("manage page", manage_path)
    ids = re.findall(r'name="afmeld" value="(\d+)"', page)
    if status != 200 or not ids:
        return
    status, _, question = visitor.request("cancel question", f"{manage_path}?afmeld={random.choice(ids)}")
    if status != 200:
        return
    form = FormInputs()
    form.feed(question)
    status, _, _ = visitor.request("cancel", manage_path, form.values, expect=302)
    if status == 302:
        visitor.recorder.cancelled += 1


def browse(visitor: Visitor, setup: dict, stop: threading.Event, think: float) -> None:
    while not stop.is_set():
        choice = random.random()
        if choice < 0.4:
            visitor.request("listing", random.choice(setup["listings"]))
        elif choice < 0.7:
            visitor.request("search", "/search/?" + urllib.parse.urlencode({"q": random.choice(SEARCHES)}))
        else:
            visitor.request("offering page", random.choice(setup["offering_pages"]))
        stop.wait(random.uniform(0.5, 1.5) * think)


def contact(visitor: Visitor, setup: dict, stop: threading.Event, think: float, name: str) -> None:
    n = 0
    while not stop.is_set():
        n += 1
        offering, library = random.choice(setup["offerings"]), random.choice(setup["libraries"])
        manage = register(visitor, offering, library, f"{name}-{n}", random.randint(1, 3))
        stop.wait(random.uniform(0.5, 1.5) * think)
        if manage and random.random() < 0.5 and not stop.is_set():
            cancel_one(visitor, manage)
            stop.wait(random.uniform(0.5, 1.5) * think)


# --- The registration round ----------------------------------------------------------------------------------------

# What templates/registration/_availability.html and includes/registration_box.html say, in Danish.
SEATS_LEFT = re.compile(r"(\d+) ledige? plads(?:er)?\b")
FULL = "Alle pladser er optaget"
NOT_OPEN = re.compile(r"Tilmeldingen åbner (?!i runder)")  # the box before the round, not the rounds' heading


def seats_left_shown(page: str) -> int | None:
    if found := SEATS_LEFT.search(page):
        return int(found.group(1))
    return 0 if FULL in page else None


def crowd(visitor: Visitor, path: str, stop: threading.Event, think: float) -> None:
    """A visitor waiting for the round: the offering page again and again, every `think` seconds or so. The first
    time at a random moment of the first `think` seconds: visitors do not all arrive in the same millisecond, as the
    threads would when they start together (200 requests at once on a page the round's publishing has just dropped)."""
    stop.wait(random.uniform(0, think))
    while not stop.is_set():
        status, _, page = visitor.request("offering page", path)
        sample = visitor.sample
        if status == 200:
            age = visitor.headers.get("Age")
            visitor.recorder.seen.append(
                Seen(sample.at, sample.ms, sample.cache, None if age is None else int(age), seats_left_shown(page),
                     bool(NOT_OPEN.search(page)))
            )  # fmt: skip
        stop.wait(random.uniform(2 / 3, 4 / 3) * think)


def round_contact(
    visitor: Visitor, offering: int, library: int, name: str, people: int, opens: float, stop: threading.Event
) -> None:
    """A contact who registers `people` once, in the second after the round opens (`opens`: time.monotonic())."""
    if not stop.wait(max(opens - time.monotonic(), 0) + random.uniform(0, 1)):
        register(visitor, offering, library, name, people)


def crowd_process(base: str, path: str, stop, think: float, visitors: int, started: float, results) -> None:
    """`visitors` of the crowd as threads of a process of their own (`--client-processes`), so that their Python
    shares no interpreter lock with the rest of the load client; their samples and pages go back through `results`
    (a queue) once `stop` (the run's event, shared between processes) is set. `started`: the run's time.monotonic(),
    the same clock in every process."""
    recorder = Recorder(started=started)
    threads = [
        threading.Thread(target=crowd, args=(Visitor(base, recorder), path, stop, think)) for _ in range(visitors)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put((recorder.samples, recorder.seen))
