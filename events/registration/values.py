"""The small values the rules pass around: who makes a change, one participant as submitted, what holds a place."""

from __future__ import annotations

import dataclasses

from django.conf import settings

from .models import ParticipantStatus


def site_root() -> str:
    """The public address of the site (WAGTAILADMIN_BASE_URL), for links in e-mails and certificates."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


# The statuses that hold a seat or a place on the waiting list.
ACTIVE = (ParticipantStatus.CONFIRMED, ParticipantStatus.WAITING)


@dataclasses.dataclass(frozen=True)
class ParticipantData:
    name: str
    email: str
    job_title: str = ""
    track: str = ""
    needs: str = ""


@dataclasses.dataclass(frozen=True)
class Actor:
    """Who makes a change: the contact (through the manage link), a coordinator (a user) or the system."""

    role: str
    user: object = None

    @classmethod
    def contact(cls) -> Actor:
        return cls("contact")

    @classmethod
    def system(cls) -> Actor:
        return cls("system")

    @classmethod
    def coordinator(cls, user) -> Actor:
        return cls("coordinator", user)


CONTACT = Actor.contact()
SYSTEM = Actor.system()
