"""When a coordinator publishes more seats, the waiting list moves up at once."""

from django.dispatch import receiver

from wagtail.signals import page_published

from network.models import OfferingPage

from .services import offering_seats_fill


@receiver(page_published)
def fill_seats_after_publish(sender, instance, **kwargs):
    if isinstance(instance, OfferingPage) and instance.registration_enabled:
        offering_seats_fill(offering=instance)
