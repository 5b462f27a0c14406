"""The background tasks (django-tasks), under the path queued tasks name. The delivery task lives in `outbox`."""

from .outbox import deliver_emails

__all__ = ["deliver_emails"]
