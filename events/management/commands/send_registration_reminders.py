"""Remind confirmed participants before their offering starts. Meant for a schedule, e.g. every hour (cron)."""

from django.core.management.base import BaseCommand

from events.registration.reminders import reminders_queue_due


class Command(BaseCommand):
    help = "Send a reminder to confirmed participants of offerings that start within REGISTRATION_REMINDER_DAYS."

    def handle(self, *args, **options):
        count = reminders_queue_due()
        self.stdout.write(f"{count} påmindelser lagt i udbakken.")
