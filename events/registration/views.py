"""The public side: the registration form of an offering, and the contact's manage page behind a secret link."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from network.caching import TTL as CACHE_TTL
from network.caching import cache_key, content_generation
from network.models import OfferingPage

from . import confirmation, experiment_forms, own_page, ratelimit, selectors
from .certificate_pdf import certificate_pdf
from .corrections import CORRECTED_FIELDS, participant_correct
from .errors import RegistrationError
from .forms import CancelForm, ParticipantForm, RegistrationForm, error_summary, participant_formset
from .landscape import landscape_context
from .models import ContactStatus, ParticipantStatus
from .rounds import library_openings, offering_rounds_state
from .schedule import offering_days
from .services import participants_add, participants_cancel, registration_confirm, registration_create

DEFAULT_ROWS = 3
# Markers in the cached empty form page (`_empty_form_page`), where each visitor's token and the seats left go.
CSRF_SLOT = "registration-csrf-token-slot"
AVAILABILITY_SLOT = "registration-availability-slot"


def _offering(page_id: int) -> OfferingPage:
    """The live, public offering with its registration rounds, kept in the cache until the next publish.
    The seats taken are not part of it: they are counted for every visitor, and again under the lock."""
    key = cache_key("registration-offering", content_generation(), page_id)
    offering = cache.get(key)
    if offering is None:
        offering = OfferingPage.objects.live().public().filter(pk=page_id).first() or False
        if offering:
            offering = offering.specific
            prefetch_related_objects([offering], "registration_rounds__library_group")
        cache.set(key, offering, CACHE_TTL)
    if not offering or not offering.registration_enabled:
        raise Http404(_("Der er ingen tilmelding til dette tilbud."))
    return offering


def _rows(request) -> int:
    try:
        rows = int(request.GET.get("deltagere", DEFAULT_ROWS))
    except ValueError:
        rows = DEFAULT_ROWS
    return min(max(rows, 1), settings.REGISTRATION_MAX_PARTICIPANTS_PER_SUBMISSION)


def manage_path(registration) -> str:
    return reverse("registration_manage", args=[registration.public_id])


# A confirmation link opened in this session: which registration it may confirm.
CONFIRM_SESSION_KEY = "registration_confirm"


def _private(response):
    """A page behind the secret link: not indexed, and the token in the URL never sent to another site."""
    response["X-Robots-Tag"] = "noindex"
    # Same-origin still lets the forms pass CSRF checks.
    response["Referrer-Policy"] = "same-origin"
    return response


def _link_invalid(request):
    return _private(render(request, "registration/link_invalid.html", status=404))


def _enter(request, public_id, token: str, to: str):
    """A manage link (token in the query string, or in the path as e-mails sent before had it): the access goes into
    the session and the browser is sent on to the address without the token."""
    registration = selectors.registration_by_link(public_id=public_id, token=token)
    if registration is None:
        return _link_invalid(request)
    confirmation.access_grant(request, registration)
    return _private(redirect(reverse(to, args=[registration.public_id])))


def _granted(request, public_id):
    """The registration, when this session has opened its link; else None."""
    registration = confirmation.registration_by_public_id(public_id)
    if registration is None or not confirmation.access_granted(request, registration):
        return None
    return registration


@never_cache
@require_http_methods(["GET"])
def manage_old_link(request, public_id, token: str):
    return _enter(request, public_id, token, "registration_manage")


@never_cache
@require_http_methods(["GET"])
def landscape_old_link(request, public_id, token: str):
    return _enter(request, public_id, token, "registration_landscape")


def _outcome_message(request, confirmed, waiting) -> None:
    if confirmed:
        messages.success(
            request,
            ngettext("%(count)d deltager har fået plads.", "%(count)d deltagere har fået plads.", len(confirmed))
            % {"count": len(confirmed)},
        )
    if waiting:
        messages.warning(
            request,
            ngettext("%(count)d deltager står på venteliste.", "%(count)d deltagere står på venteliste.", len(waiting))
            % {"count": len(waiting)},
        )


@never_cache
@require_http_methods(["GET", "POST"])
def register(request, page_id: int):
    offering = _offering(page_id)
    rows = _rows(request)
    formset_class = participant_formset(extra=rows)
    status = 200
    if request.method == "POST":
        marks = _library_marks(offering)
        form = RegistrationForm(request.POST, **marks)
        tracks = selectors.offering_track_names(offering=offering)
        formset = formset_class(request.POST, prefix="participants", form_kwargs={"tracks": tracks})
        if form.is_bot:
            form = RegistrationForm(request.POST, **marks)
            form.add_error(None, _("Formularen kunne ikke sendes. Prøv igen, eller kontakt arrangøren."))
            status = 400
        elif ratelimit.exceeded(request, request.POST.get("contact_email", "")):
            form.add_error(None, _("Der er sendt for mange tilmeldinger herfra. Vent en time, og prøv igen."))
            status = 429
        elif form.is_valid() and formset.is_valid():
            remembered = confirmation.address_remembered(request, form.cleaned_data["contact_email"])
            try:
                result = registration_create(
                    offering=offering,
                    library=form.cleaned_data["library"],
                    contact_name=form.cleaned_data["contact_name"],
                    contact_email=form.cleaned_data["contact_email"],
                    participants=formset.participants(),
                    consent=form.cleaned_data["consent"],
                    contact_confirmed=remembered,
                    language=request.LANGUAGE_CODE,
                )
            except RegistrationError as error:
                form.add_error(None, error.message)
            else:
                confirmation.access_grant(request, result.registration)
                if remembered:
                    messages.success(request, _("Tak! Tilmeldingen er modtaget. Vi har sendt en kvittering på e-mail."))
                else:
                    messages.warning(request, _("Bekræft tilmeldingen med linket i den e-mail, vi har sendt dig."))
                _outcome_message(request, result.confirmed, result.waiting)
                return _private(redirect(manage_path(result.registration)))
    else:
        page = _empty_form_page(request, offering, rows)
        if page is not None:
            return page
        form = RegistrationForm(**_library_marks(offering))
        tracks = selectors.offering_track_names(offering=offering)  # not before: the cached page has them
        formset = formset_class(prefix="participants", form_kwargs={"tracks": tracks})
    availability = selectors.offering_availability(offering=offering)
    return _form_page(request, offering, form, formset, availability, status=status)


def _library_marks(offering) -> dict:
    """The form's library list marks those the rounds do not yet let register (rounds.library_openings)."""
    state = offering_rounds_state(offering=offering, now=timezone.now())
    return {"openings": library_openings(state=state), "now": state.now}


