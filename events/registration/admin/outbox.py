"""The outbox's one action: a coordinator sends failed e-mails again (the list itself is a viewset in the hooks)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from wagtail.admin.utils import get_valid_next_url_from_request

from network.converters import parse_id

from .. import outbox
from .base import VIEW_REGISTRATIONS, require_permission


class OutboxRetryView(View):
    http_method_names = ["post"]

    def post(self, request):
        require_permission(request, VIEW_REGISTRATIONS)
        ids = [number for value in request.POST.getlist("ids") if (number := parse_id(value)) is not None]
        retried = outbox.retry(ids)
        if retried:
            messages.success(
                request,
                ngettext("%(count)d e-mail er sendt igen.", "%(count)d e-mails er sendt igen.", retried)
                % {"count": retried},
            )
        else:
            messages.warning(request, _("Der var ingen fejlede e-mails at sende igen."))
        return redirect(get_valid_next_url_from_request(request) or reverse("udbakke:index"))
