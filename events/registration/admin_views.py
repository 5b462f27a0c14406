"""The coordinators' side of registration in the Wagtail admin.

Per offering (for those who may edit its page): counts, participants with filters and export, cancel and promote,
attendance on course days, the log. Across offerings (with `events.view_registrations`): an overview per library,
region and offering, and the outbox. One person's data (with `events.handle_personal_data`): see, export, erase.
Views only read and call `services`; every rule lives there.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import OrderedDict
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from wagtail.admin.ui.tables import Column
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BaseDjangoAuthPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy

from events.models import CoursePage
from network.models import Library, OfferingPage, Region, Track

from . import emails, services, stats
from .attendance import attendance_grid, course_days, record_attendance
from .landscape import landscape_context
from .models import (
    OutboxMessage,
    OutboxStatus,
    Participant,
    ParticipantStatus,
    RegistrationLogEntry,
)

VIEW_REGISTRATIONS = "events.view_registrations"
HANDLE_PERSONAL_DATA = "events.handle_personal_data"
LOG_ENTRIES_SHOWN = 50
ROLE_LABELS = {
    "contact": gettext_lazy("Kontaktperson"),
    "system": gettext_lazy("Systemet"),
    "coordinator": gettext_lazy("Koordinator"),
}


# --- Access --------------------------------------------------------------------------------------------------------


def editable_offering(request, page_id: int) -> OfferingPage:
    """The offering, if the user may edit its page (and so see and change its registrations)."""
    page = get_object_or_404(OfferingPage, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return page


def require_permission(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def local_naive(value: dt.datetime | None) -> dt.datetime | None:
    """Copenhagen wall-clock time, the way a coordinator reads it in a spreadsheet."""
    return None if value is None else timezone.localtime(value).replace(tzinfo=None)


class AdminTemplateView(WagtailAdminTemplateMixin, View):
    header_icon = "group"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("registration_admin:overview"), "label": _("Tilmeldinger")},
            {"url": "", "label": self.get_page_title()},
        ]

    def render(self, **context):
        return self.render_to_response(self.get_context_data(**context))


# --- One offering --------------------------------------------------------------------------------------------------


class ParticipantFilterForm(forms.Form):
    library = forms.ModelChoiceField(label=gettext_lazy("Bibliotek"), queryset=Library.objects.none(), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    track = forms.ChoiceField(label=gettext_lazy("Spor"), required=False)

    def __init__(self, *args, offering: OfferingPage, **kwargs):
        super().__init__(*args, **kwargs)
        # Only values that occur: the libraries that registered for this offering.
        self.fields["library"].queryset = Library.objects.filter(registrations__offering=offering).distinct()
        self.fields["library"].empty_label = _("Alle biblioteker")
        self.fields["status"].choices = [("", _("Alle"))] + list(ParticipantStatus.choices)
        self.fields["track"].choices = [("", _("Alle spor"))] + list(Track.choices)

    def filter(self, participants):
        """Apply the filters that are valid; an invalid one is reported on the form and left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("library"):
            participants = participants.filter(registration__library=data["library"])
        if data.get("status"):
            participants = participants.filter(status=data["status"])
        if data.get("track"):
            participants = participants.filter(track=data["track"])
        return participants


