"""One person's data: see what we hold about an e-mail address, export it (logged) or erase it (after asking); a
coordinator on the offerings they may edit, the group "Persondataansvarlig" across the network."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext

from ..privacy import person_erase, person_export
from ..selectors import person_data
from ..values import Actor
from .base import HANDLE_PERSONAL_DATA, AdminTemplateView, offerings_in_scope, require_registration_tools


class PersonForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail"))


class PersonDataView(AdminTemplateView):
    """See what we hold about one e-mail address; export it (logged) or erase it (after a confirmation)."""

    template_name = "registration/admin/person.html"
    page_title = gettext_lazy("Persondata")
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        require_registration_tools(request)
        self.offerings = offerings_in_scope(request.user, HANDLE_PERSONAL_DATA)
        return super().dispatch(request, *args, **kwargs)

    def render(self, **context):
        return super().render(scoped=self.offerings is not None, **context)

    def get(self, request):
        form = PersonForm(request.GET or None)
        data = person_data(email=form.cleaned_data["email"], offerings=self.offerings) if form.is_valid() else None
        return self.render(form=form, data=data)

    def post(self, request):
        form = PersonForm(request.POST)
        if not form.is_valid():
            return self.render(form=form, data=None)
        email = form.cleaned_data["email"]
        actor = Actor.coordinator(request.user)
        action = request.POST.get("action")
        if action == "export":
            data = person_export(email=email, actor=actor, offerings=self.offerings)
            response = HttpResponse(
                json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
            )
            response["Content-Disposition"] = 'attachment; filename="persondata.json"'
            return response
        if action == "erase" and request.POST.get("confirm") == "1":
            changed = person_erase(email=email, actor=actor, offerings=self.offerings)
            messages.success(
                request,
                ngettext(
                    "%(count)d post om %(email)s er anonymiseret.",
                    "%(count)d poster om %(email)s er anonymiseret.",
                    changed,
                )
                % {"count": changed, "email": email},
            )
            return redirect("registration_admin:person")
        if action == "erase":
            data = person_data(email=email, offerings=self.offerings)
            return self.render(form=form, data=data, confirm_erase=True)
        return redirect(reverse("registration_admin:person") + "?" + urlencode({"email": email}))