def _form_page(request, offering, form, formset, availability, *, status=200, slots=False):
    """The form page. With `slots`, the seats and the CSRF token are left as markers for `_empty_form_page`."""
    rounds = offering_rounds_state(offering=offering, now=timezone.now())
    context = {
        "rounds_summary": rounds.summary(),
        "page": offering,
        "offering": offering,
        "availability": availability,
        "availability_html": AVAILABILITY_SLOT if slots else _availability_html(offering, availability),
        # An empty form is the same for every visitor (the CSRF token stays outside): its fields are rendered once
        # per content generation (a publish, a library changed), language and number of rows.
        "form_cache_key": None
        if form.is_bound
        else cache_key(
            "registration-form", content_generation(), offering.pk, request.LANGUAGE_CODE, _rows(request), rounds.phase
        ),
        "form": form,
        "formset": formset,
        "errors": error_summary(form, formset),
        "more_rows": min(formset.total_form_count() + 3, settings.REGISTRATION_MAX_PARTICIPANTS_PER_SUBMISSION),
    }
    if slots:
        context["csrf_token"] = CSRF_SLOT
    return render(request, "registration/register.html", context, status=status)


def _availability_html(offering, availability) -> str:
    return render_to_string("registration/_availability.html", {"offering": offering, "availability": availability})


