"""Who may see a registration and whose e-mail address is confirmed: the secret links, the session, one cookie.

A link from an e-mail carries its token in the query string (`?adgang=`); the view checks it, remembers the access in
the session and redirects to the address without it, so no token stays in the address bar, the history or the web
server's access log (which logs paths only: network/gunicorn.conf.py). A contact who confirms an address may let this
browser remember it: a signed cookie with a keyed hash of the address, so nothing is kept on the server.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.crypto import salted_hmac

from .models import Registration

TOKEN_PARAMETER = "adgang"  # noqa: S105 - the name of the query parameter, not a secret
SESSION_KEY = "registration_access"
SESSION_LIMIT = 20  # registrations one session may open; the oldest is forgotten first
COOKIE = "kn_kontakt"
COOKIE_SALT = "events.registration.contact"
COOKIE_AGE = dt.timedelta(days=365)
COOKIE_LIMIT = 5  # addresses one browser remembers


def registration_by_public_id(public_id) -> Registration | None:
    try:
        registration = Registration.objects.select_related("offering", "library").filter(public_id=public_id).first()
    except ValidationError:
        return None
    if registration is None or registration.anonymised_at:
        return None
    return registration


def registration_by_confirm_link(*, public_id, token: str) -> Registration | None:
    """The registration whose confirmation link this is (compared in constant time), or None."""
    registration = registration_by_public_id(public_id)
    if registration is None or not registration.confirm_token_matches(token):
        return None
    return registration


# --- Access through the session ------------------------------------------------------------------------------------


def access_grant(request, registration: Registration) -> None:
    """This browser may open the registration's manage page until its session ends."""
    granted = [key for key in request.session.get(SESSION_KEY, []) if key != str(registration.public_id)]
    request.session[SESSION_KEY] = [*granted, str(registration.public_id)][-SESSION_LIMIT:]


def access_granted(request, registration: Registration) -> bool:
    """Granted to this session, and the contact's data not erased since (an erasure ends every access)."""
    return bool(registration.contact_email) and str(registration.public_id) in request.session.get(SESSION_KEY, [])


PARTICIPANT_SESSION_KEY = "participant_access"


def participant_access_grant(request, participant) -> None:
    """This browser may open the participant's own page until its session ends."""
    granted = [pk for pk in request.session.get(PARTICIPANT_SESSION_KEY, []) if pk != participant.pk]
    request.session[PARTICIPANT_SESSION_KEY] = [*granted, participant.pk][-SESSION_LIMIT:]


def participant_access_granted(request, participant) -> bool:
    """Granted to this session, and the participant's data not erased since (erasure clears the token)."""
    return bool(participant.token_hash) and participant.pk in request.session.get(PARTICIPANT_SESSION_KEY, [])


# --- Addresses this browser has confirmed --------------------------------------------------------------------------


def address_key(email: str) -> str:
    """A keyed hash of an address (HMAC with SECRET_KEY): it says nothing of the address without the key."""
    return salted_hmac(COOKIE_SALT, email.strip().lower(), algorithm="sha256").hexdigest()[:32]


def _remembered(request) -> list[str]:
    value = request.get_signed_cookie(COOKIE, default="", salt=COOKIE_SALT, max_age=COOKIE_AGE)
    return [key for key in value.split(",") if key]


def address_remembered(request, email: str) -> bool:
    """Has this browser confirmed `email` before (and been asked to remember it)?"""
    return address_key(email) in _remembered(request)


def address_remember(request, response, email: str) -> None:
    keys = [key for key in _remembered(request) if key != address_key(email)]
    keys = [*keys, address_key(email)][-COOKIE_LIMIT:]
    response.set_signed_cookie(
        COOKIE,
        ",".join(keys),
        salt=COOKIE_SALT,
        max_age=int(COOKIE_AGE.total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
