"""Where Wagtail's admin needs a word of ours: the login form's password label (Wagtail's form leaves it to the
field's name, "Password", which no catalogue holds), the theme field's help (taggit's is about free tags) and date
pickers that keep what was typed."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin import widgets
from wagtail.admin.forms.auth import LoginForm
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets import AdminTagWidget


class AdminLoginForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Adgangskode")


class ThemeWidget(AdminTagWidget):
    """Themes are picked from the curated list: say so instead of how free tags with spaces are quoted."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["help_text"] = _(
            "Temaerne er netværkets faste liste (menuen Temaer). Skriv begyndelsen af et tema, og vælg det."
        )
        return context


class _KeepTypedValue:
    """The admin's date pickers replace a value they cannot read with the current time when the field loses focus
    (jQuery datetimepicker's `validateOnBlur`), so "2027-03-10 09:30" silently became now. Off: what was typed is
    sent as typed, the form reads Danish and ISO input alike, and anything else is refused with Django's message."""

    def get_config(self):
        return {**super().get_config(), "validateOnBlur": False}


class AdminDateInput(_KeepTypedValue, widgets.AdminDateInput):
    pass


class AdminTimeInput(_KeepTypedValue, widgets.AdminTimeInput):
    pass


class AdminDateTimeInput(_KeepTypedValue, widgets.AdminDateTimeInput):
    pass


register_form_field_override(models.DateField, override={"widget": AdminDateInput})
register_form_field_override(models.TimeField, override={"widget": AdminTimeInput})
register_form_field_override(models.DateTimeField, override={"widget": AdminDateTimeInput})