def _empty_form_page(request, offering, rows: int) -> HttpResponse | None:
    """The empty form as most visitors get it, from the cache, with the seats and the CSRF token filled in for each.
    None (render the page) for a logged-in user, a visitor with messages waiting, or a query beyond the rows."""
    query = request.GET.urlencode()
    if query not in ("", f"deltagere={rows}"):
        return None
    if request.user.is_authenticated or len(messages.get_messages(request)):
        return None
    availability = selectors.offering_availability(offering=offering)
    key = cache_key(
        "registration-page", content_generation(), offering.pk, request.LANGUAGE_CODE, request.scheme,
        request.get_host(), query, availability.state,
        offering_rounds_state(offering=offering, now=timezone.now()).phase,
    )  # fmt: skip
    page = cache.get(key)
    if page is None:
        form = RegistrationForm(**_library_marks(offering))
        tracks = {"tracks": selectors.offering_track_names(offering=offering)}
        formset = participant_formset(extra=rows)(prefix="participants", form_kwargs=tracks)
        page = _form_page(request, offering, form, formset, availability, slots=True).content.decode()
        cache.set(key, page, CACHE_TTL)
    html = page.replace(CSRF_SLOT, get_token(request), 1)
    html = html.replace(AVAILABILITY_SLOT, _availability_html(offering, availability), 1)
    return HttpResponse(html)


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, public_id):
    if confirmation.TOKEN_PARAMETER in request.GET:
        return _enter(request, public_id, request.GET[confirmation.TOKEN_PARAMETER], "registration_manage")
    registration = _granted(request, public_id)
    if registration is None:
        return _link_invalid(request)
    offering = registration.offering.specific
    registration.offering = offering
    now = timezone.now()
    expired = registration.contact_status == ContactStatus.EXPIRED or (
        registration.contact_status == ContactStatus.UNCONFIRMED and registration.hold_until <= now
    )
    can_change = not expired and now < selectors.offering_change_deadline(offering=offering) and now < offering.end
    add_formset = participant_formset(extra=1)(
        request.POST if request.POST.get("action") == "add" else None,
        prefix="add",
        form_kwargs={"tracks": selectors.offering_track_names(offering=offering)},
    )
    if request.POST.get("action") == "correct" or (request.method == "GET" and "ret" in request.GET):
        return _correct(request, registration, offering, can_change)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add":
                if add_formset.is_valid():
                    confirmed, waiting = participants_add(
                        registration=registration, participants=add_formset.participants(), now=now
                    )
                    _outcome_message(request, confirmed, waiting)
                    return redirect(request.path)
            elif action == "cancel":
                cancel = CancelForm(request.POST)
                if not cancel.is_valid() or not (cancel.cleaned_data["participant"] or cancel.cleaned_data["everyone"]):
                    raise RegistrationError(_("Vælg, hvem der skal afmeldes."), "nothing_to_cancel")
                ids = None if cancel.cleaned_data["everyone"] else [cancel.cleaned_data["participant"]]
                cancelled, _promoted = participants_cancel(registration=registration, participant_ids=ids, now=now)
                messages.success(
                    request,
                    ngettext("%(count)d deltager er afmeldt.", "%(count)d deltagere er afmeldt.", len(cancelled))
                    % {"count": len(cancelled)},
                )
                return redirect(request.path)
            else:
                messages.error(request, _("Ukendt handling."))
        except RegistrationError as error:
            messages.error(request, error.message)
    participants = list(registration.participants.order_by("queued_at", "pk"))
    waits = any(p.status == "waiting" for p in participants)
    positions = selectors.waiting_positions(offering_id=offering.pk) if waits else {}
    for participant in participants:
        participant.position = positions.get(participant.pk)
    if request.method == "GET" and "afmeld" in request.GET:
        return _cancel_question(request, registration, participants, can_change)
    context = {
        "page": offering,
        "offering": offering,
        "registration": registration,
        "participants": participants,
        "active": [p for p in participants if p.status != ParticipantStatus.CANCELLED],
        "availability": selectors.offering_availability(offering=offering, now=now),
        "can_change": can_change,
        "change_deadline": selectors.offering_change_deadline(offering=offering),
        "days": offering_days(offering=offering),
        "add_formset": add_formset,
        "add_errors": error_summary(formset=add_formset),
        "landscape_url": reverse("registration_landscape", args=[registration.public_id]),
        "expired": expired,
    }
    return _private(render(request, "registration/manage.html", context))


