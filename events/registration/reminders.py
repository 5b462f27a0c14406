"""The reminder rule: confirmed participants hear from us once, shortly before their offering starts."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import emails
from .models import ContactStatus, Participant, ParticipantStatus


def reminders_queue_due(*, now: dt.datetime | None = None) -> int:
    """Queue a reminder to every confirmed participant of offerings that start within REGISTRATION_REMINDER_DAYS."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(days=settings.REGISTRATION_REMINDER_DAYS)
    due = Participant.objects.filter(
        status=ParticipantStatus.CONFIRMED,
        reminded_at__isnull=True,
        anonymised_at__isnull=True,
        offering__start__gt=now,
        offering__start__lte=horizon,
        offering__live=True,
        registration__contact_status=ContactStatus.CONFIRMED,
    ).exclude(email="")
    count = 0
    for participant in due.select_related("registration__offering", "registration__library"):
        with transaction.atomic():
            if Participant.objects.filter(pk=participant.pk, reminded_at__isnull=True).update(reminded_at=now):
                emails.reminder(participant)
                count += 1
    return count
