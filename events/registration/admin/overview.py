"""The overview across offerings: confirmed participants per library, region and offering, by start date."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network.models import OfferingPage

from .. import selectors
from ..overview import overview_page_ids, overview_totals
from ..scope import editable_scope, registration_scope
from .base import VIEW_REGISTRATIONS, AdminTemplateView, require_registration_tools

# Offerings per page: the network's archive holds thousands with registrations, and a coordinator reads a page.
OFFERINGS_PER_PAGE = 50


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
        require_registration_tools(request)
        form = OverviewFilterForm(request.GET or None)
        # A coordinator's own offerings (the totals are theirs too); the network-wide role sees every offering. One
        # scope for the request: its path ranges filter the totals, the list and its page alike.
        scope = registration_scope(request.user, VIEW_REGISTRATIONS)
        offerings = form.filter(scope.offerings())
        # The totals, the count and the page's pks read every offering in the scope: from the cache until a
        # registration or a page changes (`registration/overview.py`). The page's participant counts are live.
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        data, key = overview_totals(offerings=offerings, scope=scope, filters=filters)
        paginator = Paginator(OfferingPage.objects.none(), OFFERINGS_PER_PAGE)
        paginator.count = data.pop("count")  # known: the paginator asks no COUNT of its own
        page = paginator.get_page(request.GET.get("p"))
        first = (page.number - 1) * OFFERINGS_PER_PAGE
        shown = overview_page_ids(offerings=offerings, key=key, first=first, size=OFFERINGS_PER_PAGE)
        counted = selectors.offering_participant_counts(OfferingPage.objects.filter(pk__in=shown))
        data["per_offering"] = list(counted.order_by("-start", "-pk"))
        editable = editable_scope(request.user)  # links only where the page may be edited: in Python, no query
        for offering in data["per_offering"]:
            offering.can_manage = editable.contains(offering)
        return self.render(
            filter_form=form,
            scoped=not scope.everything,
            offerings_page=page,
            elided_page_range=page.paginator.get_elided_page_range(page.number),
            **data,
        )
