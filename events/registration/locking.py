"""The offering's lock: every change that takes or frees a seat holds it while it counts and writes."""

from __future__ import annotations

from django.conf import settings
from django.db import OperationalError, connection
from django.utils.translation import gettext as _

from .errors import RegistrationError

# Namespace of our advisory locks, so they never meet another application's on the same PostgreSQL server.
LOCK_NAMESPACE = 4_711
# PostgreSQL's code for a lock wait that ran out of `lock_timeout`.
LOCK_NOT_AVAILABLE = "55P03"


def offering_lock(*, offering_id: int, timed: bool = True) -> None:
    """Serialise every change to the seats of one offering until the surrounding transaction ends. Raises
    RuntimeError outside `transaction.atomic()`; when `timed` (a visitor's change), RegistrationError ("busy") after
    REGISTRATION_LOCK_TIMEOUT. Untimed it waits: a coordinator's publish or erasure must not fail half-way."""
    if not connection.in_atomic_block:
        raise RuntimeError("offering_lock must run inside transaction.atomic()")
    if not settings.REGISTRATION_LOCKING or connection.vendor != "postgresql":
        return  # SQLite: the transaction began IMMEDIATE (settings), so it holds the database's write lock already.
    if not timed:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, offering_id])
        return
    timeout = f"{round(settings.REGISTRATION_LOCK_TIMEOUT * 1000)}ms"
    try:
        with connection.cursor() as cursor:
            # One round trip; the timeout is put back to the session's own for the rest of the transaction.
            cursor.execute(
                "SET LOCAL lock_timeout = %s; SELECT pg_advisory_xact_lock(%s, %s); SET LOCAL lock_timeout TO DEFAULT",
                [timeout, LOCK_NAMESPACE, offering_id],
            )
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) != LOCK_NOT_AVAILABLE:
            raise
        raise RegistrationError(_("Der er travlt lige nu. Prøv igen om et øjeblik."), "busy") from error
