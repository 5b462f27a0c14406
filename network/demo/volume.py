"""Volume data for benchmarks: realistic offerings spread over ten years, deterministic for a seed, written in
batches so memory stays flat; the search index is built afterwards with `update_index` (README, "Volume data")."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import random
import uuid
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone

from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.signal_handlers import disable_reference_index_auto_update

from events.models import CourseDayKind, CoursePage, CourseSession, EventPage
from events.registration.models import (
    LogAction,
    Participant,
    ParticipantStatus,
    Registration,
    RegistrationLogEntry,
)
from events.registration.tally import tally_change
from network.models import (
    AttendanceMode,
    Audience,
    InitiativeIndexPage,
    InitiativePage,
    Library,
    Municipality,
    OfferingPage,
    PageTheme,
    Status,
    Theme,
)
from webinars.models import WebinarPage

BATCH_SIZE = 250
PARTICIPANT_BATCH = 5000
SECTIONS = 8
# Every fourth offering goes to the first section, so a volume of 20,000 has a section of 5,000 (the page explorer).
LARGE_SECTION_SHARE = 4
# One course gets this many participants (its capacity a tenth fewer, the rest wait): one offering's registrations.
LARGE_OFFERING_PARTICIPANTS = 2000
YEARS_BACK = 9
YEARS_AHEAD = 1

TOPICS = [
    "Verdensmål i hverdagen", "Læseklub for voksne", "Formidling for børn", "Skole og bibliotek",
    "Citizen science i praksis", "Design thinking", "Ledelse af forandring", "Trivsel på arbejdspladsen",
    "Digital dannelse", "Bæredygtige biblioteker", "Fællesskaber og frivillige", "Data og dokumentation",
    "Lokalhistorie", "Demokrati og debat", "Partnerskaber", "Brugerinddragelse",
]  # fmt: skip
FIRST_NAMES = [
    "Anne",
    "Mette",
    "Hanne",
    "Lone",
    "Kirsten",
    "Søren",
    "Jens",
    "Lars",
    "Mikkel",
    "Åse",
    "Ørnulf",
    "Freja",
    "Ida",
    "Emil",
    "Karen",
    "Bo",
    "Signe",
    "Rasmus",
    "Maja",
    "Troels",
]
LAST_NAMES = [
    "Holm",
    "Skov",
    "Bæk",
    "Østergaard",
    "Lund",
    "Krog",
    "Dahl",
    "Vestergaard",
    "Møller",
    "Brink",
    "Aagaard",
    "Kjær",
    "Thygesen",
    "Bach",
    "Munk",
]
JOB_TITLES = ["Bibliotekar", "Formidler", "Leder", "Kulturformidler", "Børnebibliotekar", "Biblioteksassistent"]
NEEDS = ["", "", "", "", "Vegetar", "Glutenfri", "Kørestol", "Laktosefri; vegetar"]
FORMS = {"event": ["Inspirationsdag", "Temadag", "Konference", "Netværksmøde", "Vidensfestival"],
         "course": ["Kompetenceforløb", "Kursus", "Forløb"], "webinar": ["Webinar"]}  # fmt: skip


@contextlib.contextmanager
def indexes_paused():
    """Pause the per-save updates of the search index and Wagtail's reference index while writing in bulk (generated
    pages refer to nothing but their themes; `update_index` rebuilds the search index afterwards)."""
    models = [EventPage, CoursePage, WebinarPage]
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)


class VolumeGenerator:
    def __init__(self, *, seed: int, today: dt.date | None = None):
        self.random = random.Random(seed)
        self.today = today or timezone.localdate()
        self.themes = list(Theme.objects.order_by("pk").values_list("pk", flat=True))
        self.municipalities = list(Municipality.objects.order_by("pk"))
        if not self.themes:
            raise ValueError("No themes: load the demo first (manage.py load_demo).")

    def sections(self) -> list[InitiativePage]:
        """The volume's own initiatives, created once, that hold the generated offerings."""
        index = InitiativeIndexPage.objects.get()
        sections = []
        for number in range(1, SECTIONS + 1):
            slug = f"volumen-{number}"
            section = index.get_children().filter(slug=slug).first()
            if section is None:
                section = index.add_child(
                    instance=InitiativePage(title=f"Volumenindsats {number}", slug=slug, intro="Benchmarkdata.")
                )
            sections.append(section.specific)
        return sections

    def _moment(self) -> dt.datetime:
        first = self.today - dt.timedelta(days=365 * YEARS_BACK)
        span = 365 * (YEARS_BACK + YEARS_AHEAD)
        day = first + dt.timedelta(days=self.random.randrange(span))
        hour = self.random.choice([9, 10, 13, 14])
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, self.random.choice([0, 30]))))

    def _common(self, kind: str, number: int) -> dict:
        topic = self.random.choice(TOPICS)
        form = self.random.choice(FORMS[kind])
        return {
            "title": f"{form}: {topic} ({number})",
            "slug": f"{kind}-{number}",
            "intro": f"{form} om {topic.lower()} for bibliotekernes personale.",
            "audience": self.random.choice(Audience.values),
            "status": self.random.choices(Status.values, weights=[94, 4, 2])[0],
            "live": True,
        }

    def _place(self) -> dict:
        municipality = self.random.choice(self.municipalities)
        return {
            "venue_name": f"{municipality.name} Bibliotek",
            "city": municipality.name,
            "municipality": municipality,
        }

    def build(self, number: int):
        """One unsaved offering page (with its course days for a course)."""
        kind = self.random.choices(["event", "course", "webinar"], weights=[45, 25, 30])[0]
        start = self._moment()
        fields = self._common(kind, number)
        if kind == "webinar":
            return WebinarPage(**fields, start=start, duration=self.random.choice([45, 60, 90]))
        if kind == "event":
            mode = self.random.choices(AttendanceMode.values, weights=[60, 25, 15])[0]
            place = self._place() if mode != AttendanceMode.ONLINE else {}
            days = self.random.choices([0, 1], weights=[85, 15])[0]
            end = start + dt.timedelta(days=days, hours=self.random.choice([2, 5, 6]))
            return EventPage(**fields, **place, attendance_mode=mode, start=start, end=end)
        place = self._place()
        gap = self.random.choice([21, 28, 35, 42])
        day1, day2 = start.date(), start.date() + dt.timedelta(days=gap)
        sessions = [
            CourseSession(kind=CourseDayKind.COURSE_DAY, title="Kursusgang 1", date=day1, start_time=dt.time(9),
                          end_time=dt.time(15, 30), **place, goals="<p>Dagens mål.</p>"),
            CourseSession(kind=CourseDayKind.ACTIVITY, title="Opgave mellem kursusgangene",
                          date=day1 + dt.timedelta(days=1), end_date=day2 - dt.timedelta(days=1)),
            CourseSession(kind=CourseDayKind.COURSE_DAY, title="Kursusgang 2", date=day2, start_time=dt.time(9),
                          end_time=dt.time(15, 30), **place, goals="<p>Dagens mål.</p>"),
        ]  # fmt: skip
        end = timezone.make_aware(dt.datetime.combine(day2, dt.time(15, 30)))
        return CoursePage(**fields, start=start, end=end, sessions=sessions)

    def generate(self, count: int, *, progress: Callable[[int, int], None] | None = None) -> int:
        sections = self.sections()
        offset = sum(section.numchild for section in sections)  # a second run adds to the first
        made = 0
        with indexes_paused():
            for batch in self._batches(count, offset):
                with transaction.atomic():
                    for number in batch:
                        page = self.build(number)
                        page.first_published_at = page.last_published_at = page.start - dt.timedelta(days=60)
                        sections[self._section_index(number)].add_child(instance=page)
                        chosen = self.random.sample(self.themes, k=self.random.choice([1, 1, 2, 2, 3]))
                        PageTheme.objects.bulk_create([PageTheme(tag_id=t, content_object_id=page.pk) for t in chosen])
                        made += 1
                if progress:
                    progress(made, count)
        return made

    @staticmethod
    def _section_index(number: int) -> int:
        if number % LARGE_SECTION_SHARE == 0:
            return 0
        return 1 + number % (SECTIONS - 1)

    @staticmethod
    def _batches(count: int, offset: int) -> Iterator[range]:
        last = offset + count
        for start in range(offset + 1, last + 1, BATCH_SIZE):
            yield range(start, min(start + BATCH_SIZE, last + 1))


