"""Tell those who asked ("Giv mig besked, når tilmeldingen åbner") that their library may now register, and delete
the requests that are done with. Meant for a schedule, e.g. every 5 minutes (cron), as rounds open on the minute."""

from django.core.management.base import BaseCommand

from events.registration.notify import notifications_queue_due


class Command(BaseCommand):
    help = "E-mail the requests whose registration round has opened, through the outbox; delete finished requests."

    def handle(self, *args, **options):
        count = notifications_queue_due()
        self.stdout.write(f"{count} beskeder om åben tilmelding lagt i udbakken.")