def _cancel_question(request, registration, participants, can_change: bool):
    """Before a cancel: who is cancelled, where the seat goes and who is written to; its button posts the cancel the
    manage page has always taken (no JavaScript needed). A choice that is not one of the registration's active
    participants goes back to the manage page with a message."""
    active = [p for p in participants if p.status != ParticipantStatus.CANCELLED]
    choice = request.GET["afmeld"]
    everyone = choice == "alle"
    chosen = active if everyone else [p for p in active if str(p.pk) == choice.strip()]
    if not can_change or not chosen:
        refusal = _("Vælg, hvem der skal afmeldes.") if can_change else _("Tilmeldingen kan ikke ændres.")
        messages.error(request, refusal)
        return _private(redirect(request.path))
    frees_seats = any(p.status == ParticipantStatus.CONFIRMED for p in chosen)
    context = {
        "page": registration.offering,
        "offering": registration.offering,
        "registration": registration,
        "manage_url": request.path,
        "everyone": everyone,
        "chosen": chosen,
        "frees_seats": frees_seats,
        # Someone else waits: a queue longer than the waiting ones cancelled here.
        "others_wait": frees_seats
        and selectors.waiting_count(offering_id=registration.offering_id)
        > sum(p.status == ParticipantStatus.WAITING for p in chosen),
        "tells": registration.is_contact_confirmed,
    }
    return _private(render(request, "registration/cancel_confirm.html", context))


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, public_id):
    """The contact's confirmation link: a page with one button (a mail scanner that opens the link confirms nothing).
    Confirmed in time, the colleagues are written to; after the hold ran out, a message and no change."""
    if confirmation.TOKEN_PARAMETER in request.GET:
        token = request.GET[confirmation.TOKEN_PARAMETER]
        registration = confirmation.registration_by_confirm_link(public_id=public_id, token=token)
        if registration is None:
            return _link_invalid(request)
        request.session[CONFIRM_SESSION_KEY] = str(registration.public_id)
        return _private(redirect(reverse("registration_confirm", args=[registration.public_id])))
    registration = confirmation.registration_by_public_id(public_id)
    if registration is None or request.session.get(CONFIRM_SESSION_KEY) != str(registration.public_id):
        return _link_invalid(request)
    if registration.is_contact_confirmed:
        # No access from this link any more: the manage link of the receipt opens the registration.
        messages.info(request, _("Tilmeldingen er allerede bekræftet."))
        return _private(redirect(manage_path(registration)))
    error, status = "", 200
    if registration.contact_status == ContactStatus.EXPIRED or registration.hold_until <= timezone.now():
        error, status = _("Linket er udløbet, og pladserne er givet videre."), 410
    elif request.method == "POST":
        try:
            registration_confirm(registration=registration)
        except RegistrationError as refused:
            error, status = refused.message, 410 if refused.code == "expired" else 409
        else:
            confirmation.access_grant(request, registration)
            messages.success(
                request, _("Tak! Tilmeldingen er bekræftet. Kollegerne får deres bekræftelse, og du får en kvittering.")
            )
            response = redirect(manage_path(registration))
            if request.POST.get("remember"):
                confirmation.address_remember(request, response, registration.contact_email)
            return _private(response)
    context = {
        "page": registration.offering,
        "offering": registration.offering,
        "registration": registration,
        "participants": registration.participants.exclude(status=ParticipantStatus.CANCELLED),
        "days": [] if error else offering_days(offering=registration.offering),
        "error": error,
    }
    return _private(render(request, "registration/confirm.html", context, status=status))


