"""Made-up registrations for the dashboard and landscape tests, at fixed dates seen from NOW (20 June 2024)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from django.utils import timezone

from events.registration.models import Participant, ParticipantStatus, Registration, SessionAttendance
from events.registration.tally import tally_change
from network.models import Library, Theme
from tests.events.factories import CoursePageFactory, CourseSessionFactory, EventPageFactory
from tests.network.factories import ThemeFactory

NOW = timezone.make_aware(dt.datetime(2024, 6, 20, 12, 0))
_emails = itertools.count(1)


def at(year: int, month: int, day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, 10, 0))


def add(
    offering,
    library: Library,
    when: dt.datetime,
    n: int = 1,
    status: str = ParticipantStatus.CONFIRMED,
    email: str | None = None,
):
    """n participants from `library` on one registration; each with an address of their own unless `email` is given."""
    registration = Registration(
        offering=offering,
        library=library,
        contact_name="Kontaktperson",
        contact_email="kontakt@example.org",
        consent_at=when,
        privacy_notice_version="1",
        created_at=when,
    )
    registration.set_new_token()
    registration.save()
    made = [
        Participant.objects.create(
            registration=registration,
            offering=offering,
            name=f"Deltager {number}",
            email=f"deltager{number}@example.org" if email is None else email,
            status=status,
            queued_at=when,
        )
        for number in (next(_emails) for _ in range(n))
    ]
    # Made past the services, at dates of our choosing: the dashboard's tally is kept here, as the services keep it.
    tally_change(participants=[p for p in made if p.status == ParticipantStatus.CONFIRMED], delta=1)
    return made


@dataclass
class Figures:
    herning: Library
    ballerup: Library
    aalborg: Library
    themes: dict[str, Theme]
    webinar: object
    leadership: object
    old: object
    course: object
    future: object
    other_section: object
    untagged: object


# All at fixed dates, seen from NOW (20 June 2024, Copenhagen). Each offering (start; themes): confirmed (queued).
# - Webinar verdensmål (2024-04-15; Verdensmål, Formidling): Herning 3, Ballerup 2 (March 2024); plus 1 cancelled
#   and 1 waiting, never counted.
# - Ledelse i praksis (2024-01-15; Ledelse): Herning 1, Aalborg 2 (December 2023).
# - Inspirationsdag (2023-03-23; Verdensmål): Herning 2 (February 2023); too old for the last 12 months.
# - Formidlingskursus, a course (2024-05-15; Formidling): Herning 2 (one attended a day, one absent from both),
#   Ballerup 1 (no attendance recorded) (April 2024).
# - Ledernetværk (2024-07-20, not started; Ledelse): Herning 2 (May 2024); Aalborg 1 waiting.
# - KI-temadag (2024-08-01, not started; another section; no theme): Ballerup 1 (May 2024).
# - Åbent møde (2024-05-25; no theme): Aalborg 1 (May 2024).
def build(section, other_section) -> Figures:
    herning = Library.objects.get(municipality__name="Herning")  # Region Midtjylland
    ballerup = Library.objects.get(municipality__name="Ballerup")  # Region Hovedstaden
    aalborg = Library.objects.get(municipality__name="Aalborg")  # Region Nordjylland
    themes = {name: ThemeFactory(name=name) for name in ("Verdensmål", "Formidling", "Ledelse")}

    def event(title, start, theme_names, parent=section, **kwargs):
        return EventPageFactory(
            parent=parent,
            title=title,
            start=start,
            end=start + dt.timedelta(hours=6),
            registration_enabled=True,
            themes=[themes[name] for name in theme_names],
            **kwargs,
        )

    webinar = event("Webinar verdensmål", at(2024, 4, 15), ["Verdensmål", "Formidling"], capacity=20)
    add(webinar, herning, at(2024, 3, 10), 3)
    add(webinar, herning, at(2024, 3, 10), 1, ParticipantStatus.CANCELLED)
    add(webinar, ballerup, at(2024, 3, 12), 2)
    add(webinar, ballerup, at(2024, 3, 12), 1, ParticipantStatus.WAITING)

    leadership = event("Ledelse i praksis", at(2024, 1, 15), ["Ledelse"])
    add(leadership, herning, at(2023, 12, 5), 1)
    add(leadership, aalborg, at(2023, 12, 5), 2)

    old = event("Inspirationsdag", at(2023, 3, 23), ["Verdensmål"])
    add(old, herning, at(2023, 2, 1), 2)

    course = CoursePageFactory(
        parent=section,
        title="Formidlingskursus",
        start=at(2024, 5, 15),
        end=at(2024, 6, 12),
        registration_enabled=True,
        themes=[themes["Formidling"]],
        sessions=[
            CourseSessionFactory.build(title="Kursusgang 1", date=dt.date(2024, 5, 15)),
            CourseSessionFactory.build(title="Kursusgang 2", date=dt.date(2024, 6, 12)),
        ],
    )
    attended, absent = add(course, herning, at(2024, 4, 10), 2)
    add(course, ballerup, at(2024, 4, 10), 1)
    day_1, day_2 = course.sessions.order_by("date")
    SessionAttendance.objects.create(participant=attended, session=day_1, attended=True)
    SessionAttendance.objects.create(participant=attended, session=day_2, attended=False)
    SessionAttendance.objects.create(participant=absent, session=day_1, attended=False)
    SessionAttendance.objects.create(participant=absent, session=day_2, attended=False)

    future = event("Ledernetværk", at(2024, 7, 20), ["Ledelse"], capacity=5)
    add(future, herning, at(2024, 5, 20), 2)
    add(future, aalborg, at(2024, 5, 21), 1, ParticipantStatus.WAITING)

    other = event("KI-temadag", at(2024, 8, 1), [], parent=other_section, capacity=30)
    add(other, ballerup, at(2024, 5, 22), 1)

    untagged = event("Åbent møde", at(2024, 5, 25), [])
    add(untagged, aalborg, at(2024, 5, 1), 1)

    return Figures(herning, ballerup, aalborg, themes, webinar, leadership, old, course, future, other, untagged)


def more_data(section, library, n: int):
    """n more offerings, each with its own theme and participants in different months."""
    for i in range(n):
        event = EventPageFactory(
            parent=section,
            title=f"Ekstra {i}",
            start=at(2024, 2 + i % 4, 10),
            end=at(2024, 2 + i % 4, 10) + dt.timedelta(hours=3),
            registration_enabled=True,
            capacity=10,
            themes=[ThemeFactory(name=f"Ekstra tema {i}")],
        )
        add(event, library, at(2024, 1 + i % 5, 3), 2)
        future = EventPageFactory(
            parent=section, title=f"Kommende {i}", start=at(2024, 9, 1 + i), registration_enabled=True
        )
        add(future, library, at(2024, 6, 1), 1)
