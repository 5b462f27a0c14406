"""The overview across offerings: confirmed participants per library, region and offering, by start date."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.permission_policies.pages import PagePermissionPolicy

from network.models import OfferingPage

from .. import selectors
from .base import VIEW_REGISTRATIONS, AdminTemplateView, require_permission


def start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class OverviewFilterForm(forms.Form):
    start_from = forms.DateField(
        label=gettext_lazy("Start fra"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    start_to = forms.DateField(
        label=gettext_lazy("Start til og med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("start_from") and data.get("start_to") and data["start_from"] > data["start_to"]:
            raise forms.ValidationError(_("Fra-datoen skal ligge før til-datoen."))
        return data

    def filter(self, offerings):
        """Filter offerings by their start (Copenhagen dates, both ends included); invalid input filters nothing."""
        if not self.is_valid():
            return offerings
        if self.cleaned_data.get("start_from"):
            offerings = offerings.filter(start__gte=start_of_day(self.cleaned_data["start_from"]))
        if self.cleaned_data.get("start_to"):
            offerings = offerings.filter(start__lt=start_of_day(self.cleaned_data["start_to"] + dt.timedelta(days=1)))
        return offerings


class OverviewView(AdminTemplateView):
    template_name = "registration/admin/overview.html"
    page_title = gettext_lazy("Tilmeldinger")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get(self, request):
        require_permission(request, VIEW_REGISTRATIONS)
        form = OverviewFilterForm(request.GET or None)
        offerings = form.filter(OfferingPage.objects.all())
        data = selectors.registrations_overview(offerings=offerings)
        ids = [offering.pk for offering in data["per_offering"]]
        editable = set(
            PagePermissionPolicy()
            .instances_user_has_permission_for(request.user, "change")
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
        for offering in data["per_offering"]:
            offering.can_manage = offering.pk in editable
        return self.render(filter_form=form, **data)
