""" "Giv mig besked, når tilmeldingen åbner": the form's POST (from the offering page) and the unsubscribe link."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import confirmation, notify, ratelimit
from .errors import RegistrationError
from .forms import NotifyForm
from .views import _offering, _private

UNSUBSCRIBE_SESSION_KEY = "registration_notify_unsubscribe"


# The form sits on the offering page, which is kept whole in the cache for every visitor, so it carries no CSRF
# token. Nothing here reads a session or a login (what CSRF protects): a forged post could store no more than its
# sender could by posting it themselves, and it counts against the same rate limit.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def notify_request(request, page_id: int):
    offering = _offering(page_id)
    if request.method == "GET":
        return redirect(offering.url + "#besked")
    form = NotifyForm(request.POST)
    status, stored = 200, None
    if form.is_bot:
        form.add_error(None, _("Formularen kunne ikke sendes. Prøv igen, eller kontakt arrangøren."))
        status = 400
    elif ratelimit.exceeded(request, request.POST.get("email", "")):
        form.add_error(None, _("Der er sendt for mange anmodninger herfra. Vent en time, og prøv igen."))
        status = 429
    elif form.is_valid():
        try:
            _request, created = notify.notification_request_create(
                offering=offering,
                email=form.cleaned_data["email"],
                library=form.cleaned_data["library"],
                consent=form.cleaned_data["consent"],
                language=request.LANGUAGE_CODE,
            )
        except RegistrationError as error:
            form.add_error(None, error.message)
            status = 400
        else:
            stored = "created" if created else "exists"
    else:
        status = 400
    context = {"page": offering, "offering": offering, "form": form, "stored": stored}
    return _private(render(request, "registration/notify.html", context, status=status))


@never_cache
@require_http_methods(["GET", "POST"])
def notify_unsubscribe(request):
    """The link in the e-mail: the token goes into the session (out of the address), then a page with one button,
    so a mail scanner that opens the link deletes nothing."""
    if confirmation.TOKEN_PARAMETER in request.GET:
        request.session[UNSUBSCRIBE_SESSION_KEY] = request.GET[confirmation.TOKEN_PARAMETER][:100]
        return _private(redirect(reverse("registration_notify_unsubscribe")))
    token = request.session.get(UNSUBSCRIBE_SESSION_KEY, "")
    done = False
    if request.method == "POST" and token:
        notify.notification_unsubscribe(token=token)
        request.session.pop(UNSUBSCRIBE_SESSION_KEY, None)
        done = True
    context = {"done": done, "found": not done and notify.notification_link_valid(token=token)}
    return _private(render(request, "registration/notify_unsubscribe.html", context))
