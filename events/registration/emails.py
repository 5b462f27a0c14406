"""What registration tells people by e-mail, and when: each message is composed here and handed to the outbox."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from .models import OutboxMessage, Participant, Registration
from .outbox import send_after_commit, site_root, template_context


def manage_url(registration: Registration, token: str) -> str:
    """The manage link: the token in the query string, which the view takes into the session and drops (no log,
    no history keeps it; README, "Tokens out of logs")."""
    return link_url("registration_manage", registration.public_id, token)


def link_url(name: str, key, token: str) -> str:
    """A secret link: the address of view `name` for `key` (a registration's public id, a participant's or an
    invitation's pk), with the token in the query string."""
    path = reverse(name, args=[key])
    return f"{site_root()}{path}?{urlencode({'adgang': token})}"


def compose(
    kind: str,
    to: str,
    template: str,
    context: dict,
    *,
    registration: Registration,
    calendar: bool = False,
    calendar_method: str = "PUBLISH",
) -> OutboxMessage | None:
    """A message about `registration`, not yet stored; its subject is rendered now, its body when it is sent.
    `context` holds the participants it is about ("participant", or lists "participants", "confirmed", "waiting") and
    may hold a "manage_url"; `calendar` attaches the offering's .ics (with `calendar_method="CANCEL"`, one that
    takes it out of a calendar)."""
    if not to:
        return None
    stored = {"manage_url": context.get("manage_url", "")}
    if context.get("own_url"):
        stored["own_url"] = context["own_url"]
    if context.get("evaluation_url"):
        stored["evaluation_url"] = context["evaluation_url"]
    if context.get("evaluation_day"):
        stored["evaluation_day"] = context["evaluation_day"]
    if calendar and calendar_method != "PUBLISH":
        stored["calendar_method"] = calendar_method
    if "participant" in context:
        stored["participant"] = _person(context["participant"])
    for name in ("participants", "confirmed", "waiting"):
        if name in context:
            stored[name] = [_person(participant) for participant in context[name]]
    with translation.override(registration.language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{template}_subject.txt", template_context(registration, **context)).strip()
    return OutboxMessage(
        registration=registration,
        kind=kind,
        to_email=to,
        subject=" ".join(subject.split())[:200],
        template=template,
        context=stored,
        calendar=calendar,
    )


def _person(participant: Participant) -> list:
    return [participant.pk, getattr(participant, "position", None)]


# --- The messages of each change -----------------------------------------------------------------------------------


def confirmation_request(registration: Registration, token: str, participants: list) -> None:
    """The only message of an unconfirmed registration: to the contact, with the confirmation link. It carries none
    of the text typed into the form (names), so a stranger's address given as the contact's is sent nothing of it."""
    context = {
        "manage_url": link_url("registration_confirm", registration.public_id, token),
        "participants": participants,
    }
    send_after_commit(
        compose("contact_confirm", registration.contact_email, "contact_confirm", context, registration=registration)
    )


def registered(registration: Registration, token: str, confirmed: list, waiting: list) -> None:
    """The receipt and each participant's message; `waiting` hold their `position` in the queue."""
    context = {"manage_url": manage_url(registration, token), "confirmed": confirmed, "waiting": waiting}
    receipt = compose(
        "contact_receipt", registration.contact_email, "contact_receipt", context, registration=registration
    )
    send_after_commit(receipt, *_to_participants(registration, confirmed, waiting))


def added(registration: Registration, confirmed: list, waiting: list) -> None:
    if not registration.is_contact_confirmed:
        return  # they hear of it when the contact confirms
    send_after_commit(*_to_participants(registration, confirmed, waiting))


def _own_links(participants: list[Participant]) -> dict[int, str]:
    """A fresh token for each participant's own page (one UPDATE for all), and the links that carry them."""
    given = [p for p in participants if p.email]
    links = {p.pk: link_url("registration_participant", p.pk, p.set_new_token()) for p in given}
    if given:
        Participant.objects.bulk_update(given, ["token_hash"])
    return links


def _to_participants(registration: Registration, confirmed: list, waiting: list) -> list[OutboxMessage | None]:
    links = _own_links(confirmed)
    about = [("confirmed", "participant_confirmed", p, True) for p in confirmed]
    about += [("waiting", "participant_waiting", p, False) for p in waiting]
    return [
        compose(
            kind,
            p.email,
            template,
            {"participant": p, "own_url": links.get(p.pk, "")},
            registration=registration,
            calendar=calendar,
        )
        for kind, template, p, calendar in about
    ]


def cancelled(registration: Registration, participants: list[Participant]) -> None:
    if not registration.is_contact_confirmed:
        return  # nobody was told of the registration yet
    # Who had a seat was sent the calendar: the same events, cancelled, take the days out of it again.
    messages = [
        compose(
            "cancelled",
            p.email,
            "participant_cancelled",
            {"participant": p},
            registration=registration,
            calendar=p.confirmed_at is not None,
            calendar_method="CANCEL",
        )
        for p in participants
    ]
    if registration.contact_email not in {p.email for p in participants}:
        messages.append(
            compose(
                "contact_cancelled",
                registration.contact_email,
                "contact_cancelled",
                {"participants": participants},
                registration=registration,
            )
        )
    send_after_commit(*messages)


def promoted(participant: Participant) -> None:
    registration = participant.registration
    if not registration.is_contact_confirmed:
        return  # the participant hears of the seat when the contact confirms
    own = {"own_url": _own_links([participant]).get(participant.pk, "")}
    context = {"participant": participant}
    messages = [
        compose(
            "promoted",
            participant.email,
            "participant_promoted",
            context | own,
            registration=registration,
            calendar=True,
        )
    ]
    if registration.contact_email != participant.email:
        messages.append(
            compose(
                "contact_promoted", registration.contact_email, "contact_promoted", context, registration=registration
            )
        )
    send_after_commit(*messages)


def reminder(participant: Participant) -> None:
    context = {"participant": participant}
    registration = participant.registration
    send_after_commit(
        compose(
            "reminder", participant.email, "participant_reminder", context, registration=registration, calendar=True
        )
    )


def coordinator_message(participants: list[Participant], subject: str, text: str) -> None:
    """A coordinator's message, one copy to each participant (rendered, with the offering and the footer, when sent)."""
    send_after_commit(
        *[
            OutboxMessage(
                registration=p.registration,
                kind="coordinator_message",
                to_email=p.email,
                subject=" ".join(subject.split())[:200],
                template="coordinator_message",
                context={"manage_url": "", "participant": _person(p), "text": text},
            )
            for p in participants
        ]
    )


def certificate_issued(certificate) -> None:
    """The holder's certificate, attached as a PDF when the message is sent."""
    participant = certificate.participant
    registration = participant.registration
    message = compose(
        "certificate",
        participant.email,
        "participant_certificate",
        {"participant": participant},
        registration=registration,
    )
    if message is not None:
        message.context["certificate"] = certificate.code
    send_after_commit(message)


def evaluation_url(invitation, token: str) -> str:
    """The link in the participant's registration language (the command runs in none)."""
    with translation.override(invitation.participant.registration.language or settings.LANGUAGE_CODE):
        return link_url("registration_evaluation", invitation.pk, token)


def evaluation_invitation(invitation, token: str) -> None:
    """The link to the offering's evaluation, when it has ended."""
    _evaluation_message("evaluation", "participant_evaluation", invitation, token)


def evaluation_reminder(invitation, token: str) -> None:
    """The one reminder, with a new link (the first link stops working)."""
    _evaluation_message("evaluation_reminder", "participant_evaluation_reminder", invitation, token)


def _evaluation_message(kind: str, template: str, invitation, token: str) -> None:
    participant = invitation.participant
    context = {"participant": participant, "evaluation_url": evaluation_url(invitation, token)}
    if invitation.session_id:  # a course day's own evaluation: the day's title in the subject and the text
        context["evaluation_day"] = invitation.session.title
    send_after_commit(compose(kind, participant.email, template, context, registration=participant.registration))
