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
from django.views.decorators.http import require_http_methods

from network.caching import TTL as CACHE_TTL
from network.caching import cache_key, content_generation
from network.models import OfferingPage

from . import ratelimit, selectors
from .errors import RegistrationError
from .forms import CancelForm, RegistrationForm, participant_formset
from .landscape import landscape_context
from .models import ParticipantStatus
from .services import participants_add, participants_cancel, registration_create

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


def manage_path(registration, token: str) -> str:
    return reverse("registration_manage", args=[registration.public_id, token])


def _private(response):
    """A page behind the secret link: not indexed, and the token in the URL never sent to another site."""
    response["X-Robots-Tag"] = "noindex"
    # Same-origin still lets the forms pass CSRF checks.
    response["Referrer-Policy"] = "same-origin"
    return response


def _link_invalid(request):
    return _private(render(request, "registration/link_invalid.html", status=404))


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
    tracks = offering.registration_tracks
    rows = _rows(request)
    formset_class = participant_formset(extra=rows)
    status = 200
    if request.method == "POST":
        form = RegistrationForm(request.POST)
        formset = formset_class(request.POST, prefix="participants", form_kwargs={"tracks": tracks})
        if form.is_bot:
            form = RegistrationForm(request.POST)
            form.add_error(None, _("Formularen kunne ikke sendes. Prøv igen, eller kontakt arrangøren."))
            status = 400
        elif ratelimit.exceeded(request, request.POST.get("contact_email", "")):
            form.add_error(None, _("Der er sendt for mange tilmeldinger herfra. Vent en time, og prøv igen."))
            status = 429
        elif form.is_valid() and formset.is_valid():
            try:
                result = registration_create(
                    offering=offering,
                    library=form.cleaned_data["library"],
                    contact_name=form.cleaned_data["contact_name"],
                    contact_email=form.cleaned_data["contact_email"],
                    participants=formset.participants(),
                    consent=form.cleaned_data["consent"],
                    language=request.LANGUAGE_CODE,
                )
            except RegistrationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Tak! Tilmeldingen er modtaget. Vi har sendt en kvittering på e-mail."))
                _outcome_message(request, result.confirmed, result.waiting)
                return redirect(manage_path(result.registration, result.token))
    else:
        page = _empty_form_page(request, offering, rows)
        if page is not None:
            return page
        form = RegistrationForm()
        formset = formset_class(prefix="participants", form_kwargs={"tracks": tracks})
    availability = selectors.offering_availability(offering=offering)
    return _form_page(request, offering, form, formset, availability, status=status)


def _form_page(request, offering, form, formset, availability, *, status=200, slots=False):
    """The form page. With `slots`, the seats and the CSRF token are left as markers for `_empty_form_page`."""
    context = {
        "page": offering,
        "offering": offering,
        "availability": availability,
        "availability_html": AVAILABILITY_SLOT if slots else _availability_html(offering, availability),
        # An empty form is the same for every visitor (the CSRF token stays outside): its fields are rendered once
        # per content generation (a publish, a library changed), language and number of rows.
        "form_cache_key": None
        if form.is_bound
        else cache_key("registration-form", content_generation(), offering.pk, request.LANGUAGE_CODE, _rows(request)),
        "form": form,
        "formset": formset,
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
    )  # fmt: skip
    page = cache.get(key)
    if page is None:
        form = RegistrationForm()
        tracks = {"tracks": offering.registration_tracks}
        formset = participant_formset(extra=rows)(prefix="participants", form_kwargs=tracks)
        page = _form_page(request, offering, form, formset, availability, slots=True).content.decode()
        cache.set(key, page, CACHE_TTL)
    html = page.replace(CSRF_SLOT, get_token(request), 1)
    html = html.replace(AVAILABILITY_SLOT, _availability_html(offering, availability), 1)
    return HttpResponse(html)


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, public_id, token: str):
    registration = selectors.registration_by_link(public_id=public_id, token=token)
    if registration is None:
        return _link_invalid(request)
    offering = registration.offering.specific
    registration.offering = offering
    now = timezone.now()
    can_change = now < selectors.offering_change_deadline(offering=offering) and now < offering.end
    add_formset = participant_formset(extra=1)(
        request.POST if request.POST.get("action") == "add" else None,
        prefix="add",
        form_kwargs={"tracks": offering.registration_tracks},
    )
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
    context = {
        "page": offering,
        "offering": offering,
        "registration": registration,
        "participants": participants,
        "active": [p for p in participants if p.status != ParticipantStatus.CANCELLED],
        "availability": selectors.offering_availability(offering=offering, now=now),
        "can_change": can_change,
        "change_deadline": selectors.offering_change_deadline(offering=offering),
        "add_formset": add_formset,
        "landscape_url": reverse("registration_landscape", args=[registration.public_id, token]),
    }
    return _private(render(request, "registration/manage.html", context))


@never_cache
@require_http_methods(["GET"])
def landscape(request, public_id, token: str):
    """The competency landscape of the registration's library, for its contact: aggregated counts, no names."""
    registration = selectors.registration_by_link(public_id=public_id, token=token)
    if registration is None:
        return _link_invalid(request)
    context = {
        "registration": registration,
        "manage_url": manage_path(registration, token),
        **landscape_context(registration.library, request.GET),
    }
    return _private(render(request, "registration/landscape.html", context))
