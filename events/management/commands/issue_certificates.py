"""Issue the certificates of courses that have ended. Meant for a schedule, e.g. every night (cron)."""

from django.core.management.base import BaseCommand

from events.registration.certificates import certificates_issue_due


class Command(BaseCommand):
    help = "Issue a certificate to each participant who attended enough of an ended course's days, and e-mail it."

    def handle(self, *args, **options):
        count = certificates_issue_due()
        self.stdout.write(f"{count} kursusbeviser udstedt og lagt i udbakken.")
