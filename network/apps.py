import logging

from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_migrate
from django.urls import register_converter

from .caching import cache_description, cache_table_ensure, new_generation
from .converters import IdConverter


class NetworkConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "network"
    verbose_name = "Netværket"

    def ready(self):
        from . import signals  # noqa: PLC0415 - the models are ready only now

        signals.connect()
        # The page cache's lifetimes: the next start, end or deadline of an offering (events adds its rounds).
        from .pagecache import offering_moments, register_moments  # noqa: PLC0415

        register_moments(offering_moments)
        # `<id:...>` in every URLconf of the project: an id beyond the database's range is a 404, not a 500.
        register_converter(IdConverter, "id")
        # Which cache this process uses, in one line (production logs it); `migrate` makes a database cache's table.
        post_migrate.connect(cache_table_ensure, sender=self)
        # A deploy runs `migrate`: pages the previous release made are not served after it (once the table is there).
        post_migrate.connect(new_generation, sender=self, dispatch_uid="network-caching-migrate")
        logging.getLogger("network.caching").info(cache_description(settings.CACHES["default"]))
