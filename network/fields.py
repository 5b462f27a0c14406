"""Model fields of our own."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChoicesListField(models.CharField):
    """A list of choices stored as a comma-separated string; edited as checkboxes.

    No model uses it now (the tracks are rows, `OfferingTrack`); network/0005 still names it, so it stays."""

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if isinstance(value, list | tuple):
            return list(value)
        return [v for v in (value or "").split(",") if v]

    def get_prep_value(self, value):
        return ",".join(self.to_python(value))

    def validate(self, value, model_instance):
        allowed = {choice for choice, _label in self.choices or []}
        unknown = [v for v in self.to_python(value) if v not in allowed]
        if unknown:
            raise forms.ValidationError(_("Ukendt valg: %(value)s"), params={"value": ", ".join(unknown)})
        if not self.blank and not value:
            raise forms.ValidationError(self.error_messages["blank"])

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            choices=self.choices,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )
