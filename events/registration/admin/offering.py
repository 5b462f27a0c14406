"""One offering's registrations: counts, participants (filtered, exportable), the log, cancel and promote."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from events.models import CoursePage
from network.models import Library, OfferingPage, Region, Track

from .. import selectors
from ..errors import RegistrationError
from ..models import Participant, ParticipantStatus, RegistrationLogEntry
from ..services import participant_promote, participants_cancel
from ..values import Actor
from .base import AdminTemplateView, back_to_offering, editable_offering
from .spreadsheet import DanishSpreadsheetExportMixin

LOG_ENTRIES_SHOWN = 50
ROLE_LABELS = {
    "contact": gettext_lazy("Kontaktperson"),
    "system": gettext_lazy("Systemet"),
    "coordinator": gettext_lazy("Koordinator"),
}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def local_naive(value: dt.datetime | None) -> dt.datetime | None:
    """Copenhagen wall-clock time, the way a coordinator reads it in a spreadsheet."""
    return None if value is None else timezone.localtime(value).replace(tzinfo=None)


def csv_safe(value):
    """Text a spreadsheet would take for a formula gets a leading apostrophe (OWASP's advice on CSV injection)."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) else value


def actor_label(entry: RegistrationLogEntry) -> str:
    if entry.actor is not None:
        return entry.actor.get_full_name() or entry.actor.get_username()
    return str(ROLE_LABELS.get(entry.actor_role, entry.actor_role))


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


class OfferingRegistrationsView(DanishSpreadsheetExportMixin, AdminTemplateView):
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
    export_sheet_title = gettext_lazy("Tilmeldinger")
    export_width_sources = {
        "name": "name",
        "email": "email",
        "library": "registration__library__name",
        "region": Region.labels,
        "job_title": "job_title",
        "track": Track.labels,
        "needs": "needs",
        "status": [*ParticipantStatus.labels, gettext_lazy("Plads holdt, ikke bekræftet")],
        "contact_name": "registration__contact_name",
        "contact_email": "registration__contact_email",
    }
    export_datetime_fields = ("queued_at", "confirmed_at", "cancelled_at")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.offering = None
        self.labels: dict[tuple, str] = {}

    def get_page_title(self):
        return self.offering.title if self.offering else _("Tilmeldinger")

    def get_page_subtitle(self):
        return ""

    def get_filename(self):
        return f"tilmeldinger-{self.offering.slug}"

    def participants(self):
        return Participant.objects.filter(offering=self.offering).select_related("registration__library__municipality")

    def label(self, key: tuple, compute) -> str:
        """A display label worked out once per export, not per row: translating a lazy label is most of a row's
        time, and a list has only a handful of different ones."""
        try:
            return self.labels[key]
        except KeyError:
            label = self.labels[key] = str(compute())
            return label

    def to_row_dict(self, item: Participant):
        registration = item.registration
        municipality = registration.library.municipality
        return OrderedDict(
            name=item.name,
            email=item.email,
            library=registration.library.name,
            region=self.label(("region", municipality.region), municipality.get_region_display),
            job_title=item.job_title,
            track=self.label(("track", item.track), item.get_track_display),
            needs=item.needs,
            status=self.label(("status", registration.contact_status, item.status), lambda: item.status_label),
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
        self.positions = selectors.waiting_positions(offering_id=self.offering.pk)
        form = ParticipantFilterForm(request.GET or None, offering=self.offering)
        participants = form.filter(self.participants())
        if self.is_export and form.is_valid():
            return self.as_spreadsheet(participants, request.GET["export"])
        if self.is_export:  # never export more than the coordinator asked for
            messages.error(request, _("Ret filtrene, før du henter listen."))
        rows = list(participants)
        for participant in rows:
            participant.position = self.positions.get(participant.pk)
        log_entries = selectors.offering_log_entries(offering=self.offering, limit=LOG_ENTRIES_SHOWN)
        return self.render(
            offering=self.offering,
            availability=selectors.offering_availability(offering=self.offering),
            cancelled_count=selectors.participant_counts(offering_id=self.offering.pk)[ParticipantStatus.CANCELLED],
            filter_form=form,
            participants=rows,
            log_entries=[(entry, actor_label(entry)) for entry in log_entries],
            is_course=isinstance(self.offering, CoursePage),
            csv_url=self.csv_export_url,
            xlsx_url=self.xlsx_export_url,
        )


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
        except RegistrationError as error:
            messages.error(request, error.message)
        return back_to_offering(request, offering)


class CancelParticipantView(ParticipantActionView):
    def act(self, request, participant):
        # A coordinator is not bound by the contact's change deadline (the service knows).
        _cancelled, promoted = participants_cancel(
            registration=participant.registration,
            participant_ids=[participant.pk],
            actor=Actor.coordinator(request.user),
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
        participant_promote(participant=participant, actor=Actor.coordinator(request.user))
        return _("%(name)s har fået en plads.") % {"name": participant.name}
