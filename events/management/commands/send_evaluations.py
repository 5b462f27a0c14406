"""Send the evaluation link when an offering (or a course day with its own questions) has ended, and the one
reminder. Meant for a schedule: hourly (cron)."""

from django.core.management.base import BaseCommand

from events.registration.evaluations import evaluations_invite_due


class Command(BaseCommand):
    help = (
        "Invite participants of ended offerings and course days to their evaluation; remind once after "
        "EVALUATION_REMINDER_DAYS."
    )

    def handle(self, *args, **options):
        invited, reminded = evaluations_invite_due()
        self.stdout.write(f"{invited} evalueringer og {reminded} påmindelser lagt i udbakken.")