@never_cache
@require_http_methods(["GET"])
def landscape(request, public_id):
    """The competency landscape of the registration's library, for its contact: aggregated counts, no names."""
    if confirmation.TOKEN_PARAMETER in request.GET:
        return _enter(request, public_id, request.GET[confirmation.TOKEN_PARAMETER], "registration_landscape")
    registration = _granted(request, public_id)
    # The library's figures only for a contact who has shown the address is theirs (the link in the e-mail).
    if registration is None or not registration.is_contact_confirmed:
        return _link_invalid(request)
    context = {
        "registration": registration,
        "manage_url": manage_path(registration),
        **landscape_context(registration.library, request.GET),
    }
    return _private(render(request, "registration/landscape.html", context))


def _correct(request, registration, offering, can_change: bool):
    """The form that corrects one participant's details (GET ?ret=<id>), and its POST (action=correct)."""
    wanted = request.POST.get("participant") if request.method == "POST" else request.GET.get("ret")
    participant = None
    if wanted and wanted.isascii() and wanted.isdigit() and len(wanted) < 12:
        participant = registration.participants.exclude(status=ParticipantStatus.CANCELLED).filter(pk=wanted).first()
    if participant is None or not can_change:
        messages.error(request, _("Deltageren kan ikke rettes her (afmeldt, ukendt, eller fristen er overskredet)."))
        return redirect(request.path)
    tracks = selectors.offering_track_names(offering=offering)
    initial = {field: getattr(participant, field) for field in CORRECTED_FIELDS}
    posted = request.method == "POST"
    form = ParticipantForm(request.POST if posted else None, initial=initial, tracks=tracks, prefix="ret")
    if posted and form.is_valid():
        try:
            participant_correct(registration=registration, participant_id=participant.pk, data=form.participant())
        except RegistrationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Oplysningerne om %(name)s er rettet.") % {"name": form.cleaned_data["name"]})
            return redirect(request.path)
    context = {"page": offering, "offering": offering, "registration": registration, "participant": participant,
               "form": form}  # fmt: skip
    return _private(render(request, "registration/participant_correct.html", context, status=400 if posted else 200))


# --- The participant's own page ------------------------------------------------------------------------------------


@never_cache
@require_safe
def participant_page(request, participant_id: int):
    """A participant's own page behind the link in the e-mail about their seat: their days, the calendar, the
    materials and, once issued, their certificate. The token goes into the session, as the manage link's does."""
    if confirmation.TOKEN_PARAMETER in request.GET:
        participant = own_page.participant_by_link(
            participant_id=participant_id, token=request.GET[confirmation.TOKEN_PARAMETER]
        )
        if participant is None:
            return _link_invalid(request)
        confirmation.participant_access_grant(request, participant)
        return _private(redirect(reverse("registration_participant", args=[participant.pk])))
    participant = own_page.participant_by_id(participant_id)
    if participant is None or not confirmation.participant_access_granted(request, participant):
        return _link_invalid(request)
    context = own_page.participant_page_context(participant=participant, now=timezone.now())
    context = experiment_forms.own_page_context(participant=participant, context=context, now=timezone.now())
    return _private(render(request, "registration/participant.html", context))


# --- Course certificates -------------------------------------------------------------------------------------------


@never_cache
@require_safe
def certificate_verify(request, code: str):
    """Whether a certificate is genuine: its holder, course and date, nothing else. Never kept in a cache, so an
    erased holder's name is gone at once."""
    certificate = own_page.certificate_by_code(code)
    status = 404 if certificate is None else (410 if certificate.is_expired else 200)
    response = render(request, "registration/certificate_verify.html", {"certificate": certificate}, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_safe
def certificate_download(request, code: str):
    """The certificate as PDF, for its holder (who has the code from the e-mail)."""
    certificate = own_page.certificate_by_code(code)
    if certificate is None or certificate.is_expired:
        return certificate_verify(request, code)
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="kursusbevis-{certificate.offering.slug}.pdf"'
    response["X-Robots-Tag"] = "noindex"
    return response
