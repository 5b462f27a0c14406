"""Volume data for benchmarks: realistic offerings spread over ten years, deterministic for a seed, written in
batches so memory stays flat; the search index is built afterwards with `update_index` (README, "Volume data")."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections.abc import Callable, Iterator

from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone

from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.signal_handlers import disable_reference_index_auto_update

from events.models import CourseDayKind, CoursePage, CourseSession, EventPage
from network.models import (
    AttendanceMode,
    Audience,
    InitiativeIndexPage,
    InitiativePage,
    Municipality,
    PageTheme,
    Status,
    Theme,
)
from webinars.models import WebinarPage

BATCH_SIZE = 250
SECTIONS = 8
YEARS_BACK = 9
YEARS_AHEAD = 1

TOPICS = [
    "Verdensmål i hverdagen", "Læseklub for voksne", "Formidling for børn", "Skole og bibliotek",
    "Citizen science i praksis", "Design thinking", "Ledelse af forandring", "Trivsel på arbejdspladsen",
    "Digital dannelse", "Bæredygtige biblioteker", "Fællesskaber og frivillige", "Data og dokumentation",
    "Lokalhistorie", "Demokrati og debat", "Partnerskaber", "Brugerinddragelse",
]  # fmt: skip
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
                        sections[number % len(sections)].add_child(instance=page)
                        chosen = self.random.sample(self.themes, k=self.random.choice([1, 1, 2, 2, 3]))
                        PageTheme.objects.bulk_create([PageTheme(tag_id=t, content_object_id=page.pk) for t in chosen])
                        made += 1
                if progress:
                    progress(made, count)
        return made

    @staticmethod
    def _batches(count: int, offset: int) -> Iterator[range]:
        last = offset + count
        for start in range(offset + 1, last + 1, BATCH_SIZE):
            yield range(start, min(start + BATCH_SIZE, last + 1))
