"""Free the seats held for contacts who did not confirm in time. Meant for a schedule, e.g. every 5 minutes (cron)."""

from django.core.management.base import BaseCommand

from events.registration.services import registration_holds_expire


class Command(BaseCommand):
    help = (
        "Cancel registrations whose contact did not confirm within REGISTRATION_HOLD_MINUTES; the waiting list moves."
    )

    def handle(self, *args, **options):
        count = registration_holds_expire()
        self.stdout.write(f"{count} ubekræftede tilmeldinger udløbet.")