class OfferingRegistrationsView(SpreadsheetExportMixin, AdminTemplateView):
    """Counts, participants (filtered, exportable), actions and the latest log entries of one offering."""

    template_name = "registration/admin/offering.html"
    list_export = [
        "name",
        "email",
        "library",
        "region",
        "job_title",
        "track",
        "needs",
        "status",
        "position",
        "contact_name",
        "contact_email",
        "queued_at",
        "confirmed_at",
        "cancelled_at",
    ]
    export_headings = {
        "name": gettext_lazy("Navn"),
        "email": gettext_lazy("E-mail"),
        "library": gettext_lazy("Bibliotek"),
        "region": gettext_lazy("Region"),
        "job_title": gettext_lazy("Stilling"),
        "track": gettext_lazy("Spor"),
        "needs": gettext_lazy("Særlige behov"),
        "status": gettext_lazy("Status"),
        "position": gettext_lazy("Plads på ventelisten"),
        "contact_name": gettext_lazy("Kontaktperson"),
        "contact_email": gettext_lazy("Kontaktpersonens e-mail"),
        "queued_at": gettext_lazy("Tilmeldt"),
        "confirmed_at": gettext_lazy("Bekræftet"),
        "cancelled_at": gettext_lazy("Afmeldt"),
    }

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.offering = None

    def get_page_title(self):
        return self.offering.title if self.offering else _("Tilmeldinger")

    def get_page_subtitle(self):
        return ""

    def get_filename(self):
        return f"tilmeldinger-{self.offering.slug}"

    def participants(self):
        return Participant.objects.filter(offering=self.offering).select_related("registration__library__municipality")

    def to_row_dict(self, item: Participant):
        registration = item.registration
        return OrderedDict(
            name=item.name,
            email=item.email,
            library=registration.library.name,
            region=registration.library.municipality.get_region_display(),
            job_title=item.job_title,
            track=item.get_track_display(),
            needs=item.needs,
            status=item.get_status_display(),
            position=self.positions.get(item.pk, ""),
            contact_name=registration.contact_name,
            contact_email=registration.contact_email,
            queued_at=local_naive(item.queued_at),
            confirmed_at=local_naive(item.confirmed_at),
            cancelled_at=local_naive(item.cancelled_at),
        )

    def write_csv_row(self, writer, row_dict):
        # Names and needs come from a public form: a cell that starts like a formula must stay text in a spreadsheet.
        return super().write_csv_row(writer, {field: csv_safe(value) for field, value in row_dict.items()})

    def get(self, request, page_id: int):
        self.offering = editable_offering(request, page_id).specific
        self.positions = services.waiting_positions(self.offering.pk)
        form = ParticipantFilterForm(request.GET or None, offering=self.offering)
        participants = form.filter(self.participants())
        if self.is_export and form.is_valid():
            return self.as_spreadsheet(participants, request.GET["export"])
        if self.is_export:  # never export more than the coordinator asked for
            messages.error(request, _("Ret filtrene, før du henter listen."))
        rows = list(participants)
        for participant in rows:
            participant.position = self.positions.get(participant.pk)
        log_entries = (
            RegistrationLogEntry.objects.filter(registration__offering=self.offering)
            .select_related("actor", "participant")
            .order_by("-created_at", "-pk")[:LOG_ENTRIES_SHOWN]
        )
        return self.render(
            offering=self.offering,
            availability=services.availability(self.offering),
            cancelled_count=services.counts(self.offering.pk)[ParticipantStatus.CANCELLED],
            filter_form=form,
            participants=rows,
            log_entries=[(entry, actor_label(entry)) for entry in log_entries],
            is_course=isinstance(self.offering, CoursePage),
            csv_url=self.csv_export_url,
            xlsx_url=self.xlsx_export_url,
        )


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """Text a spreadsheet would take for a formula gets a leading apostrophe (OWASP's advice on CSV injection)."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) else value


def actor_label(entry: RegistrationLogEntry) -> str:
    if entry.actor is not None:
        return entry.actor.get_full_name() or entry.actor.get_username()
    return str(ROLE_LABELS.get(entry.actor_role, entry.actor_role))


def _back(request, offering: OfferingPage):
    fallback = reverse("registration_admin:offering", args=[offering.pk])
    return redirect(get_valid_next_url_from_request(request) or fallback)


class ParticipantActionView(View):
    """A POST that changes one participant through a service; a refusal is shown as the service's Danish message."""

    http_method_names = ["post"]

    def act(self, request, participant: Participant) -> str:
        raise NotImplementedError

    def post(self, request, page_id: int, participant_id: int):
        offering = editable_offering(request, page_id)
        participant = get_object_or_404(
            Participant.objects.select_related("registration"), pk=participant_id, offering=offering
        )
        try:
            messages.success(request, self.act(request, participant))
        except services.RegistrationError as error:
            messages.error(request, error.message)
        return _back(request, offering)


class CancelParticipantView(ParticipantActionView):
    def act(self, request, participant):
        # A coordinator is not bound by the contact's change deadline (the service knows).
        _cancelled, promoted = services.cancel_participants(
            participant.registration, [participant.pk], actor=services.Actor.coordinator(request.user)
        )
        message = _("%(name)s er afmeldt.") % {"name": participant.name}
        if promoted:
            message += " " + ngettext(
                "%(count)d deltager er rykket op fra ventelisten.",
                "%(count)d deltagere er rykket op fra ventelisten.",
                len(promoted),
            ) % {"count": len(promoted)}
        return message


class PromoteParticipantView(ParticipantActionView):
    def act(self, request, participant):
        services.promote(participant, actor=services.Actor.coordinator(request.user))
        return _("%(name)s har fået en plads.") % {"name": participant.name}


CELL = re.compile(r"^a-(\d+)-(\d+)$")


class AttendanceView(AdminTemplateView):
    """Confirmed participants × course days, with a checkbox per cell."""

    template_name = "registration/admin/attendance.html"
    header_icon = "tasks"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        offering = editable_offering(request, kwargs["page_id"]).specific
        if not isinstance(offering, CoursePage):
            raise Http404(_("Fremmøde føres kun for kurser."))
        self.course = offering

    def get_page_title(self):
        return _("Fremmøde: %(title)s") % {"title": self.course.title}

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        url = reverse("registration_admin:offering", args=[self.course.pk])
        return [*items[:-1], {"url": url, "label": self.course.title}, items[-1]]

    def get(self, request, page_id: int):
        days = course_days(self.course)
        grid = attendance_grid(self.course)
        participants = Participant.objects.filter(offering=self.course, status=ParticipantStatus.CONFIRMED)
        rows = [
            (participant, [(day, grid.get((participant.pk, day.pk), False)) for day in days])
            for participant in participants.select_related("registration__library")
        ]
        return self.render(course=self.course, days=days, rows=rows)

    def post(self, request, page_id: int):
        attended = {(int(match[1]), int(match[2])) for key in request.POST if (match := CELL.match(key)) is not None}
        try:
            changed = record_attendance(
                course=self.course, attended=attended, actor=services.Actor.coordinator(request.user)
            )
        except services.RegistrationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext("Fremmødet er gemt (%(count)d ændring).", "Fremmødet er gemt (%(count)d ændringer).", changed)
                % {"count": changed},
            )
        return redirect("registration_admin:attendance", page_id=self.course.pk)


# --- Across offerings ----------------------------------------------------------------------------------------------


