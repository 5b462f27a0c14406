"""The outbox's one action: a coordinator sends failed e-mails of their offerings again (the list itself is a
viewset in the hooks)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from wagtail.admin.utils import get_valid_next_url_from_request

from network.converters import parse_id

from .. import outbox, selectors
from .base import VIEW_REGISTRATIONS, offerings_in_scope, require_registration_tools


class OutboxRetryView(View):
    http_method_names = ["post"]

    def post(self, request):
        require_registration_tools(request)
        ids = [number for value in request.POST.getlist("ids") if (number := parse_id(value)) is not None]
        # Only e-mails the user may see: another organisation's ids are left as they are.
        visible = selectors.outbox_messages(offerings=offerings_in_scope(request.user, VIEW_REGISTRATIONS))
        retried = outbox.retry(visible.filter(pk__in=ids).values_list("pk", flat=True))
        if retried:
            messages.success(
                request,
                ngettext("%(count)d e-mail er sendt igen.", "%(count)d e-mails er sendt igen.", retried)
                % {"count": retried},
            )
        else:
            messages.warning(request, _("Der var ingen fejlede e-mails at sende igen."))
        return redirect(get_valid_next_url_from_request(request) or reverse("udbakke:index"))
