"""A course's programme in templates: its course days numbered, the activities between them labelled."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def course_steps(sessions):
    """{% course_steps sessions as steps %}: [(session, number, label), ...] in order.

    Course days are numbered ("Kursusgang 2"); an activity is labelled by where it falls among them.
    """
    sessions = list(sessions)
    day_positions = [i for i, session in enumerate(sessions) if session.is_course_day]
    steps = []
    number = 0
    for i, session in enumerate(sessions):
        if session.is_course_day:
            number += 1
            label = _("Kursusgang %(number)d") % {"number": number}
            steps.append((session, number, label))
            continue
        if not day_positions or day_positions[0] < i < day_positions[-1]:
            label = _("Mellem kursusgangene")
        elif i < day_positions[0]:
            label = _("Før første kursusgang")
        else:
            label = _("Efter sidste kursusgang")
        steps.append((session, None, label))
    return steps
