from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "events"
    verbose_name = _("Arrangementer, kurser og tilmelding")

    def ready(self):
        from .registration import signals  # noqa: F401, PLC0415 - importing it connects the receivers, once models are ready
