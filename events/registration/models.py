"""The data of registration. The rules that change it live in `services`."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

TOKEN_BYTES = 32  # 256 bits in the manage link


class EligibilityRound(Orderable):
    """From `opens_at`, libraries of `library_group` (or every library, when blank) may register."""

    page = ParentalKey("network.OfferingPage", on_delete=models.CASCADE, related_name="registration_rounds")
    library_group = models.ForeignKey(
        "network.LibraryGroup",
        verbose_name=_("biblioteksgruppe"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Tom: alle biblioteker."),
    )
    opens_at = models.DateTimeField(_("åbner"))

    panels = [FieldPanel("library_group"), FieldPanel("opens_at")]

    class Meta(Orderable.Meta):
        verbose_name = _("tilmeldingsrunde")
        verbose_name_plural = _("tilmeldingsrunder")


class ParticipantStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Bekræftet")
    WAITING = "waiting", _("Venteliste")
    CANCELLED = "cancelled", _("Afmeldt")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_matches(stored_hash: str, token: str) -> bool:
    """Whether `token` is the one `stored_hash` was made from, compared in constant time; never for an empty hash."""
    return bool(stored_hash) and hmac.compare_digest(stored_hash, hash_token(token or ""))


class LinkToken:
    """The secret in a link (manage page, own page, evaluation): 256 random bits, of which the model keeps only the
    hash in its `token_hash` field."""

    token_hash: str

    def set_new_token(self) -> str:
        """A fresh token; return it (only its hash is stored, so a link made earlier stops working)."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        self.token_hash = hash_token(token)
        return token

    def token_matches(self, token: str) -> bool:
        return hash_matches(self.token_hash, token)


class ContactStatus(models.TextChoices):
    """Has the contact shown the e-mail address is theirs (a link)? Until then nobody else is written to."""

    CONFIRMED = "confirmed", _("Bekræftet")
    UNCONFIRMED = "unconfirmed", _("Ikke bekræftet")
    EXPIRED = "expired", _("Udløbet, ikke bekræftet")


class Registration(LinkToken, models.Model):
    """One submission: a library's contact registers one or more participants for one offering."""

    # Not content: nothing in the admin needs to know what refers to it, so saves skip the reference index.
    wagtail_reference_index_ignore = True

    offering = models.ForeignKey(
        "network.OfferingPage", verbose_name=_("tilbud"), on_delete=models.CASCADE, related_name="registrations"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Only a hash of the manage token is kept: the link itself is in the contact's e-mail alone.
    token_hash = models.CharField(max_length=64, editable=False)
    # An unconfirmed registration holds its seats until `hold_until`; the confirmation link is kept as a hash too.
    contact_status = models.CharField(
        _("kontaktpersonens bekræftelse"), max_length=12, choices=ContactStatus.choices, default=ContactStatus.CONFIRMED
    )
    hold_until = models.DateTimeField(_("pladserne holdes til"), null=True, blank=True)
    confirm_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    library = models.ForeignKey(
        "network.Library", verbose_name=_("bibliotek"), on_delete=models.PROTECT, related_name="registrations"
    )
    contact_name = models.CharField(_("kontaktperson"), max_length=150)
    contact_email = models.EmailField(_("kontaktpersonens e-mail"), max_length=254)
    consent_at = models.DateTimeField(_("samtykke givet"))
    privacy_notice_version = models.CharField(_("version af privatlivserklæringen"), max_length=20)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now, db_index=True)
    anonymised_at = models.DateTimeField(_("anonymiseret"), null=True, blank=True)
    # The interface language the contact registered in; the e-mails about this registration are written in it.
    language = models.CharField(_("sprog"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)

    class Meta:
        verbose_name = _("tilmelding")
        verbose_name_plural = _("tilmeldinger")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["contact_email", "created_at"], name="registration_contact"),
            # The holds that may expire: few rows, read on every change of seats.
            models.Index(
                fields=["offering", "hold_until"], name="registration_hold", condition=Q(contact_status="unconfirmed")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.library} · {self.offering_id} · {self.created_at:%Y-%m-%d}"

    def set_confirm_token(self) -> str:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        self.confirm_token_hash = hash_token(token)
        return token

    def confirm_token_matches(self, token: str) -> bool:
        return hash_matches(self.confirm_token_hash, token)

    @property
    def is_contact_confirmed(self) -> bool:
        return self.contact_status == ContactStatus.CONFIRMED


