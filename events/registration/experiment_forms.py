"""The experiment's form on the participant's own page, and what the page shows of experiments below each activity."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import CoursePage

from .experiment_files import ACCEPT
from .experiment_models import LEARNED_MAX, TRIED_MAX, WITH_WHOM_MAX
from .experiments import own_page_experiments, team_candidates
from .forms import error_summary, too_long


class ExperimentForm(forms.Form):
    tried = forms.CharField(
        label=_("Hvad prøvede I?"),
        max_length=TRIED_MAX,
        error_messages={"required": _("Skriv, hvad I prøvede."), **too_long(TRIED_MAX)},
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    with_whom = forms.CharField(
        label=_("Med hvem?"),
        help_text=_("Fx en skole, en klasse eller kolleger."),
        max_length=WITH_WHOM_MAX,
        required=False,
        error_messages=too_long(WITH_WHOM_MAX),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    learned = forms.CharField(
        label=_("Hvad lærte I?"),
        max_length=LEARNED_MAX,
        required=False,
        error_messages=too_long(LEARNED_MAX),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    team = forms.TypedMultipleChoiceField(
        label=_("Kolleger på holdet"),
        help_text=_("De kan læse eksperimentet på deres egen side."),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Vælg kolleger fra listen.")},
    )
    file = forms.FileField(
        label=_("Fil (valgfri)"),
        help_text=_("PDF, billede eller Office-dokument."),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )
    remove_file = forms.BooleanField(label=_("Fjern den vedhæftede fil"), required=False)

    def __init__(self, *args, candidates=(), has_file=False, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates:
            self.fields["team"].choices = [(p.pk, p.name) for p in candidates]
        else:
            del self.fields["team"]
        if not has_file:
            del self.fields["remove_file"]


def experiment_form(*, participant, entry, data=None, files=None) -> ExperimentForm:
    """The form for one activity, filled in with what the participant wrote before."""
    mine = entry.mine
    initial = {}
    if mine is not None:
        initial = {
            "tried": mine.tried,
            "with_whom": mine.with_whom,
            "learned": mine.learned,
            "team": [p.pk for p in mine.team.all()],
        }
    candidates = list(team_candidates(participant=participant))
    has_file = bool(mine and mine.file)
    prefix = f"e{entry.activity.pk}"
    return ExperimentForm(data, files, initial=initial, candidates=candidates, has_file=has_file, prefix=prefix)


def own_page_context(*, participant, context: dict, now: dt.datetime, bound: tuple | None = None) -> dict:
    """Adds each activity's experiments (and a form, while it is open) to the steps of the own page's context.
    `bound` is (activity pk, form) for a form sent back with errors."""
    offering = context["offering"]
    if not isinstance(offering, CoursePage):
        return context
    entries = own_page_experiments(participant=participant, course=offering, steps=context["steps"], now=now)
    for step in context["steps"]:
        entry = entries.get(step.pk)
        if entry is None:
            continue
        if entry.open and entry.team_of is None:
            if bound and bound[0] == step.pk:
                entry.form = bound[1]
                entry.errors = error_summary(bound[1])
            else:
                entry.form = experiment_form(participant=participant, entry=entry)
        step.experiment_entry = entry
    return context
