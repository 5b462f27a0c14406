"""One offering's registrations: counts, participants (filtered, exportable), the log; cancel and promote (each asks
first), a telephone registration, a message to the participants."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from wagtail.admin.utils import get_valid_next_url_from_request

from events.models import CoursePage
from network.models import Library, OfferingPage, Region

from .. import selectors
from ..errors import RegistrationError
from ..forms import PhoneRegistrationForm
from ..models import MessageAudience, Participant, ParticipantStatus, RegistrationLogEntry
from ..services import coordinator_message_send, participant_promote, participants_cancel, registration_create
from ..values import Actor
from .base import AdminTemplateView, back_to_offering, editable_offering
from .spreadsheet import DanishSpreadsheetExportMixin

LOG_ENTRIES_SHOWN = 50
PARTICIPANTS_PER_PAGE = 100
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
        names = selectors.participant_track_names(offering=offering)
        self.fields["track"].choices = [("", _("Alle spor"))] + [(name, name) for name in names]

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
        "track": "track",
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
            track=item.track,
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
        # A page of the table: a course of 2,000 renders in a moment, the filters stay on in the page links, and the
        # exports above still hold everyone filtered.
        page = Paginator(participants, PARTICIPANTS_PER_PAGE).get_page(request.GET.get("p"))
        rows = list(page.object_list)
        for participant in rows:
            participant.position = self.positions.get(participant.pk)
        tally = selectors.participant_counts(offering_id=self.offering.pk)  # the counts and the availability
        log_entries = selectors.offering_log_entries(offering=self.offering, limit=LOG_ENTRIES_SHOWN)
        return self.render(
            offering=self.offering,
            availability=selectors.offering_availability(offering=self.offering, tally=tally),
            cancelled_count=tally[ParticipantStatus.CANCELLED],
            filter_form=form,
            participants=rows,
            participants_page=page,
            elided_page_range=page.paginator.get_elided_page_range(page.number),
            log_entries=[(entry, actor_label(entry)) for entry in log_entries],
            coordinator_messages=selectors.coordinator_messages(offering=self.offering),
            is_course=isinstance(self.offering, CoursePage),
            csv_url=self.csv_export_url,
            xlsx_url=self.xlsx_export_url,
        )


class ParticipantActionView(AdminTemplateView):
    """One participant's cancel or promote: GET asks (who is moved, who is e-mailed), POST does it through a service.
    A refusal is a Danish message, and nothing changes."""

    template_name = "registration/admin/participant_confirm.html"
    header_icon = "user"
    question = ""
    button = ""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.offering = None
        self.participant = None

    def dispatch(self, request, *args, **kwargs):
        self.offering = editable_offering(request, kwargs["page_id"])
        self.participant = get_object_or_404(
            Participant.objects.select_related("registration__library", "offering"),
            pk=kwargs["participant_id"],
            offering=self.offering,
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.question % {"name": self.participant.name} if self.participant else ""

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        url = reverse("registration_admin:offering", args=[self.offering.pk])
        return [*items[:-1], {"url": url, "label": self.offering.title}, items[-1]]

    def preview(self) -> selectors.ActionPreview:
        raise NotImplementedError

    def act(self, request, participant: Participant) -> str:
        raise NotImplementedError

    def get(self, request, page_id: int, participant_id: int):
        preview = self.preview()
        if preview.refusal:
            messages.error(request, preview.refusal)
            return back_to_offering(request, self.offering)
        next_url = get_valid_next_url_from_request(request) or reverse(
            "registration_admin:offering", args=[self.offering.pk]
        )
        return self.render(
            offering=self.offering, preview=preview, action=self.action, button=self.button, next_url=next_url
        )

    def post(self, request, page_id: int, participant_id: int):
        try:
            messages.success(request, self.act(request, self.participant))
        except RegistrationError as error:
            messages.error(request, error.message)
        return back_to_offering(request, self.offering)


class CancelParticipantView(ParticipantActionView):
    action = "cancel"
    question = gettext_lazy("Afmeld %(name)s?")
    button = gettext_lazy("Ja, afmeld")

    def preview(self):
        return selectors.participant_cancel_preview(participant=self.participant)

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
                "%(count)d deltager er rykket op fra ventelisten: %(names)s.",
                "%(count)d deltagere er rykket op fra ventelisten: %(names)s.",
                len(promoted),
            ) % {"count": len(promoted), "names": ", ".join(p.name for p in promoted)}
        return message


class PromoteParticipantView(ParticipantActionView):
    action = "promote"
    question = gettext_lazy("Giv %(name)s en plads?")
    button = gettext_lazy("Ja, giv en plads")

    def preview(self):
        return selectors.participant_promote_preview(participant=self.participant)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["position"] = selectors.waiting_positions(offering_id=self.offering.pk).get(self.participant.pk)
        return context

    def act(self, request, participant):
        participant_promote(participant=participant, actor=Actor.coordinator(request.user))
        return _("%(name)s har fået en plads.") % {"name": participant.name}


class AddParticipantView(AdminTemplateView):
    """A coordinator registers one participant by hand (a telephone registration) through the public form's service,
    under the offering's lock: a seat while one is free, else the waiting list (or a refusal, without a list)."""

    template_name = "registration/admin/add_participant.html"
    header_icon = "user"
    page_title = gettext_lazy("Tilmeld en deltager")

    def dispatch(self, request, *args, **kwargs):
        self.offering = editable_offering(request, kwargs["page_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        url = reverse("registration_admin:offering", args=[self.offering.pk])
        return [*items[:-1], {"url": url, "label": self.offering.title}, items[-1]]

    def form(self, data=None) -> PhoneRegistrationForm:
        return PhoneRegistrationForm(data, tracks=selectors.offering_track_names(offering=self.offering))

    def get(self, request, page_id: int):
        return self.render(offering=self.offering, form=self.form())

    def post(self, request, page_id: int):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render(offering=self.offering, form=form)
        try:
            result = registration_create(
                offering=self.offering,
                library=form.cleaned_data["library"],
                contact_name=form.cleaned_data["contact_name"],
                contact_email=form.cleaned_data["contact_email"],
                participants=[form.participant()],
                consent=form.cleaned_data["informed"],
                # The coordinator has spoken with the contact: the receipt goes to them at once.
                contact_confirmed=True,
                actor=Actor.coordinator(request.user),
            )
        except RegistrationError as error:
            form.add_error(None, error.message)
            return self.render(offering=self.offering, form=form)
        name = form.cleaned_data["name"]
        if result.confirmed:
            messages.success(request, _("%(name)s er tilmeldt og har fået en plads.") % {"name": name})
        else:
            position = result.waiting[0].position  # its place in the queue, stamped under the lock
            messages.warning(
                request,
                _("Der var ingen ledig plads: %(name)s står på ventelisten som nr. %(position)d.")
                % {"name": name, "position": position},
            )
        return redirect("registration_admin:offering", page_id=self.offering.pk)


class MessageForm(forms.Form):
    audience = forms.ChoiceField(
        label=gettext_lazy("Til"),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": gettext_lazy("Vælg, hvem beskeden er til.")},
    )
    subject = forms.CharField(
        label=gettext_lazy("Emne"),
        max_length=200,
        error_messages={"max_length": gettext_lazy("Højst %(limit_value)d tegn.")},
    )
    text = forms.CharField(
        label=gettext_lazy("Tekst"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy("Hver modtager får den med sit navn, tilbuddets tid og sted og et link til det."),
        error_messages={"max_length": gettext_lazy("Højst %(limit_value)d tegn.")},
    )

    def __init__(self, *args, counts: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = [
            (value, f"{label} ({counts[value]})") for value, label in MessageAudience.choices
        ]


class MessageParticipantsView(AdminTemplateView):
    """A coordinator writes to every participant of an offering, or only the confirmed or the waiting: the form, a
    preview that says how many get it, then the e-mails through the outbox. Without JavaScript."""

    template_name = "registration/admin/message.html"
    header_icon = "mail"
    page_title = gettext_lazy("Skriv til deltagerne")

    def dispatch(self, request, *args, **kwargs):
        self.offering = editable_offering(request, kwargs["page_id"])
        self.counts = selectors.message_audience_counts(offering=self.offering)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        url = reverse("registration_admin:offering", args=[self.offering.pk])
        return [*items[:-1], {"url": url, "label": self.offering.title}, items[-1]]

    def get(self, request, page_id: int):
        form = MessageForm(initial={"audience": request.GET.get("til", MessageAudience.ALL)}, counts=self.counts)
        return self.render(offering=self.offering, form=form)

    def post(self, request, page_id: int):
        form = MessageForm(request.POST, counts=self.counts)
        if not form.is_valid():
            return self.render(offering=self.offering, form=form)
        data = form.cleaned_data
        if request.POST.get("action") != "send":
            return self.render(
                offering=self.offering,
                form=form,
                preview=True,
                recipients=self.counts[data["audience"]],
                audience_label=MessageAudience(data["audience"]).label,
            )
        try:
            message = coordinator_message_send(
                offering=self.offering,
                audience=data["audience"],
                subject=data["subject"],
                text=data["text"],
                actor=Actor.coordinator(request.user),
            )
        except RegistrationError as error:
            form.add_error(None, error.message)
            return self.render(offering=self.offering, form=form)
        messages.success(
            request,
            ngettext(
                "Beskeden er lagt i udbakken til %(count)d modtager.",
                "Beskeden er lagt i udbakken til %(count)d modtagere.",
                message.recipients,
            )
            % {"count": message.recipients},
        )
        return redirect("registration_admin:offering", page_id=self.offering.pk)