class Participant(LinkToken, models.Model):
    """One person on one registration; takes one seat, a place on the waiting list, or is cancelled."""

    # Not content: nothing in the admin needs to know what refers to it, so saves skip the reference index.
    wagtail_reference_index_ignore = True

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="participants")
    # The offering again, so seats are counted and duplicate e-mails refused on this table alone.
    offering = models.ForeignKey(
        "network.OfferingPage", verbose_name=_("tilbud"), on_delete=models.CASCADE, related_name="participants"
    )
    name = models.CharField(_("navn"), max_length=150)
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    job_title = models.CharField(_("stilling"), max_length=150, blank=True)
    # The track's name as registered: renaming or removing the offering's track later leaves it as it was.
    track = models.CharField(_("spor"), max_length=100, blank=True)
    needs = models.CharField(_("særlige behov (kost, tilgængelighed)"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ParticipantStatus.choices)
    # Order on the waiting list: the time the participant joined it (then pk, for submissions in the same instant).
    queued_at = models.DateTimeField(_("tilmeldt"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("bekræftet"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("afmeldt"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("påmindet"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymiseret"), null=True, blank=True)
    # The participant's own page: a 256-bit token sent in the e-mail about their seat, stored only as its hash.
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    # Who this is once the address is gone: a random key shared by the rows of one address, set when they are
    # anonymised, so the funders' report still counts people once (`privacy.person_keys_assign`).
    person_key = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        verbose_name = _("deltager")
        verbose_name_plural = _("deltagere")
        ordering = ["queued_at", "pk"]
        indexes = [
            models.Index(fields=["offering", "status", "queued_at"], name="participant_offering_status"),
            # The overview's totals read the registration from the index alone, not from each participant's row.
            models.Index(fields=["offering", "status", "registration"], name="participant_offering_reg"),
            # The dashboard counts confirmed participants by when they registered, across offerings. The time comes
            # first: led by the status, SQLite (without statistics) would start other reads from every confirmed row.
            models.Index(fields=["queued_at", "status"], name="participant_queued_status"),
            # The person look-up finds an address among every participant in the network.
            models.Index(fields=["email"], name="participant_email"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "email"],
                condition=~Q(status="cancelled") & ~Q(email=""),
                name="participant_unique_active_email",
                violation_error_message=_("Denne e-mail er allerede tilmeldt."),
            ),
        ]
        # A coordinator sees the registrations of the offerings whose page they may edit; these two reach across the
        # whole network (the group "Persondataansvarlig").
        permissions = [
            ("view_registrations", _("Kan se alle organisationers tilmeldinger og udbakke")),
            ("handle_personal_data", _("Kan finde, udlevere og slette en persons data i hele netværket")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    @property
    def status_label(self) -> str:
        """The status as coordinators see it: a seat held for a contact who has not confirmed says so."""
        contact = self.registration.contact_status
        if contact == ContactStatus.UNCONFIRMED and self.status == ParticipantStatus.CONFIRMED:
            return _("Plads holdt, ikke bekræftet")
        if contact == ContactStatus.UNCONFIRMED and self.status == ParticipantStatus.WAITING:
            return _("Venteliste, ikke bekræftet")
        if contact == ContactStatus.EXPIRED and self.status == ParticipantStatus.CANCELLED:
            return _("Udløbet, ikke bekræftet")
        return self.get_status_display()


class SessionAttendance(models.Model):
    """Whether a participant took part in one course day (recorded by a coordinator)."""

    # Not content: nothing in the admin needs to know what refers to it, so saves skip the reference index.
    wagtail_reference_index_ignore = True

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attendance")
    session = models.ForeignKey("events.CourseSession", on_delete=models.CASCADE, related_name="attendance")
    attended = models.BooleanField(_("deltog"), default=True)

    class Meta:
        verbose_name = _("fremmøde")
        verbose_name_plural = _("fremmøde")
        constraints = [models.UniqueConstraint(fields=["participant", "session"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.participant_id} · {self.session_id}"


CERTIFICATE_CODE_BYTES = 16  # 128 bits: the verification address shows the holder's name


class Certificate(models.Model):
    """A course certificate (kursusbevis): one per participant who attended enough of a course's days.

    The code is the verification address's part (`/kursusbevis/<code>/`). When the participant's data is anonymised
    the holder's name goes and the row stays, so the address can say the certificate has expired.
    """

    wagtail_reference_index_ignore = True

    code = models.CharField(_("kode"), max_length=40, unique=True)
    participant = models.OneToOneField(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="certificate"
    )
    offering = models.ForeignKey(
        "network.OfferingPage", verbose_name=_("tilbud"), on_delete=models.CASCADE, related_name="certificates"
    )
    holder_name = models.CharField(_("navn"), max_length=150, blank=True)
    language = models.CharField(_("sprog"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    issued_at = models.DateTimeField(_("udstedt"), default=timezone.now)
    expired_at = models.DateTimeField(_("udløbet"), null=True, blank=True)

    class Meta:
        verbose_name = _("kursusbevis")
        verbose_name_plural = _("kursusbeviser")

    def __str__(self) -> str:
        return self.code

    @staticmethod
    def new_code() -> str:
        return secrets.token_urlsafe(CERTIFICATE_CODE_BYTES)

    @property
    def is_expired(self) -> bool:
        return self.expired_at is not None


class LogAction(models.TextChoices):
    REGISTERED = "registered", _("Tilmeldt")
    ADDED = "added", _("Deltager tilføjet")
    CANCELLED = "cancelled", _("Afmeldt")
    PROMOTED = "promoted", _("Rykket op fra ventelisten")
    ATTENDANCE = "attendance", _("Fremmøde registreret")
    EXPORTED = "exported", _("Persondata udleveret")
    CERTIFIED = "certified", _("Kursusbevis udstedt")
    CORRECTED = "corrected", _("Deltager rettet")
    ERASED = "erased", _("Persondata slettet")
    ANONYMISED = "anonymised", _("Anonymiseret efter opbevaringsperioden")
    CONFIRMED = "confirmed", _("E-mail bekræftet")
    EXPIRED = "expired", _("Udløbet, e-mail ikke bekræftet")


class RegistrationLogEntry(models.Model):
    """Who changed what, when. Holds ids and actions, never the personal data itself."""

    # Not content: nothing in the admin needs to know what refers to it, so saves skip the reference index.
    wagtail_reference_index_ignore = True

    registration = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.CASCADE, related_name="log_entries"
    )
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(_("handling"), max_length=20, choices=LogAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # "contact" (the manage link), "system" (commands, promotions) or "coordinator" (with `actor`).
    actor_role = models.CharField(_("rolle"), max_length=20)
    created_at = models.DateTimeField(_("tidspunkt"), default=timezone.now, db_index=True)
    detail = models.CharField(_("detaljer"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("logpost")
        verbose_name_plural = _("log")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.created_at:%Y-%m-%d %H:%M}"


class MessageAudience(models.TextChoices):
    ALL = "all", _("Alle tilmeldte (bekræftede og på ventelisten)")
    CONFIRMED = "confirmed", _("Kun bekræftede")
    WAITING = "waiting", _("Kun ventelisten")


class CoordinatorMessage(models.Model):
    """An e-mail a coordinator wrote to the participants of an offering (or those on its waiting list): who sent
    what, to whom, when. Each recipient's copy goes through the outbox."""

    wagtail_reference_index_ignore = True

    offering = models.ForeignKey(
        "network.OfferingPage", verbose_name=_("tilbud"), on_delete=models.CASCADE, related_name="coordinator_messages"
    )
    audience = models.CharField(_("modtagere"), max_length=10, choices=MessageAudience.choices)
    subject = models.CharField(_("emne"), max_length=200)
    text = models.TextField(_("tekst"))
    recipients = models.PositiveIntegerField(_("antal modtagere"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sendt af"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("sendt"), default=timezone.now)

    class Meta:
        verbose_name = _("besked til deltagerne")
        verbose_name_plural = _("beskeder til deltagerne")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Venter")
    SENT = "sent", _("Sendt")
    FAILED = "failed", _("Fejlet")


class OutboxMessage(models.Model):
    """An e-mail to send. Written in the same transaction as the change it tells about, so none is lost."""

    # Not content: nothing in the admin needs to know what refers to it, so saves skip the reference index.
    wagtail_reference_index_ignore = True

    registration = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    # The offering of a message that belongs to no registration (a "tilmeldingen er åben" notice), so the outbox
    # shows it to that organisation's coordinators only.
    offering = models.ForeignKey(
        "network.OfferingPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("type"), max_length=30)
    to_email = models.EmailField(_("modtager"), max_length=254)
    subject = models.CharField(_("emne"), max_length=200)
    # What to render when the message is sent (emails.render): the template and the participants it is about.
    template = models.CharField(_("skabelon"), max_length=50, blank=True)
    context = models.JSONField(_("indhold"), default=dict, blank=True)
    calendar = models.BooleanField(_("med kalenderfil"), default=False)
    # Filled in when the message is sent (or stored as written, for a message without a template).
    body_text = models.TextField(_("tekst"), blank=True)
    body_html = models.TextField(_("HTML"), blank=True)
    # [{"filename": ..., "content": ..., "mimetype": ...}]
    attachments = models.JSONField(_("vedhæftninger"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("forsøg"), default=0)
    last_error = models.TextField(_("seneste fejl"), blank=True)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("næste forsøg"), default=timezone.now)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail i udbakken")
        verbose_name_plural = _("udbakke")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_email}"


class TallyKind(models.TextChoices):
    ALL = "all", _("Alle temaer")
    THEME = "theme", _("Tema")
    NO_THEME = "none", _("Uden tema")


class ConfirmedTally(models.Model):
    """Confirmed participants per month of registration (`queued_at`, Copenhagen), library and theme of the offering:
    what the dashboard's charts count, so they read a few thousand rows instead of every participant. Kept by the
    services that change participants (`tally`); `tally.tally_rebuild` makes it again from the participants.

    Per cell (month, library): one row of kind "all" (every confirmed participant, whatever the themes), and one per
    theme of their offerings ("theme") or for offerings without a theme ("none"); a participant counts once in each.
    """

    wagtail_reference_index_ignore = True

    month = models.DateField(_("måned"))
    library = models.ForeignKey("network.Library", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=5, choices=TallyKind.choices)
    theme = models.ForeignKey("network.Theme", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("optælling af bekræftede tilmeldinger")
        verbose_name_plural = _("optællinger af bekræftede tilmeldinger")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "library", "theme"], condition=Q(kind="theme"), name="tally_cell_theme"
            ),
            # Without a theme the key is the kind: NULLs would not clash in a unique index.
            models.UniqueConstraint(
                fields=["month", "library", "kind"], condition=~Q(kind="theme"), name="tally_cell_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} · {self.library_id} · {self.kind} {self.theme_id or ''}: {self.n}"


class OfferingTally(models.Model):
    """Confirmed participants per offering and library: the registrations overview sums these for the offerings a
    coordinator sees, not every participant of them. Kept with `ConfirmedTally`, by the same calls (`tally`)."""

    wagtail_reference_index_ignore = True

    offering = models.ForeignKey("network.OfferingPage", on_delete=models.CASCADE, related_name="+")
    library = models.ForeignKey("network.Library", on_delete=models.CASCADE, related_name="+")
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("optælling af bekræftede tilmeldinger pr. tilbud")
        verbose_name_plural = _("optællinger af bekræftede tilmeldinger pr. tilbud")
        constraints = [models.UniqueConstraint(fields=["offering", "library"], name="tally_offering_library")]
        # The overview reads the count from the index alone, offering by offering.
        indexes = [models.Index(fields=["offering", "library", "n"], name="tally_offering_library_n")]

    def __str__(self) -> str:
        return f"{self.offering_id} · {self.library_id}: {self.n}"
