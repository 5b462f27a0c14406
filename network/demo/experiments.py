"""The demo's experiments between course days: three fictional ones on a course, written by its confirmed
participants (the texts are made up for the demo; the names are the participants' own demo names)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from events.models import CourseDayKind, CoursePage
from events.registration.experiment_models import Experiment
from events.registration.experiments import activity_deadlines
from events.registration.models import Participant, ParticipantStatus

EXPERIMENTS = [
    {
        "tried": (
            "Vi inviterede en 6. klasse til en time med booktalks, hvor eleverne selv valgte bøger til hinanden. "
            "Bagefter lånte de bøgerne med hjem."
        ),
        "with_whom": "Dansklæreren og skolebibliotekaren",
        "learned": (
            "Eleverne lytter mere til hinanden end til os. Næste gang lader vi dem forberede booktalks hjemme, "
            "og læreren vil gerne gentage det hvert halve år."
        ),
    },
    {
        "tried": (
            "Et kort forløb om kildekritik: eleverne undersøgte tre nyheder om klimaet og fandt ud af, hvem der "
            "stod bag dem."
        ),
        "with_whom": "To 8. klasser og deres samfundsfagslærer",
        "learned": (
            "Vores viden om søgning og kilder er en kompetence, skolen efterspørger. Vi har aftalt et møde med "
            "skolens ledelse om et fast samarbejde."
        ),
    },
    {
        "tried": "Lektiecafé på biblioteket én eftermiddag om ugen i fire uger, med frivillige fra gymnasiet.",
        "with_whom": "Skolens SFO og de frivillige",
        "learned": ("Det kræver en fast kontaktperson på skolen. Fremmødet steg, da lærerne nævnte caféen i klassen."),
    },
]


@transaction.atomic
def load_experiments(course: CoursePage) -> int:
    """Three experiments for the course's first activity, each by another confirmed participant (the first one's
    with a colleague from the same library on the team, when there is one). Idempotent; returns how many were
    made. Written as the participants would have before the deadline, so a course that has ended gets them too."""
    activity = course.sessions.filter(kind=CourseDayKind.ACTIVITY).first()
    if activity is None or Experiment.objects.filter(offering=course).exists():
        return 0
    participants = list(
        Participant.objects.filter(
            offering=course, status=ParticipantStatus.CONFIRMED, anonymised_at__isnull=True
        ).select_related("registration")
    )
    deadline = activity_deadlines(course=course)[activity.pk]
    written = deadline - dt.timedelta(days=2)
    # Authors from different libraries first, so the handout shows several; then anyone.
    authors, libraries = [], set()
    for participant in participants:
        if participant.registration.library_id not in libraries:
            authors.append(participant)
            libraries.add(participant.registration.library_id)
    authors = (authors + [p for p in participants if p not in authors])[: len(EXPERIMENTS)]
    made = 0
    for text, author in zip(EXPERIMENTS, authors, strict=False):
        experiment = Experiment.objects.create(
            offering=course, activity=activity, author=author, created_at=written, updated_at=written, **text
        )
        made += 1
        if made == 1:
            colleague = next(
                (
                    p
                    for p in participants
                    if p not in authors and p.registration.library_id == author.registration.library_id
                ),
                None,
            )
            if colleague is not None:
                experiment.team.add(colleague)
    return made
