"""Background tasks (django-tasks). Immediate in development and tests; the database queue in production."""

from django_tasks import task

from . import emails


@task()
def deliver_email(message_id: int) -> bool:
    return emails.deliver(message_id)
