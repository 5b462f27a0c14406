""" "Giv mig besked, når tilmeldingen åbner": the rules for a request, its e-mail when the library's round opens
(through the outbox), the unsubscribe link, and the deletion of requests that are done with."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from network.dates import format_range
from network.models import Library, LibraryGroup, OfferingPage

from .errors import RegistrationError
from .models import EligibilityRound, OutboxMessage, hash_token
from .notify_models import NotificationRequest
from .outbox import page_url, send_after_commit
from .rounds import RoundsState, offering_rounds_state
from .values import site_root

KIND = "notify_open"
KIND_RECEIPT = "notify_receipt"  # sent at once, so the delete link is in hand before the round opens
KINDS = (KIND, KIND_RECEIPT)


def notify_offered(*, offering: OfferingPage, state: RoundsState) -> bool:
    """Whether the offering page offers the form: registration on, not cancelled, and not yet open to every library."""
    return (
        offering.registration_enabled
        and offering.live
        and not offering.is_cancelled
        and state.now < state.closes_at
        and not (state.is_open and state.open_to_all)
    )


def notify_moment(*, state: RoundsState, library: Library | None) -> dt.datetime | None:
    """When a request is answered: when `library` may register (a request without one: when every library may);
    None when that never comes."""
    if library is None:
        if not state.has_rounds:
            return state.opens_at
        return min((r.opens_at for r in state.rounds if r.library_group_id is None), default=None)
    return state.opens_for({group.pk for group in library.groups.all()})


def notification_request_create(
    *,
    offering: OfferingPage,
    email: str,
    library: Library | None,
    consent: bool,
    language: str = settings.LANGUAGE_CODE,
    now: dt.datetime | None = None,
) -> tuple[NotificationRequest, bool]:
    """Store a request; (request, False) when the address has one for the offering already (nothing changes).
    Refuses with a RegistrationError in Danish when there is nothing to wait for."""
    now = now or timezone.now()
    email = email.strip().lower()
    if not consent:
        raise RegistrationError(_("Du skal give samtykke, før vi kan gemme din e-mailadresse."), "consent")
    state = offering_rounds_state(offering=offering, now=now)
    if not notify_offered(offering=offering, state=state):
        running = offering.registration_enabled and offering.live and not offering.is_cancelled
        if running and state.is_open:  # open (and before the deadline) to every library
            raise RegistrationError(_("Tilmeldingen er allerede åben for alle biblioteker."), "open")
        raise RegistrationError(_("Der er ikke længere tilmelding til dette tilbud."), "closed")
    when = notify_moment(state=state, library=library)
    if when is None:
        if library is None:
            message = _("Tilbuddet åbner kun for udvalgte biblioteker. Vælg dit bibliotek.")
        else:
            message = _("%(library)s er ikke med i tilbuddets tilmeldingsrunder.") % {"library": library.name}
        raise RegistrationError(message, "no_round")
    if when <= now:
        raise RegistrationError(_("%(library)s kan allerede tilmelde nu.") % {"library": library.name}, "open")
    existing = NotificationRequest.objects.filter(offering=offering, email=email).first()
    if existing is not None:
        return existing, False
    request = NotificationRequest(offering=offering, email=email, library=library, consent_at=now, language=language)
    token = request.set_new_token()
    try:
        with transaction.atomic():
            request.save()
            send_after_commit(_receipt(request, token, when))
    except IntegrityError:  # the same address a moment before, in another request
        return NotificationRequest.objects.get(offering=offering, email=email), False
    return request, True


def notification_unsubscribe(*, token: str) -> int:
    """The link in the e-mail: delete what is left of the request behind `token` (the request, if it has not been
    answered, and the e-mail's stored copy in the outbox); returns how many rows went."""
    if not token:
        return 0
    token_hash = hash_token(token)
    with transaction.atomic():
        requests, _kinds = NotificationRequest.objects.filter(token_hash=token_hash).delete()
        copies, _kinds = OutboxMessage.objects.filter(kind__in=KINDS, context__unsubscribe=token_hash).delete()
    return requests + copies


def notification_link_valid(*, token: str) -> bool:
    """Whether anything is left to delete behind an unsubscribe token (the hash is an exact match of 256 bits)."""
    if not token:
        return False
    token_hash = hash_token(token)
    return (
        NotificationRequest.objects.filter(token_hash=token_hash).exists()
        or OutboxMessage.objects.filter(kind__in=KINDS, context__unsubscribe=token_hash).exists()
    )


# --- The e-mails ---------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Due:
    request: NotificationRequest
    state: RoundsState


def notifications_due(*, now: dt.datetime) -> list[Due]:
    """Requests whose moment has come, on live offerings still taking registrations. Three queries, whatever the
    number of requests: the requests with their offerings, the rounds with their groups, the libraries' groups."""
    waiting = (
        NotificationRequest.objects.filter(
            sent_at=None, offering__live=True, offering__registration_enabled=True, offering__end__gt=now
        )
        .select_related("offering", "library")
        .prefetch_related(
            Prefetch("library__groups", queryset=LibraryGroup.objects.only("pk")),
        )
        .order_by("offering_id", "pk")
    )
    requests = list(waiting)
    offerings = {r.offering_id: r.offering for r in requests}
    rounds: dict[int, list[EligibilityRound]] = {pk: [] for pk in offerings}
    for round_ in EligibilityRound.objects.filter(page_id__in=offerings).select_related("library_group"):
        rounds[round_.page_id].append(round_)
    states = {
        pk: offering_rounds_state(offering=offering, now=now, rounds=rounds[pk]) for pk, offering in offerings.items()
    }
    due = []
    for request in requests:
        state = states[request.offering_id]
        if request.offering.is_cancelled or now >= state.closes_at:
            continue
        when = notify_moment(state=state, library=request.library)
        if when is not None and when <= now:
            due.append(Due(request, state))
    return due


def notifications_queue_due(*, now: dt.datetime | None = None) -> int:
    """Write one e-mail per request whose library (or every library) may register now, then delete the requests
    that are done with (`notification_requests_delete_done`). Meant for a schedule, every few minutes."""
    now = now or timezone.now()
    count = 0
    for item in notifications_due(now=now):
        with transaction.atomic():
            if NotificationRequest.objects.filter(pk=item.request.pk, sent_at=None).update(sent_at=now):
                send_after_commit(_message(item.request, item.state))
                count += 1
    notification_requests_delete_done(now=now)
    return count


def _message(request: NotificationRequest, state: RoundsState) -> OutboxMessage:
    """Rendered now, not when sent: the request is deleted once this is stored (the outbox renders from a
    registration, which a request has none of)."""
    token = request.set_new_token()
    request.save(update_fields=["token_hash"])
    form_url = site_root() + reverse("registration_form", args=[request.offering_id])
    return _email(request, token, KIND, "notify_open", form_url=form_url, summary=state.summary,
                  closes=lambda: format_range(state.closes_at))  # fmt: skip


def _receipt(request: NotificationRequest, token: str, when: dt.datetime) -> OutboxMessage:
    """The e-mail that says the request is stored, when its answer comes, and how to delete it before then."""
    return _email(request, token, KIND_RECEIPT, "notify_receipt", when=lambda: format_range(when))


def _email(request: NotificationRequest, token: str, kind: str, template: str, **extra) -> OutboxMessage:
    """One of the request's e-mails, rendered in its language. `extra` values that are callables are called inside
    the language, as they write dates and sentences. The link deletes this stored copy too (outbox.prune_sent would,
    after OUTBOX_KEEP_SENT_DAYS)."""
    offering = request.offering.specific
    with translation.override(request.language or settings.LANGUAGE_CODE):
        unsubscribe = site_root() + reverse("registration_notify_unsubscribe")
        context = {
            "site_name": settings.WAGTAIL_SITE_NAME,
            "offering": offering,
            "offering_url": page_url(offering),
            "unsubscribe_url": f"{unsubscribe}?{urlencode({'adgang': token})}",
            "library": request.library,
        }
        context.update({key: value() if callable(value) else value for key, value in extra.items()})
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    return OutboxMessage(
        offering=request.offering,
        kind=kind,
        context={"unsubscribe": request.token_hash},
        to_email=request.email,
        subject=" ".join(subject.split())[:200],
        body_text=text,
        body_html=html,
    )


def notification_requests_delete_done(*, now: dt.datetime | None = None) -> int:
    """Delete requests whose e-mail is in the outbox, and those of offerings that have ended or closed their
    registration (nothing more to wait for): a request is personal data kept only while it serves its purpose."""
    now = now or timezone.now()
    closed = Q(offering__registration_closes__lte=now) | Q(offering__registration_closes=None, offering__start__lte=now)
    done = NotificationRequest.objects.filter(Q(sent_at__isnull=False) | Q(offering__end__lte=now) | closed)
    deleted, _kinds = done.delete()
    return deleted
