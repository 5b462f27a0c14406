"""Where Wagtail's admin needs a word of ours: the login form's password label (Wagtail's form leaves it to the
field's name, "Password", which no catalogue holds) and the theme field's help (taggit's is about free tags)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.auth import LoginForm
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
