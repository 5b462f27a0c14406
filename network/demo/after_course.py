"""The demo's recent past course with everything that follows it: registrations from several libraries, attendance for
both course days, the evaluation answered and the certificates issued, each through the service a visitor, a
coordinator or the scheduled commands would call, so the e-mails they write go through the outbox (`var/mail/`).

The course is dated from the earlier of the load day and today, so it has ended however the loader is dated; what
the services are told is the time each step would have happened. Loaded once: with registrations, it is left alone.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from django.contrib.auth import get_user_model
from django.utils import timezone

from events.models import CoursePage
from events.registration.certificates import certificates_issue
from events.registration.confirmation import TOKEN_PARAMETER
from events.registration.evaluation_models import EvaluationInvitation
from events.registration.evaluations import evaluation_answer, evaluations_invite_due
from events.registration.models import OutboxMessage, Registration
from events.registration.selectors import course_days
from events.registration.services import attendance_record, registration_create
from events.registration.values import Actor, ParticipantData
from network.blocks import default_evaluation
from network.models import Library

if TYPE_CHECKING:
    from .content import DemoLoader

COURSE_SLUG = "kompetenceforloeb-efteraarshold"
COURSE_TITLE = "Kompetenceforløb for bibliotekspersonale, efterårshold"
ENDED_DAYS_AGO = 10
COORDINATOR = "koordinator-db"  # the demo user who registers the attendance (content.DEMO_COORDINATORS)

# Who came, by library: (municipality, colleagues); the last colleague of a library may be its leader.
LIBRARIES = [("Herning", 3), ("Aarhus", 3), ("Odense", 2), ("Vejle", 2), ("Ballerup", 2)]
LEADERS = {("Aarhus", 3), ("Vejle", 2)}
# Who missed a course day (municipality, colleague, day 1 or 2): no certificate at the course's 100 %.
ABSENT = {("Odense", 2, 2), ("Vejle", 1, 1)}

# One scale question before the seed's "Exit" and "Opsamling", so the results show a chart and a mean too.
SCALE_QUESTION = {
    "question": "Hvor meget kan du bruge forløbet i dit arbejde?",
    "low_label": "Slet ikke",
    "high_label": "I høj grad",
    "required": True,
}

# Eight answers, made up for the demo: the scale, then "Exit" (two questions) and "Opsamling"; "" left blank.
ANSWERS = [
    (5, "At vi har meget mere at byde på, end vi selv tror.",
     "Lave en fortællecafé for nye borgere sammen med sprogskolen.",
     "Vi vil spørge borgerne, før vi planlægger næste sæson."),
    (4, "Hjemmeopgaven var det bedste: at prøve noget af i virkeligheden.",
     "Prøve et lånerpanel sammen med mine kolleger i udlånet.",
     "Et fast møde hver måned om nye aktiviteter."),
    (4, "Godt at møde kolleger fra andre biblioteker.", "", "Dele vores erfaringer på næste personalemøde."),
    (5, "Biblioteket som borgernes eget sted.",
     "Lave en byttedag med den lokale forening for unge forældre.",
     "Tage kompetencekortet med hjem til hele huset."),
    (3, "Meget stof på to dage, men gode øvelser.", "Læse mere om formidling sammen med min leder.", ""),
    (4, "At små forsøg kan ændre meget.",
     "Afprøve en ny læseklub sammen med ældreplejen.",
     "Evaluere forsøget og fortælle om det i kommunen."),
    (5, "Inspirerende og meget konkret.", "Planlægge et forløb med skolen sammen med børnebiblioteket.", ""),
    (4, "", "Lave en plan for næste skridt sammen med mit team.", "Vi holder en idédag i januar."),
]  # fmt: skip


def evaluation() -> list[dict]:
    return [{"type": "scale", "value": SCALE_QUESTION, "id": str(uuid.uuid4())}, *default_evaluation()]


def after_course_load(loader: DemoLoader) -> CoursePage:
    """The past course, and (once) its participants, attendance, evaluation answers and certificates."""
    base = min(loader.today, timezone.localdate())
    day1 = base - dt.timedelta(days=ENDED_DAYS_AGO + 35)  # staff_course puts day 2 five weeks after day 1
    course = loader.staff_course(
        COURSE_SLUG,
        COURSE_TITLE,
        day1,
        "Efterårets hold af kompetenceforløbet, med deltagere fra biblioteker i hele landet.",
    )
    if Registration.objects.filter(offering=course).exists():
        return course
    loader.open_registration(course, capacity=30, waiting_list=True, evaluation=evaluation())
    course = CoursePage.objects.get(pk=course.pk)
    participants = _register(course)
    _attend(course, participants)
    _answer(course)
    loader.report.note(bool(certificates_issue(course=course, now=course.end + dt.timedelta(days=1))))
    loader.report.note(True)
    return course


def _register(course: CoursePage) -> dict[tuple[str, int], object]:
    """Each library's contact registers the colleagues three weeks before the course, as on the public form."""
    registered_at = course.start - dt.timedelta(days=21)
    participants = {}
    for municipality, count in LIBRARIES:
        library = Library.objects.get(municipality__name=municipality)
        slug = municipality.lower()
        people = [
            ParticipantData(
                name=f"Medarbejder {n}, {library.name}",
                email=f"medarbejder{n}.{slug}@example.org",
                job_title="Leder" if (municipality, n) in LEADERS else "Bibliotekar",
                track="Lederspor" if (municipality, n) in LEADERS else "Medarbejderspor",
            )
            for n in range(1, count + 1)
        ]
        result = registration_create(
            offering=course,
            library=library,
            contact_name=f"Kontaktperson, {library.name}",
            contact_email=f"kontakt.{slug}@example.org",
            participants=people,
            consent=True,
            contact_confirmed=True,
            now=registered_at,
        )
        for n, participant in enumerate(result.confirmed, start=1):
            participants[municipality, n] = participant
    return participants


def _attend(course: CoursePage, participants: dict) -> None:
    """The coordinator registers who came, the day after the last course day."""
    coordinator = get_user_model().objects.filter(username=COORDINATOR).first()
    days = course_days(course=course)
    attended = {
        (participant.pk, day.pk)
        for (municipality, n), participant in participants.items()
        for number, day in enumerate(days, start=1)
        if (municipality, n, number) not in ABSENT
    }
    actor = Actor.coordinator(coordinator) if coordinator else Actor.system()
    attendance_record(course=course, attended=attended, actor=actor, now=course.end + dt.timedelta(hours=20))


def _answer(course: CoursePage) -> None:
    """Everyone is invited when the course ends (as `evaluations_invite_due` runs on schedule), and eight answer
    in the days after, each through the link in their e-mail: the outbox is the only place the link's token is."""
    evaluations_invite_due(now=course.end + dt.timedelta(hours=1))
    question_ids = [child.id for child in course.evaluation]
    invitations = {i.participant_id: i for i in EvaluationInvitation.objects.filter(offering=course)}
    invited = OutboxMessage.objects.filter(kind="evaluation", registration__offering=course).order_by("pk")
    for n, (message, answers) in enumerate(zip(invited, ANSWERS, strict=False)):
        query = parse_qs(urlsplit(message.context["evaluation_url"]).query)
        evaluation_answer(
            invitation=invitations[message.context["participant"][0]],
            token=query[TOKEN_PARAMETER][0],
            answers=dict(zip(question_ids, answers, strict=True)),
            now=course.end + dt.timedelta(days=1 + n % 4, hours=n),
        )
