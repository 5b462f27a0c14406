from django.apps import AppConfig
from django.urls import register_converter

from .converters import IdConverter


class NetworkConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "network"
    verbose_name = "Netværket"

    def ready(self):
        from . import signals  # noqa: PLC0415 - the models are ready only now

        signals.connect()
        # `<id:...>` in every URLconf of the project: an id beyond the database's range is a 404, not a 500.
        register_converter(IdConverter, "id")
