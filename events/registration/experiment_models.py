"""The data of the experiment between course days: what a participant (alone or with colleagues from the same
library) tried, with whom and what they learned, and an optional file. Registered with the events app by
events/models.py, as registration's models are; the rules live in `experiments`."""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Participant

TRIED_MAX = 1500
WITH_WHOM_MAX = 300
LEARNED_MAX = 1500


class ExperimentStorage(FileSystemStorage):
    """Experiment files under EXPERIMENT_FILES_ROOT, read when used (tests change the setting): never below
    MEDIA_ROOT, which the proxy serves without asking who is looking."""

    @property
    def base_location(self):
        return os.fspath(settings.EXPERIMENT_FILES_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


def experiment_storage() -> ExperimentStorage:
    return ExperimentStorage()


def experiment_file_path(instance, filename: str) -> str:
    """A random name (with the file's extension) in a folder per month: the stored name tells nothing of the file
    or its author; the name it was uploaded with is kept in `file_name` for the download."""
    extension = os.path.splitext(filename)[1].lower()[:10]
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class Experiment(models.Model):
    """One participant's (or one library team's) experiment for one activity of a course.

    `activity` is the course's step of kind "aktivitet" it answers; should a coordinator remove that step, the
    experiment stays with the offering. The author writes and edits it until the next course day starts; the
    colleagues named in `team` read it on their own pages.
    """

    wagtail_reference_index_ignore = True

    offering = models.ForeignKey(
        "network.OfferingPage", verbose_name=_("tilbud"), on_delete=models.CASCADE, related_name="experiments"
    )
    activity = models.ForeignKey(
        "events.CourseSession",
        verbose_name=_("aktivitet"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="experiments",
    )
    author = models.ForeignKey(
        Participant, verbose_name=_("skrevet af"), on_delete=models.CASCADE, related_name="experiments"
    )
    team = models.ManyToManyField(Participant, verbose_name=_("holdet"), blank=True, related_name="team_experiments")
    tried = models.CharField(_("Hvad prøvede I?"), max_length=TRIED_MAX)
    with_whom = models.CharField(_("Med hvem?"), max_length=WITH_WHOM_MAX, blank=True)
    learned = models.CharField(_("Hvad lærte I?"), max_length=LEARNED_MAX, blank=True)
    file = models.FileField(
        _("fil"), storage=experiment_storage, upload_to=experiment_file_path, max_length=200, blank=True
    )
    # The name the file had on the participant's computer, for the download; the stored name is random.
    file_name = models.CharField(_("filnavn"), max_length=120, blank=True)
    file_type = models.CharField(_("filtype"), max_length=100, blank=True)
    file_size = models.PositiveIntegerField(_("filstørrelse"), null=True, blank=True)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    updated_at = models.DateTimeField(_("ændret"), default=timezone.now)

    class Meta:
        verbose_name = _("eksperiment")
        verbose_name_plural = _("eksperimenter")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["author", "activity"], name="experiment_once_per_activity"),
        ]

    def __str__(self) -> str:
        return f"{self.offering_id} · {self.pk}"
