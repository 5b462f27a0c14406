"""The contact's correction of a participant's details (name, e-mail, job title, track, needs) until the change
deadline, without giving the seat away. A new address gets the participant's e-mail about their seat or place."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import emails, rules
from .errors import RegistrationError
from .models import LogAction, Participant, ParticipantStatus, Registration
from .selectors import offering_track_names, waiting_positions
from .services import log_entry_create
from .values import ACTIVE, CONTACT, Actor, ParticipantData

CORRECTED_FIELDS = ("name", "email", "job_title", "track", "needs")


def participant_correct(
    *,
    registration: Registration,
    participant_id: int,
    data: ParticipantData,
    actor: Actor = CONTACT,
    now: dt.datetime | None = None,
) -> Participant:
    """Correct one participant of `registration`; a refusal (deadline, track, an address already registered) is a
    RegistrationError with its Danish message, and changes nothing."""
    now = now or timezone.now()
    offering = registration.offering
    rules.check_changes_allowed(registration, actor, now)
    if now >= offering.end:
        raise RegistrationError(_("Tilbuddet er slut; der kan ikke rettes mere."), "ended")
    tracks = offering_track_names(offering=offering)
    if (data.track and data.track not in tracks) or (tracks and not data.track):
        raise RegistrationError(_("Vælg et af tilbuddets spor."), "track")
    email = data.email.strip().lower()
    with transaction.atomic():
        participant = (
            Participant.objects.select_for_update()
            .filter(pk=participant_id, registration=registration, status__in=ACTIVE)
            .first()
        )
        if participant is None:
            raise RegistrationError(_("Deltageren er ikke på denne tilmelding."), "unknown_participant")
        moved = email != participant.email.lower()
        others = Participant.objects.filter(offering=offering, status__in=ACTIVE, email__iexact=email)
        if moved and others.exclude(pk=participant.pk).exists():
            raise RegistrationError(_("Allerede tilmeldt: %(emails)s.") % {"emails": email}, "already_registered")
        values = {"name": data.name.strip(), "email": email, "job_title": data.job_title.strip(), "track": data.track,
                  "needs": data.needs.strip()}  # fmt: skip
        changed = [field for field in CORRECTED_FIELDS if getattr(participant, field) != values[field]]
        if not changed:
            return participant
        for field in changed:
            setattr(participant, field, values[field])
        try:
            with transaction.atomic():  # the unique address per offering, should another correction win the race
                participant.save(update_fields=changed)
        except IntegrityError:
            raise RegistrationError(
                _("Allerede tilmeldt: %(emails)s.") % {"emails": email}, "already_registered"
            ) from None
        log_entry_create(
            registration=registration,
            action=LogAction.CORRECTED,
            actor=actor,
            participant=participant,
            detail=", ".join(changed),
            now=now,
        )
        if moved:
            _tell_the_new_address(registration, participant)
    return participant


def _tell_the_new_address(registration: Registration, participant: Participant) -> None:
    """The new address gets what the old one got: the seat (with the own page's link) or the place on the list."""
    if participant.status == ParticipantStatus.WAITING:
        participant.position = waiting_positions(offering_id=participant.offering_id).get(participant.pk)
        emails.added(registration, [], [participant])
    else:
        emails.added(registration, [participant], [])
