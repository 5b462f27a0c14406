"""Anonymise participants a retention period after their offering ended. Meant for a daily schedule (cron)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from events.registration import outbox
from events.registration.privacy import registrations_anonymise_expired


class Command(BaseCommand):
    help = "Anonymise registrations of offerings that ended more than REGISTRATION_RETENTION_MONTHS ago (counts stay)."

    def handle(self, *args, **options):
        count = registrations_anonymise_expired()
        months = settings.REGISTRATION_RETENTION_MONTHS
        self.stdout.write(f"{count} tilmeldinger anonymiseret (opbevaring: {months} måneder efter tilbuddets slut).")
        pruned = outbox.prune_sent()
        self.stdout.write(f"{pruned} sendte e-mails slettet (ældre end {settings.OUTBOX_KEEP_SENT_DAYS} dage).")
