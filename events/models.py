"""Events (one-day or multi-day) and courses ("forløb" made of course days, "kursusgange")."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable
from wagtail.search import index

from network.admin_forms import DerivedFieldPanel, OrganisedPageForm
from network.blocks import EvaluationBlock, MaterialsBlock, ProgrammeBlock
from network.models import (
    RICH_TEXT_FEATURES,
    AttendanceMode,
    ListingIndexPage,
    LocationMixin,
    OfferingPage,
    Status,
)

# Registration's models live in events/registration/models.py (and evaluation_models.py) and belong to this app:
# these imports register them.
from .registration.evaluation_models import EvaluationInvitation, EvaluationResponse
from .registration.experiment_models import Experiment
from .registration.models import (
    EligibilityRound,
    OutboxMessage,
    Participant,
    ParticipantStatus,
    Registration,
    RegistrationLogEntry,
    SessionAttendance,
)
from .registration.notify_models import NotificationRequest

__all__ = [
    "CourseIndexPage",
    "EvaluationInvitation",
    "EvaluationResponse",
    "EligibilityRound",
    "NotificationRequest",
    "Experiment",
    "OutboxMessage",
    "Participant",
    "ParticipantStatus",
    "Registration",
    "RegistrationLogEntry",
    "SessionAttendance",
    "CoursePage",
    "CourseSession",
    "EventIndexPage",
    "EventPage",
    "Status",
]


class EventIndexPage(ListingIndexPage):
    """Lists every event and course of the network, wherever in the tree it lives, with filters."""

    listing_kinds = ["event", "course"]

    class Meta:
        verbose_name = _("oversigt over arrangementer og kurser")


class CourseIndexPage(ListingIndexPage):
    """Lists every course of the network, wherever in the tree it lives, with filters."""

    listing_kinds = ["course"]

    class Meta:
        verbose_name = _("oversigt over kurser og forløb")


class EventPage(LocationMixin, OfferingPage):
    """A one-day or multi-day event: an inspiration day, a conference, a knowledge festival."""

    page_description = _(
        "Et arrangement på én dag eller nogle dage i træk: en inspirationsdag, en konference, en festival. "
        "Mødes deltagerne flere gange med tid imellem, så vælg et kursus."
    )

    offering_kind = "event"
    kind_order = 3

    programme = StreamField(ProgrammeBlock(), verbose_name=_("program"), blank=True)
    materials = StreamField(MaterialsBlock(), verbose_name=_("materialer"), blank=True)

    content_panels = [
        *OfferingPage.content_panels,
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("start"), FieldPanel("end")]), FieldPanel("status")],
            heading=_("Tid og status"),
        ),
        MultiFieldPanel(LocationMixin.location_panels, heading=_("Sted")),
        FieldPanel("themes"),
        FieldPanel("audience"),
        FieldPanel("organiser"),
        FieldPanel("contact_person"),
        FieldPanel("programme"),
        FieldPanel("materials"),
    ]
    search_fields = [
        *OfferingPage.search_fields,
        index.SearchField("venue_name"),
        index.SearchField("city"),
        index.RelatedFields("municipality", [index.SearchField("name")]),
        index.FilterField("municipality"),
    ]
    api_fields = [
        *OfferingPage.api_fields,
        *LocationMixin.location_api_fields,
        APIField("online_url"),
        APIField("programme"),
        APIField("materials"),
    ]

    class Meta:
        verbose_name = _("arrangement")
        verbose_name_plural = _("arrangementer")

    def derive_region(self) -> str:
        return self.municipality.region if self.municipality_id and self.is_on_site else ""

    def clean(self):
        errors = self.clean_location()
        try:
            super().clean()
        except ValidationError as error:
            errors.update(error.message_dict)
        if errors:
            raise ValidationError(errors)


class CourseDayKind(models.TextChoices):
    COURSE_DAY = "kursusgang", _("Kursusgang")
    ACTIVITY = "aktivitet", _("Aktivitet mellem kursusgangene")


class CoursePageForm(OrganisedPageForm):
    """The admin form of a course: its period is not typed but follows from the steps entered in the same form, so
    deadlines are checked against it before anything is saved."""

    def clean(self):
        cleaned_data = super().clean()
        sessions = self.formsets.get("sessions")
        if sessions is not None and sessions.is_valid():
            steps = [
                form.instance for form in sessions.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ]
            if steps:
                self.instance.start, self.instance.end = period_of(steps)
        return cleaned_data


def period_of(steps) -> tuple[dt.datetime, dt.datetime]:
    """A course's start and end from its steps: the first step's start and the last step's end, a step without a
    time counting from the start of its first day to the end of its last."""
    starts, ends = [], []
    for step in steps:
        starts.append(step.starts_at() or timezone.make_aware(dt.datetime.combine(step.date, dt.time.min)))
        last_day = step.end_date or step.date
        ends.append(
            step.ends_at() or timezone.make_aware(dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time.min))
        )
    return min(starts), max(ends)


class CoursePage(OfferingPage):
    """A course ("forløb"): ordered steps, the course days with goals and programme and the activities between them.

    `start` and `end` are the course's period, from its first step's start to its last step's end (`period_of`): the
    admin derives them from the steps, so they are shown, not typed; code that leaves them out gets them on save.
    """

    page_description = _(
        "Et forløb for de samme deltagere over flere kursusgange, evt. med opgaver imellem og et lederspor. "
        "Datoerne følger af kursusgangene."
    )

    offering_kind = "course"
    kind_order = 2

    materials = StreamField(MaterialsBlock(), verbose_name=_("materialer"), blank=True)
    certificate_share = models.PositiveSmallIntegerField(
        _("kursusbevis ved fremmøde (%)"),
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Deltagere, der har været med til mindst så stor en del af kursusgangene, får et kursusbevis, "
            "når forløbet er slut. 100: alle kursusgange."
        ),
    )

    experiments_shared = models.BooleanField(
        _("Deltagerne kan læse hinandens eksperimenter"),
        default=False,
        help_text=_("Hver deltager ser de andres eksperimenter på sin egen side, med navn og bibliotek."),
    )

    base_form_class = CoursePageForm
    registration_panels = [
        *OfferingPage.registration_panels,
        FieldPanel("certificate_share"),
        FieldPanel("experiments_shared"),
    ]
    content_panels = [
        *OfferingPage.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        DerivedFieldPanel("start", pending=_("Den første kursusgangs start")),
                        DerivedFieldPanel("end", pending=_("Den sidste kursusgangs slut")),
                    ]
                ),
                FieldPanel("status"),
            ],
            heading=_("Forløbets periode og status"),
            help_text=_("Start og slut følger af kursusgangene og aktiviteterne nedenfor."),
        ),
        FieldPanel("attendance_mode"),
        FieldPanel("themes"),
        FieldPanel("audience"),
        FieldPanel("organiser"),
        FieldPanel("contact_person"),
        InlinePanel("sessions", label=_("Kursusgang eller aktivitet"), heading=_("Forløbets gang"), min_num=1),
        FieldPanel("materials"),
    ]
    search_fields = [
        *OfferingPage.search_fields,
        index.RelatedFields(
            "sessions",
            [
                index.SearchField("title"),
                index.SearchField("goals"),
                index.SearchField("description"),
                index.SearchField("venue_name"),
                index.SearchField("city"),
            ],
        ),
    ]
    api_fields = [
        *OfferingPage.api_fields,
        APIField("tracks"),
        APIField("sessions"),
        APIField("materials"),
    ]

    class Meta:
        verbose_name = _("kursus")
        verbose_name_plural = _("kurser")

    def full_clean(self, *args, **kwargs):
        self.fill_period()
        super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        self.fill_period()
        return super().save(*args, **kwargs)

    def fill_period(self) -> None:
        """The period from the steps, where it was left out (the admin's form sets it; so may code)."""
        if (self.start is None or self.end is None) and (steps := list(self.sessions.all())):
            self.start, self.end = period_of(steps)

    def derive_region(self) -> str:
        """The region of the first course day with a venue."""
        for session in self.sessions.all():
            if session.is_course_day and session.municipality_id and session.is_on_site:
                return session.municipality.region
        return ""

    @property
    def course_days(self):
        return [session for session in self.sessions.all() if session.kind == CourseDayKind.COURSE_DAY]


class CourseSession(LocationMixin, Orderable):
    """One step of a course: a course day (kursusgang) or an activity between course days."""

    page = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("type"), max_length=12, choices=CourseDayKind.choices, default=CourseDayKind.COURSE_DAY)
    attendance_mode = models.CharField(
        _("form"), max_length=10, choices=AttendanceMode.choices, default=AttendanceMode.ON_SITE
    )
    title = models.CharField(_("titel"), max_length=200)
    date = models.DateField(_("dato"))
    end_date = models.DateField(
        _("slutdato"), null=True, blank=True, help_text=_("Kun for aktiviteter over flere dage.")
    )
    start_time = models.TimeField(_("starttid"), null=True, blank=True)
    end_time = models.TimeField(_("sluttid"), null=True, blank=True)
    goals = RichTextField(_("dagens mål"), features=RICH_TEXT_FEATURES, blank=True)
    description = RichTextField(_("beskrivelse"), features=RICH_TEXT_FEATURES, blank=True)
    programme = StreamField(ProgrammeBlock(), verbose_name=_("program"), blank=True)
    materials = StreamField(MaterialsBlock(), verbose_name=_("materialer"), blank=True)
    # A course day's own evaluation, sent when the day ends (events.registration.evaluations); empty: none.
    evaluation = StreamField(
        EvaluationBlock(),
        verbose_name=_("evaluering af kursusgangen"),
        blank=True,
        default=list,
        help_text=_("Spørgsmål til deltagerne, når kursusgangen er slut. Tom: ingen evaluering af dagen."),
    )

    panels = [
        FieldPanel("kind"),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("date"), FieldPanel("end_date")]),
        FieldRowPanel([FieldPanel("start_time"), FieldPanel("end_time")]),
        *LocationMixin.location_panels,
        FieldPanel("goals"),
        FieldPanel("description"),
        FieldPanel("programme"),
        FieldPanel("materials"),
        FieldPanel("evaluation"),
    ]
    api_fields = [
        APIField("kind"),
        APIField("title"),
        APIField("date"),
        APIField("end_date"),
        APIField("start_time"),
        APIField("end_time"),
        APIField("attendance_mode"),
        *LocationMixin.location_api_fields,
        APIField("online_url"),
        APIField("goals"),
        APIField("description"),
        APIField("programme"),
        APIField("materials"),
    ]

    class Meta(Orderable.Meta):
        # Editors order the steps; steps without an order (made outside the admin) follow the calendar.
        ordering = ["sort_order", "date", "start_time", "pk"]
        verbose_name = _("kursusgang eller aktivitet")
        verbose_name_plural = _("kursusgange og aktiviteter")

    def __str__(self) -> str:
        return self.title

    @property
    def is_course_day(self) -> bool:
        return self.kind == CourseDayKind.COURSE_DAY

    def starts_at(self) -> dt.datetime | None:
        if self.start_time is None:
            return None
        return timezone.make_aware(dt.datetime.combine(self.date, self.start_time))

    def ends_at(self) -> dt.datetime | None:
        if self.end_time is None:
            return None
        return timezone.make_aware(dt.datetime.combine(self.end_date or self.date, self.end_time))

    def clean(self):
        super().clean()
        errors = {}
        if self.is_course_day:
            errors.update(self.clean_location())
            if self.start_time is None:
                errors["start_time"] = _("En kursusgang skal have en starttid.")
            if self.end_time is None:
                errors["end_time"] = _("En kursusgang skal have en sluttid.")
        if self.end_date and self.date and self.end_date < self.date:
            errors["end_date"] = _("Slutdatoen kan ikke ligge før datoen.")
        elif (
            self.start_time
            and self.end_time
            and (self.end_date is None or self.end_date == self.date)
            and self.end_time <= self.start_time
        ):
            errors["end_time"] = _("Sluttiden skal ligge efter starttiden.")
        if errors:
            raise ValidationError(errors)
