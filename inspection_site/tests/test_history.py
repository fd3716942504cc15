"""Every model that holds money or scores keeps the history of each change: who, when and what it was before
(django-simple-history: a historical row per save, with the user and the date; the row before it is what it was).

The walk finds such models by their fields (every decimal field; numbers and choices named like a score, a grade, an
amount, points, a rating or marks), so that a model added later is held to the rule too. The few exempt ones say
why, and the test checks the reason still holds."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from simple_history.models import registered_models

pytestmark = pytest.mark.django_db

NAMED_LIKE_MONEY_OR_SCORES = re.compile(r"score|grade|amount|points|rating|value|marks|fine|yuan|total|balance|weight")

# label -> why it keeps no history of its own. Each reason is checked below.
EXEMPT = {
    "deductions.LedgerEntry": "append-only: each movement of money is a new entry with its author and time",
    "deductions.TeacherLedger": "its totals are the sums of its LedgerEntry rows (kept with F()); the entries are "
                                "the history",
    "exams.ScoreImport": "the record of one import (how many rows it wrote), written once; the scores it wrote keep "
                         "their own history",
    "feedback.Answer": "an anonymous respondent's answer, stored once with its response and never changed (only a "
                       "comment's moderation is); a history would add nothing",
    "observations.Experiment": "grade_level is the school year the experiment belongs to, not a grade given",
}


def money_or_score_fields(model) -> list[str]:
    found = []
    for field in model._meta.concrete_fields:
        if field.is_relation or field.primary_key:
            continue
        if isinstance(field, models.DecimalField):
            found.append(field.name)
        elif isinstance(field, (models.IntegerField, models.FloatField, models.CharField)) and \
                NAMED_LIKE_MONEY_OR_SCORES.search(field.name):
            found.append(field.name)
    return found


def domain_models():
    for app in settings.LOCAL_APPS:
        for model in apps.get_app_config(app.rsplit(".", 1)[-1]).get_models():
            if model.__module__.endswith(".models") and not model.__name__.startswith("Historical"):
                yield model


def has_history(model) -> bool:
    return model in registered_models.values() and hasattr(model, "history")


def test_every_model_holding_money_or_scores_keeps_its_history():
    holding = {model._meta.label: money_or_score_fields(model) for model in domain_models()}
    holding = {label: fields for label, fields in holding.items() if fields}
    # The walk sees the models the rule is about (so a change to it that finds nothing fails here).
    assert {"deductions.Violation", "exams.Score", "exams.ItemScore", "observations.ObservationScore",
            "lesson_plans.PrepCheck", "lesson_plans.EntryScore", "inspections.FineRule",
            "inspections.SixEarnestsEvaluation", "school.Student"} <= set(holding)
    missing = [f"{label} {fields}" for label, fields in sorted(holding.items())
               if label not in EXEMPT and not has_history(apps.get_model(label))]
    assert not missing, "money or scores without history:\n" + "\n".join(missing)
    stale = set(EXEMPT) - set(holding)
    assert not stale, f"exemptions of models that no longer hold money or scores: {stale}"


def test_the_exemptions_still_hold():
    entry = apps.get_model("deductions.LedgerEntry")
    names = {field.name for field in entry._meta.get_fields()}
    assert {"created_by", "created_at", "amount"} <= names
    # No service changes an answer's rating after it is stored.
    import inspect

    from feedback.services import responses

    source = inspect.getsource(responses)
    assert "update(value" not in source and ".value =" not in source


def test_a_changed_observation_score_keeps_who_changed_it_and_what_it_was(world):
    from observations.models import ObservationScore
    from observations.rubric import rubric_for
    from observations.services.log import observation_update
    from observations.services.log import observation_create
    from observations.tests.permission_cases_log import last_monday

    items = rubric_for(world.school)
    before, after = Decimal("8.0"), Decimal("6.5")
    observation = observation_create(
        observer=world.teacher, school_class=world.class_2, date=last_monday(), period=1, topic="分数的意义",
        kind="peer", scores={items[0].pk: before, items[1].pk: Decimal("9.0")}, user=world.teacher.user)
    first = ObservationScore.objects.get(observation=observation, item=items[0])
    scores = {items[0].pk: after, items[1].pk: Decimal("9.0")}
    observation_update(observation=observation, editor=observation.observer, topic=observation.topic,
                       kind=observation.kind, scores=scores, user=observation.observer.user)
    records = list(first.history.order_by("history_date", "history_id"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert records[0].history_user == world.teacher.user
    assert (records[0].score, records[1].score) == (before, after)
    assert records[1].history_user == observation.observer.user
    # The other items did not change and have only their creation in the history.
    others = ObservationScore.history.filter(observation_id=observation.pk).exclude(id=first.pk)
    assert set(others.values_list("history_type", flat=True)) == {"+"}
