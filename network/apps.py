import logging

from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_migrate

from .caching import cache_description, cache_table_ensure


class NetworkConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "network"
    verbose_name = "Netværket"

    def ready(self):
        from . import signals  # noqa: PLC0415 - the models are ready only now

        signals.connect()
        # Which cache this process uses, in one line (production logs it); `migrate` makes a database cache's table.
        post_migrate.connect(cache_table_ensure, sender=self)
        logging.getLogger("network.caching").info(cache_description(settings.CACHES["default"]))
