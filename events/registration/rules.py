"""The checks a change must pass before it writes; each refuses with a RegistrationError in Danish."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from network.dates import format_range
from network.models import Library, OfferingPage

from .errors import RegistrationError
from .models import ContactStatus, Participant, Registration
from .rounds import library_may_register, offering_rounds_state
from .selectors import offering_change_deadline, offering_closes_at, offering_track_names
from .values import ACTIVE, Actor, ParticipantData


def check_open(offering: OfferingPage, library: Library, now: dt.datetime, *, actor: Actor | None = None) -> None:
    """Is the offering open to `library` now? A coordinator registering by hand (a telephone registration) may
    override when and who (the opening, the deadline, the rounds), never whether (registration on, not cancelled,
    not over); the seats they published hold for them as for everyone."""
    if not offering.registration_enabled or not offering.live:
        raise RegistrationError(_("Der er ikke tilmelding til dette tilbud."), "disabled")
    if offering.is_cancelled:
        raise RegistrationError(_("Tilbuddet er aflyst."), "cancelled")
    if actor is not None and actor.role == "coordinator":
        if now >= offering.end:
            raise RegistrationError(_("Tilbuddet er slut."), "over")
        return
    if now >= offering_closes_at(offering=offering):
        raise RegistrationError(_("Tilmeldingen er lukket."), "closed")
    state = offering_rounds_state(offering=offering, now=now)
    if not state.is_open:
        when = format_range(state.opens_at)
        raise RegistrationError(_("Tilmeldingen åbner %(when)s.") % {"when": when}, "not_open")
    if not library_may_register(state=state, library=library):
        message = _("Tilmeldingen er foreløbig kun åben for udvalgte biblioteker.")
        if state.all_from:
            when = format_range(state.all_from)
            message += " " + _("Alle biblioteker kan tilmelde sig fra %(when)s.") % {"when": when}
        raise RegistrationError(message, "not_eligible")


def check_participants(participants: list[ParticipantData], offering: OfferingPage, now: dt.datetime) -> None:
    """Rules on the submitted list itself (the form has checked each field). A seat held for a contact who did not
    confirm in time does not count: the hold is released under the lock, before the seats are given."""
    if not participants:
        raise RegistrationError(_("Tilmeld mindst én deltager."), "no_participants")
    limit = settings.REGISTRATION_MAX_PARTICIPANTS_PER_SUBMISSION
    if len(participants) > limit:
        raise RegistrationError(
            _("Du kan højst tilmelde %(limit)d deltagere ad gangen.") % {"limit": limit}, "too_many"
        )
    emails_seen: set[str] = set()
    tracks = offering_track_names(offering=offering)
    for person in participants:
        email = person.email.strip().lower()
        if email in emails_seen:
            raise RegistrationError(_("%(email)s står flere gange på listen.") % {"email": email}, "duplicate")
        emails_seen.add(email)
        if person.track and person.track not in tracks:
            raise RegistrationError(_("Vælg et af tilbuddets spor."), "track")
    if tracks and any(not p.track for p in participants):
        raise RegistrationError(_("Vælg et spor for hver deltager."), "track")
    active = Participant.objects.filter(offering=offering, status__in=ACTIVE, email__in=emails_seen)
    run_out = Q(registration__contact_status=ContactStatus.UNCONFIRMED, registration__hold_until__lte=now)
    taken = set(active.exclude(run_out).values_list("email", flat=True))
    if taken:
        raise RegistrationError(
            _("Allerede tilmeldt: %(emails)s.") % {"emails": ", ".join(sorted(taken))}, "already_registered"
        )


def check_library_limit(offering: OfferingPage, library: Library, adding: int) -> None:
    if offering.max_per_library is None:
        return
    already = Participant.objects.filter(offering=offering, registration__library=library, status__in=ACTIVE).count()
    if already + adding > offering.max_per_library:
        left = max(offering.max_per_library - already, 0)
        raise RegistrationError(
            ngettext(
                "Hvert bibliotek kan tilmelde højst %(max)d deltager. I kan tilmelde %(left)d mere.",
                "Hvert bibliotek kan tilmelde højst %(max)d deltagere. I kan tilmelde %(left)d mere.",
                offering.max_per_library,
            )
            % {"max": offering.max_per_library, "left": left},
            "library_limit",
        )


def check_changes_allowed(registration: Registration, actor: Actor, now: dt.datetime) -> None:
    """A contact may change nothing after the change deadline; a coordinator may."""
    if actor.role == "contact" and now >= offering_change_deadline(offering=registration.offering):
        raise RegistrationError(
            _("Fristen for ændringer er overskredet. Kontakt arrangøren, hvis du skal ændre noget."), "deadline"
        )
