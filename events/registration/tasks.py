"""Background tasks (django-tasks). Immediate in development and tests; the database queue in production."""

from django_tasks import task

from . import emails


@task()
def deliver_emails(message_ids: list[int]) -> int:
    """The messages of one change (a registration's receipt and each participant's e-mail); returns how many went."""
    return sum(emails.deliver(message_id) for message_id in message_ids)
