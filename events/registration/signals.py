"""When a coordinator publishes more seats, the waiting list moves up at once; the dashboard's tally follows the
offerings' themes and the offerings and themes deleted."""

from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from wagtail.signals import page_published

from network.models import OfferingPage, Theme

from .models import Participant, ParticipantStatus
from .services import offering_seats_fill
from .tally import tally_change, tally_offering_recount, tally_rebuild


@receiver(page_published)
def fill_seats_after_publish(sender, instance, **kwargs):
    if isinstance(instance, OfferingPage) and instance.registration_enabled:
        offering_seats_fill(offering=instance)


@receiver(page_published)
def tally_after_publish(sender, instance, **kwargs):
    """The published themes may differ: the offering's participants count under the new ones."""
    if isinstance(instance, OfferingPage):
        tally_offering_recount(offering_id=instance.pk)


@receiver(pre_delete, sender=OfferingPage)
def tally_before_offering_deleted(sender, instance, **kwargs):
    """Its participants go with it (cascade), and out of the tally."""
    confirmed = Participant.objects.filter(offering_id=instance.pk, status=ParticipantStatus.CONFIRMED)
    confirmed = list(confirmed.only("pk", "registration_id", "offering_id", "queued_at"))
    tally_change(participants=confirmed, delta=-1, per_offering=False)  # its OfferingTally rows go by cascade


@receiver(post_delete, sender=Theme)
def tally_after_theme_deleted(sender, instance, **kwargs):
    """Its offerings' participants count under their other themes, or none: made anew (themes are seldom deleted)."""
    tally_rebuild()
