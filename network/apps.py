from django.apps import AppConfig


class NetworkConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "network"
    verbose_name = "Netværket"

    def ready(self):
        from . import signals  # noqa: PLC0415 - the models are ready only now

        signals.connect()