class ParticipantGenerator:
    """Registrations with one to three participants each, over the volume's offerings, deterministic for a seed and
    written with bulk_create in batches (each its own transaction), so memory stays flat. The first course of the
    first section gets 2,000 of them (or all, when fewer are asked), past its capacity; the rest are spread at random.
    Names are made up from common Danish first and last names; addresses are numbered at example.org."""

    def __init__(self, *, seed: int, now: dt.datetime | None = None):
        self.random = random.Random(seed)
        self.now = now or timezone.now()
        self.libraries = list(Library.objects.order_by("pk").values_list("pk", flat=True))
        sections = InitiativePage.objects.filter(slug__startswith="volumen-").order_by("path")
        if not sections.exists():
            raise ValueError("No volume offerings: run generate_volume --offerings first.")
        self.offerings = [
            pk
            for section in sections
            for pk in OfferingPage.objects.child_of(section).order_by("path").values_list("pk", flat=True)
        ]
        self.large = CoursePage.objects.child_of(sections[0]).order_by("path").values_list("pk", flat=True).first()
        self.serial = Participant.objects.count()  # a second run adds new addresses

    def _registration(self, offering_id: int, created: dt.datetime) -> Registration:
        number = self.random.getrandbits(64)
        return Registration(
            offering_id=offering_id,
            public_id=uuid.UUID(int=self.random.getrandbits(128), version=4),
            token_hash=hashlib.sha256(str(number).encode()).hexdigest(),
            library_id=self.random.choice(self.libraries),
            contact_name=f"{self.random.choice(FIRST_NAMES)} {self.random.choice(LAST_NAMES)}",
            contact_email=f"kontakt{number % 100_000}@example.org",
            consent_at=created,
            privacy_notice_version=settings.REGISTRATION_PRIVACY_NOTICE_VERSION,
            created_at=created,
        )

    def _participant(self, registration: Registration, status: str) -> Participant:
        self.serial += 1
        first, last = self.random.choice(FIRST_NAMES), self.random.choice(LAST_NAMES)
        return Participant(
            registration=registration,
            offering_id=registration.offering_id,
            name=f"{first} {last}",
            email=f"deltager{self.serial}@example.org",
            job_title=self.random.choice(JOB_TITLES),
            needs=self.random.choice(NEEDS),
            status=status,
            queued_at=registration.created_at,
            confirmed_at=registration.created_at if status == ParticipantStatus.CONFIRMED else None,
        )

    def _plan(self, count: int) -> Iterator[tuple[int, int]]:
        """(offering, how many) per registration: first the large course's, then the rest at random."""
        large = min(count, LARGE_OFFERING_PARTICIPANTS) if self.large else 0
        left = large
        while left:
            size = min(left, self.random.choice([1, 1, 2, 3]))
            yield self.large, size
            left -= size
        left = count - large
        others = [pk for pk in self.offerings if pk != self.large] or [self.large]
        while left > 0:
            size = min(left, self.random.choice([1, 1, 2, 3]))
            yield self.random.choice(others), size
            left -= size

    def generate(self, count: int, *, progress: Callable[[int, int], None] | None = None) -> int:
        capacity = LARGE_OFFERING_PARTICIPANTS * 9 // 10
        if self.large:
            # Registration open, with fewer seats than people: confirmed participants and a waiting list.
            OfferingPage.objects.filter(pk=self.large).update(
                registration_enabled=True, capacity=capacity, waiting_list=True
            )
        seats_taken = 0
        made = 0
        plan = self._plan(count)
        while made < count:
            registrations, people = [], []
            for offering_id, size in plan:
                if offering_id == self.large:  # in the order they came, so the first have the seats
                    created = self.now - dt.timedelta(days=30) + dt.timedelta(minutes=seats_taken)
                else:
                    created = self.now - dt.timedelta(minutes=self.random.randrange(60 * 24 * 365 * 2))
                registration = self._registration(offering_id, created)
                registrations.append(registration)
                for _ in range(size):
                    status = ParticipantStatus.CONFIRMED
                    if offering_id == self.large:
                        seats_taken += 1
                        status = ParticipantStatus.CONFIRMED if seats_taken <= capacity else ParticipantStatus.WAITING
                    elif self.random.random() < 0.05:
                        status = ParticipantStatus.CANCELLED
                    people.append(self._participant(registration, status))
                if len(people) >= PARTICIPANT_BATCH:
                    break
            if not people:
                break
            with transaction.atomic():
                Registration.objects.bulk_create(registrations)
                for person in people:
                    person.registration_id = person.registration.pk
                Participant.objects.bulk_create(people)
                # Past the services: the dashboard's tally is kept here, as they keep it.
                tally_change(participants=[p for p in people if p.status == ParticipantStatus.CONFIRMED], delta=1)
                RegistrationLogEntry.objects.bulk_create(
                    RegistrationLogEntry(
                        registration_id=r.pk, action=LogAction.REGISTERED, actor_role="contact", created_at=r.created_at
                    )
                    for r in registrations
                )
            made += len(people)
            if progress:
                progress(made, count)
        return made
