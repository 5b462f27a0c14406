"""Attendance on a course's days: confirmed participants × course days, with a checkbox per cell."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.models import CoursePage

from .. import selectors
from ..certificates import certificates_issue
from ..errors import RegistrationError
from ..services import attendance_record
from ..values import Actor
from .base import AdminTemplateView, editable_offering

CELL = re.compile(r"^a-(\d+)-(\d+)$")


class AttendanceView(AdminTemplateView):
    """Confirmed participants × course days, with a checkbox per cell."""

    template_name = "registration/admin/attendance.html"
    header_icon = "tasks"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        offering = editable_offering(request, kwargs["page_id"]).specific
        if not isinstance(offering, CoursePage):
            raise Http404(_("Fremmøde føres kun for kurser."))
        self.course = offering

    def get_page_title(self):
        return _("Fremmøde: %(title)s") % {"title": self.course.title}

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        url = reverse("registration_admin:offering", args=[self.course.pk])
        return [*items[:-1], {"url": url, "label": self.course.title}, items[-1]]

    def get(self, request, page_id: int):
        days = selectors.course_days(course=self.course)
        rows = selectors.attendance_rows(course=self.course, days=days)
        return self.render(course=self.course, days=days, rows=rows, ended=self.course.end <= timezone.now())

    def post(self, request, page_id: int):
        if "issue_certificates" in request.POST:
            return self.issue_certificates(request)
        attended = {(int(match[1]), int(match[2])) for key in request.POST if (match := CELL.match(key)) is not None}
        try:
            changed = attendance_record(course=self.course, attended=attended, actor=Actor.coordinator(request.user))
        except RegistrationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext("Fremmødet er gemt (%(count)d ændring).", "Fremmødet er gemt (%(count)d ændringer).", changed)
                % {"count": changed},
            )
        return redirect("registration_admin:attendance", page_id=self.course.pk)

    def issue_certificates(self, request):
        """Issue now what the nightly command would (attendance is often registered after the last day)."""
        if self.course.end > timezone.now():
            messages.error(request, _("Kursusbeviser udstedes, når forløbet er slut."))
        else:
            issued = certificates_issue(course=self.course)
            messages.success(
                request,
                ngettext(
                    "%(count)d kursusbevis er udstedt og sendt.",
                    "%(count)d kursusbeviser er udstedt og sendt.",
                    len(issued),
                )
                % {"count": len(issued)},
            )
        return redirect("registration_admin:attendance", page_id=self.course.pk)
