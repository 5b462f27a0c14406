"""The data of evaluations: a participant's invitation (the link) and the anonymous responses, which hold no
reference to it. Registered with the events app by events/models.py, as registration's models are."""

from __future__ import annotations

import hashlib

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import LinkToken, Participant


class EvaluationInvitation(LinkToken, models.Model):
    """A confirmed participant's link to the evaluation of an offering, or of one of its course days (`session`):
    sent once when it ends, reminded once.

    Only the link's hash is kept. Whether they answered is a time, never the answer: a response (below) holds no
    reference to the invitation or the participant.
    """

    wagtail_reference_index_ignore = True

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="evaluation_invitations")
    offering = models.ForeignKey(
        "network.OfferingPage",
        verbose_name=_("tilbud"),
        on_delete=models.CASCADE,
        related_name="evaluation_invitations",
    )
    # Set for a course day's own evaluation; empty for the offering's.
    session = models.ForeignKey(
        "events.CourseSession",
        verbose_name=_("kursusgang"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evaluation_invitations",
    )
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sendt"), default=timezone.now)
    reminded_at = models.DateTimeField(_("påmindet"), null=True, blank=True)
    answered_at = models.DateTimeField(_("besvaret"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation til evaluering")
        verbose_name_plural = _("invitationer til evaluering")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "offering"],
                condition=models.Q(session__isnull=True),
                name="evaluation_invitation_once",
            ),
            models.UniqueConstraint(
                fields=["participant", "session"],
                condition=models.Q(session__isnull=False),
                name="evaluation_invitation_once_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offering_id} · {self.pk}"


def receipt_hash(token: str) -> str:
    """What finds a response again for the person holding its link: a hash of the token under its own prefix, so it
    matches neither the invitation's stored hash nor any other."""
    return hashlib.sha256(f"svar:{token}".encode()).hexdigest()


class EvaluationResponse(models.Model):
    """One anonymous answer to an offering's evaluation (or a course day's, `session`): the answers by question id,
    and nothing about who gave it."""

    wagtail_reference_index_ignore = True

    offering = models.ForeignKey(
        "network.OfferingPage", verbose_name=_("tilbud"), on_delete=models.CASCADE, related_name="evaluation_responses"
    )
    session = models.ForeignKey(
        "events.CourseSession",
        verbose_name=_("kursusgang"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evaluation_responses",
    )
    # {question block id: 1-5 (scale), the choice's text (choice) or the text typed (text)}; unanswered are left out.
    answers = models.JSONField(_("svar"), default=dict)
    # A date only: with minutes, the time could be matched with when one invitation was answered.
    submitted_on = models.DateField(_("besvaret"), default=timezone.localdate)
    receipt_hash = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = _("svar på evaluering")
        verbose_name_plural = _("svar på evalueringer")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.offering_id} · {self.pk}"
