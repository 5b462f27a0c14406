"""Danish date formats for what Django and Wagtail format themselves (the admin's listings, history and tooltips):
the short month names of Django's Danish catalogue ("dec.", "maj", "marts"), so "15. dec. 2026 14:30"."""

from django.conf.locale.da.formats import *  # noqa: F403

DATE_FORMAT = "j. N Y"
DATETIME_FORMAT = "j. N Y H:i"
