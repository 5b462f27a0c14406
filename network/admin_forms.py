"""Where Wagtail's admin needs a word of ours: the login form's password label (Wagtail's form leaves it to the
field's name, "Password", which no catalogue holds), the theme field's help (taggit's is about free tags) and date
pickers that keep what was typed; slugs spelt out the Danish way; the organiser preset on a new offering."""

from __future__ import annotations

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin import widgets
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.forms.auth import LoginForm
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.panels import FieldPanel
from wagtail.admin.widgets import AdminTagWidget, SlugInput

from network.danish import DANISH_LETTERS


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


class DanishSlugInput(SlugInput):
    """Wagtail's slug field, which makes the slug from the title in the browser, with the Danish letters spelt out
    first (æ -> ae, ø -> oe, å -> aa, as `network.danish.danish_slugify` does on the server) and the rest
    transliterated to ASCII, so addresses read /saet-spot-paa-kompetencerne/, not /s%C3%A6t-spot-p%C3%A5-.../."""

    def __init__(self, attrs=None, formatters=None, locale=None):
        danish = [(f"[{letter}{letter.upper()}]", spelt) for letter, spelt in _DANISH_LOWER.items()]
        super().__init__(attrs=attrs, formatters=[*danish, *(formatters or [])], locale=locale)
        self.attrs["data-w-slug-allow-unicode-value"] = "false"


_DANISH_LOWER = {chr(code): spelt for code, spelt in DANISH_LETTERS.items() if chr(code).islower()}

register_form_field_override(models.SlugField, override={"widget": DanishSlugInput})


class OrganisedPageForm(WagtailAdminPageForm):
    """A new offering or working group starts with "Arrangør" set: the section it is created in when that is an
    organisation, the initiative's coordinating organisation, or else the one organisation the coordinator's groups
    may edit. Only a preset: the coordinator can change or clear it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and "organiser" in self.fields and not self.initial.get("organiser"):
            organiser = self.default_organiser()
            if organiser is not None:
                self.initial["organiser"] = organiser.pk

    def default_organiser(self):
        organisations = self._meta.model._meta.get_field("organiser").related_model
        section = self.parent_page.specific if self.parent_page else None
        if isinstance(section, organisations):
            return section
        if getattr(section, "organiser_id", None):
            return section.organiser
        user = self.for_user
        if user is None or not user.is_authenticated:
            return None
        own = list(organisations.objects.filter(group_permissions__group__user=user).distinct()[:2])
        return own[0] if len(own) == 1 else None


class DerivedFieldPanel(FieldPanel):
    """A read-only field the page derives on save: its value in Danish ("4. marts 2030 09:30"), or until there is one,
    `pending` (what it will follow from)."""

    def __init__(self, field_name, *args, pending="", **kwargs):
        self.pending = pending
        kwargs["read_only"] = True
        super().__init__(field_name, *args, **kwargs)

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "pending": self.pending}

    def format_value_for_display(self, value):
        if value is None:
            return self.pending
        if hasattr(value, "tzinfo"):
            return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
        return super().format_value_for_display(value)