class OverviewFilterForm(forms.Form):
    start_from = forms.DateField(
        label=gettext_lazy("Start fra"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    start_to = forms.DateField(
        label=gettext_lazy("Start til og med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("start_from") and data.get("start_to") and data["start_from"] > data["start_to"]:
            raise forms.ValidationError(_("Fra-datoen skal ligge før til-datoen."))
        return data

    def filter(self, offerings):
        """Filter offerings by their start (Copenhagen dates, both ends included); invalid input filters nothing."""
        if not self.is_valid():
            return offerings
        if self.cleaned_data.get("start_from"):
            offerings = offerings.filter(start__gte=start_of_day(self.cleaned_data["start_from"]))
        if self.cleaned_data.get("start_to"):
            offerings = offerings.filter(start__lt=start_of_day(self.cleaned_data["start_to"] + dt.timedelta(days=1)))
        return offerings


def start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def overview_rows(offerings) -> dict:
    """Confirmed participants per library, per region and per offering, for the given offerings."""
    confirmed = Participant.objects.filter(offering__in=offerings, status=ParticipantStatus.CONFIRMED)
    per_library = (
        confirmed.values(
            "registration__library", "registration__library__name", "registration__library__municipality__region"
        )
        .annotate(n=Count("pk"))
        .order_by("-n", "registration__library__name")
    )
    by_region = dict(
        confirmed.values_list("registration__library__municipality__region").annotate(n=Count("pk")).order_by()
    )
    per_offering = (
        offerings.filter(Q(registration_enabled=True) | Exists(Participant.objects.filter(offering=OuterRef("pk"))))
        .annotate(
            confirmed=Count("participants", filter=Q(participants__status=ParticipantStatus.CONFIRMED)),
            waiting=Count("participants", filter=Q(participants__status=ParticipantStatus.WAITING)),
            cancelled=Count("participants", filter=Q(participants__status=ParticipantStatus.CANCELLED)),
        )
        .order_by("start", "pk")
    )
    regions = dict(Region.choices)
    return {
        "per_library": [
            {
                "library_id": row["registration__library"],
                "library": row["registration__library__name"],
                "region": regions.get(row["registration__library__municipality__region"], ""),
                "confirmed": row["n"],
            }
            for row in per_library
        ],
        "per_region": [{"region": label, "confirmed": by_region.get(value, 0)} for value, label in Region.choices],
        "per_offering": list(per_offering),
        "total": sum(by_region.values()),
    }


class OverviewView(AdminTemplateView):
    template_name = "registration/admin/overview.html"
    page_title = gettext_lazy("Tilmeldinger")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get(self, request):
        require_permission(request, VIEW_REGISTRATIONS)
        form = OverviewFilterForm(request.GET or None)
        offerings = form.filter(OfferingPage.objects.all())
        data = overview_rows(offerings)
        ids = [offering.pk for offering in data["per_offering"]]
        editable = set(
            PagePermissionPolicy()
            .instances_user_has_permission_for(request.user, "change")
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
        for offering in data["per_offering"]:
            offering.can_manage = offering.pk in editable
        return self.render(filter_form=form, **data)


# --- Competency landscapes of the libraries -----------------------------------------------------------------------


class LandscapeIndexView(AdminTemplateView):
    """Every library with how many of its staff took part; each links to its competency landscape."""

    template_name = "registration/admin/landscapes.html"
    page_title = gettext_lazy("Kompetencelandskaber")
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        require_permission(request, VIEW_REGISTRATIONS)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        libraries = list(Library.objects.select_related("municipality").order_by("name"))
        people = stats.people_per_library()
        for library in libraries:
            library.people = people.get(library.pk, 0)
        return self.render(libraries=libraries)


class LibraryLandscapeView(AdminTemplateView):
    """One library's competency landscape: how many of its staff took part, per theme and year or half-year."""

    template_name = "registration/admin/landscape.html"
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        require_permission(request, VIEW_REGISTRATIONS)
        self.library = get_object_or_404(Library.objects.select_related("municipality"), pk=kwargs["library_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Kompetencelandskab: %(library)s") % {"library": self.library.name}

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        url = reverse("registration_admin:landscapes")
        return [*items[:-1], {"url": url, "label": _("Kompetencelandskaber")}, items[-1]]

    def get(self, request, library_id: int):
        return self.render(**landscape_context(self.library, request.GET))


# --- One person ----------------------------------------------------------------------------------------------------


class PersonForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail"))


class PersonDataView(AdminTemplateView):
    """See what we hold about one e-mail address; export it (logged) or erase it (after a confirmation)."""

    template_name = "registration/admin/person.html"
    page_title = gettext_lazy("Persondata")
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        require_permission(request, HANDLE_PERSONAL_DATA)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        form = PersonForm(request.GET or None)
        data = services.person_data(form.cleaned_data["email"]) if form.is_valid() else None
        return self.render(form=form, data=data)

    def post(self, request):
        form = PersonForm(request.POST)
        if not form.is_valid():
            return self.render(form=form, data=None)
        email = form.cleaned_data["email"]
        actor = services.Actor.coordinator(request.user)
        action = request.POST.get("action")
        if action == "export":
            data = services.export_person(email, actor=actor)
            response = HttpResponse(
                json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
            )
            response["Content-Disposition"] = 'attachment; filename="persondata.json"'
            return response
        if action == "erase" and request.POST.get("confirm") == "1":
            changed = services.erase_person(email, actor=actor)
            messages.success(
                request,
                ngettext(
                    "%(count)d post om %(email)s er anonymiseret.",
                    "%(count)d poster om %(email)s er anonymiseret.",
                    changed,
                )
                % {"count": changed, "email": email},
            )
            return redirect("registration_admin:person")
        if action == "erase":
            return self.render(form=form, data=services.person_data(email), confirm_erase=True)
        return redirect(reverse("registration_admin:person") + "?" + urlencode({"email": email}))


# --- Outbox --------------------------------------------------------------------------------------------------------


class OutboxPermissionPolicy(BaseDjangoAuthPermissionPolicy):
    """The outbox is read-only: holders of `events.view_registrations` see it; nobody adds, edits or deletes."""

    def __init__(self):
        super().__init__(OutboxMessage, auth_model=Participant)

    def user_has_permission(self, user, action):
        return action == "view" and user.has_perm(VIEW_REGISTRATIONS)

    def users_with_any_permission(self, actions):
        codenames = {"view_registrations"} if "view" in actions else set()
        return self._get_users_with_any_permission_codenames(codenames)


class RetryColumn(Column):
    cell_template_name = "registration/admin/outbox_retry_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        context["instance"] = instance
        context["csrf_token"] = get_token(request) if request else ""
        context["retry_url"] = reverse("registration_admin:outbox_retry")
        context["next_url"] = request.get_full_path() if request else ""
        return context


OUTBOX_KINDS = {
    "contact_receipt": gettext_lazy("Kvittering til kontaktperson"),
    "contact_cancelled": gettext_lazy("Afmelding til kontaktperson"),
    "contact_promoted": gettext_lazy("Plads fra ventelisten, til kontaktperson"),
    "confirmed": gettext_lazy("Bekræftelse"),
    "waiting": gettext_lazy("Venteliste"),
    "cancelled": gettext_lazy("Afmelding"),
    "promoted": gettext_lazy("Plads fra ventelisten"),
    "reminder": gettext_lazy("Påmindelse"),
}


def outbox_kind(message: OutboxMessage) -> str:
    return OUTBOX_KINDS.get(message.kind, message.kind)


class OutboxViewSet(ModelViewSet):
    model = OutboxMessage
    name = "udbakke"
    url_prefix = "tilmeldinger/udbakke"
    icon = "mail"
    menu_label = gettext_lazy("Udbakke")
    add_to_admin_menu = False
    inspect_view_enabled = True
    copy_view_enabled = False
    # No one may add or edit (see OutboxPermissionPolicy); the form is only there because the viewset requires one.
    exclude_form_fields = []
    list_display = [
        "subject",
        "to_email",
        Column("kind", label=gettext_lazy("Type"), accessor=outbox_kind),
        "status",
        "attempts",
        "last_error",
        "created_at",
        RetryColumn("retry", label=gettext_lazy("Handling"), accessor="status"),
    ]
    list_filter = ["status", "kind"]
    search_fields = ["subject", "to_email"]
    inspect_view_fields = [
        "subject",
        "to_email",
        "kind",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ]  # not the body: a receipt holds the contact's secret manage link
    list_per_page = 50


class OutboxRetryView(View):
    http_method_names = ["post"]

    def post(self, request):
        require_permission(request, VIEW_REGISTRATIONS)
        ids = [int(value) for value in request.POST.getlist("ids") if value.isdigit()]
        retried = emails.retry(ids)
        if retried:
            messages.success(
                request,
                ngettext("%(count)d e-mail er sendt igen.", "%(count)d e-mails er sendt igen.", retried)
                % {"count": retried},
            )
        else:
            messages.warning(request, _("Der var ingen fejlede e-mails at sende igen."))
        return redirect(get_valid_next_url_from_request(request) or reverse("udbakke:index"))


def failed_outbox_count() -> int:
    return OutboxMessage.objects.filter(status=OutboxStatus.FAILED).count()


app_name = "registration_admin"
urlpatterns = [
    path("", OverviewView.as_view(), name="overview"),
    path("persondata/", PersonDataView.as_view(), name="person"),
    path("kompetencelandskaber/", LandscapeIndexView.as_view(), name="landscapes"),
    path("kompetencelandskaber/<int:library_id>/", LibraryLandscapeView.as_view(), name="landscape"),
    path("udbakke-proev-igen/", OutboxRetryView.as_view(), name="outbox_retry"),
    path("<int:page_id>/", OfferingRegistrationsView.as_view(), name="offering"),
    path("<int:page_id>/fremmoede/", AttendanceView.as_view(), name="attendance"),
    path("<int:page_id>/deltager/<int:participant_id>/afmeld/", CancelParticipantView.as_view(), name="cancel"),
    path("<int:page_id>/deltager/<int:participant_id>/ryk-op/", PromoteParticipantView.as_view(), name="promote"),
]
