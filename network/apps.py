from django.apps import AppConfig


class NetworkConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "network"
    verbose_name = "Netværket"

    def ready(self):
        from .caching import connect_signals

        connect_signals()
