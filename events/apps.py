from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "events"
    verbose_name = _("Arrangementer, kurser og tilmelding")

    def ready(self):
        # The listings' cards (network) say whether seats are left; network cannot ask events, so events tells it.
        from network.templatetags.network_cards import register_card_state  # noqa: PLC0415

        from .registration import signals  # noqa: F401, PLC0415 - importing it connects the receivers, once models are ready
        from .registration.cards import card_state_html  # noqa: PLC0415

        register_card_state(card_state_html)
        # A kept page expires when a registration round opens, as it does when an offering starts (network.pagecache).
        from network.pagecache import register_moments  # noqa: PLC0415

        from .registration.selectors import next_round_opening  # noqa: PLC0415

        register_moments(next_round_opening)
