"""The data of "Giv mig besked, når tilmeldingen åbner": one e-mail address waiting for an offering's registration to
open (for its library, or for every library). Registered with the events app by events/models.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import LinkToken


class NotificationRequest(LinkToken, models.Model):
    """Deleted once its e-mail is in the outbox, when the offering ends, or with the person (privacy)."""

    wagtail_reference_index_ignore = True

    offering = models.ForeignKey(
        "network.OfferingPage",
        verbose_name=_("tilbud"),
        on_delete=models.CASCADE,
        related_name="notification_requests",
    )
    email = models.EmailField(_("e-mail"), max_length=254)  # stored in lower case
    library = models.ForeignKey(
        "network.Library",
        verbose_name=_("bibliotek"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # a library removed: told when every library may register
        related_name="+",
    )
    consent_at = models.DateTimeField(_("samtykke givet"))
    # The language the request was made in: its e-mail is written in it.
    language = models.CharField(_("sprog"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    # The unsubscribe link's token, kept only as its hash (as the manage link's).
    token_hash = models.CharField(max_length=64, editable=False)
    # Set when its e-mail was written to the outbox: a second run at the same time skips it; then it is deleted.
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)

    class Meta:
        verbose_name = _("anmodning om besked")
        verbose_name_plural = _("anmodninger om besked")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["offering", "email"], name="notification_request_once"),
        ]
        indexes = [models.Index(fields=["email"], name="notification_request_email")]

    def __str__(self) -> str:
        return f"{self.offering_id} · {self.created_at:%Y-%m-%d}"
