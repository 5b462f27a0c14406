"""Remind confirmed participants before their offering starts. Meant for a schedule, e.g. every hour (cron)."""

from django.core.management.base import BaseCommand

from events.registration import emails


class Command(BaseCommand):
    help = "Send a reminder to confirmed participants of offerings that start within REGISTRATION_REMINDER_DAYS."

    def handle(self, *args, **options):
        count = emails.remind_due()
        self.stdout.write(f"{count} påmindelser lagt i udbakken.")
