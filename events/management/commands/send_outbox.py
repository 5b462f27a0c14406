"""Send the e-mails in the outbox whose time has come (new ones and retries). Meant for a schedule, e.g. every 5 min.

The background worker sends new messages at once; this command picks up retries after a mail server failure.
"""

from django.core.management.base import BaseCommand

from events.registration import outbox
from events.registration.selectors import failed_outbox_count


class Command(BaseCommand):
    help = "Deliver due messages from the e-mail outbox; report what is still waiting or failed."

    def handle(self, *args, **options):
        sent, not_sent = outbox.deliver_due()
        self.stdout.write(f"{sent} sendt, {not_sent} prøves igen senere, {failed_outbox_count()} fejlet i alt.")
