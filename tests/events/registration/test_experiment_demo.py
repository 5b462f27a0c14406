"""The demo's experiments (network/demo/experiments.py), loaded on a factory course."""

from __future__ import annotations

import pytest

from events.registration.experiment_models import Experiment
from network.demo.experiments import EXPERIMENTS, load_experiments

pytestmark = pytest.mark.django_db


def test_three_experiments_by_the_courses_participants_and_only_once(experiment_course, seats):
    assert load_experiments(experiment_course) == 3
    experiments = list(Experiment.objects.filter(offering=experiment_course))
    assert len(experiments) == 3
    assert {e.author_id for e in experiments} <= {p.pk for p in seats.values()}
    assert {e.tried for e in experiments} == {text["tried"] for text in EXPERIMENTS}
    assert all(e.activity.kind == "aktivitet" for e in experiments)
    assert load_experiments(experiment_course) == 0
    assert Experiment.objects.filter(offering=experiment_course).count() == 3


def test_authors_from_different_libraries_come_first(experiment_course, seats):
    load_experiments(experiment_course)
    first, second, _third = Experiment.objects.filter(offering=experiment_course).order_by("pk")
    assert first.author.registration.library_id != second.author.registration.library_id


def test_a_course_without_participants_or_activity_gets_none(experiment_course):
    assert load_experiments(experiment_course) == 0
    experiment_course.sessions.filter(kind="aktivitet").delete()
    assert load_experiments(experiment_course) == 0
