"""Writes to the policy. Loading a preset replaces every number and row of the school's policy; the office then
edits it on the policy page. Every write keeps history (django-simple-history) with the user who made it."""

from __future__ import annotations

import copy
from typing import Iterable

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from school.models import School

from ..models import FineRule, ObservationQuota, Policy, Preset, ReviewRule, RoundRule
from ..presets import PRESETS

# The rows a preset sets, each with the fields that identify a row within a policy (its unique constraint):
# loading a preset updates the row with the same key in place, so loading twice leaves the same rows.
ROW_KEYS = (
    ("quotas", ObservationQuota, ("role",)),
    ("reviews", ReviewRule, ("reviewer", "reviewees")),
    ("rounds", RoundRule, ("kind",)),
)
# Change reasons stored in the history, language-neutral; the history page words them in the reader's language.
REASON_PRESET = "preset:"
REASON_EDIT = "policy-page"
FINE_FIELDS = ("description", "amount", "conduct_points", "unit", "discretionary", "noted_in_file", "source")


def _policy_defaults() -> dict:
    """Every editable field of Policy at its model default, so a preset never inherits the previous one."""
    values = {}
    for field in Policy._meta.concrete_fields:
        if field.name in {"id", "school", "preset", "name"}:
            continue
        values[field.name] = field.get_default()
    return values


def _stamp(obj: models.Model, user, reason: str) -> models.Model:
    """Name the user and the reason on the history record the next save or delete writes."""
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    obj._change_reason = reason
    return obj


def _assign(obj: models.Model, values: dict) -> bool:
    """Set `values` on `obj`; True if any of them changed (unchanged rows are not saved: no empty history)."""
    changed = obj.pk is None
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


@transaction.atomic
def policy_load_preset(*, school: School, preset: str, user=None) -> Policy:
    """Make `school`'s policy exactly the preset (V1..V7 of DOMAIN.md); the office edits it afterwards.

    The policy belongs to the central school (`school.root`). Quotas, reviews and rounds the preset does not
    have are deleted; fine rules it does not have are deactivated, never deleted, so past fines keep their rule
    and its history (loading V1 after V4 leaves V4's fines inactive: a policy with no active fine records
    findings without money).
    """
    if preset not in PRESETS:
        raise ValueError(_("Unknown preset %(preset)s.") % {"preset": preset})
    reason = f"{REASON_PRESET}{preset}"
    school = school.root
    # A copy: the preset's lists must never be shared with (and mutated through) a policy instance.
    data = copy.deepcopy(PRESETS[preset])
    values = _policy_defaults() | data["fields"] | {"preset": Preset(preset), "name": data["name"]}
    policy = Policy.objects.select_for_update().filter(school=school).first()
    if policy is None:
        policy = Policy(school=school)
    if _assign(policy, values):
        policy.full_clean()
        _stamp(policy, user, reason).save()

    for key, model, natural_key in ROW_KEYS:
        existing = {tuple(getattr(obj, f) for f in natural_key): obj for obj in model.objects.filter(policy=policy)}
        for row in data[key]:
            obj = existing.pop(tuple(row[f] for f in natural_key), None) or model(policy=policy)
            defaults = {f.name: f.get_default() for f in model._meta.concrete_fields if f.name not in ("id", "policy")}
            if _assign(obj, defaults | row):
                obj.full_clean()
                _stamp(obj, user, reason).save()
        for obj in existing.values():
            _stamp(obj, user, reason).delete()

    kept_codes = set()
    existing = {rule.code: rule for rule in FineRule.objects.filter(policy=policy)}
    for row in data["fines"]:
        rule = existing.get(row["code"]) or FineRule(policy=policy, code=row["code"])
        values = {name: row.get(name, FineRule._meta.get_field(name).get_default()) for name in FINE_FIELDS}
        if _assign(rule, values | {"active": True}):
            rule.full_clean()
            _stamp(rule, user, reason).save()
        kept_codes.add(row["code"])
    for rule in existing.values():
        if rule.code not in kept_codes and rule.active:
            rule.active = False
            _stamp(rule, user, reason).save()
    return policy


@transaction.atomic
def policy_update(*, policy: Policy, form, formsets: Iterable, user) -> Policy:
    """Save the teaching office's edit of the policy: its fields (`form`, a PolicyForm) and its rows (inline
    formsets of quotas, reviews, rounds and fines), all or nothing.

    Every form must be valid (the view re-renders with errors otherwise; this refuses to save a partial edit).
    Removed quotas, reviews and rounds are deleted; a removed fine rule is deactivated instead, so fines already
    recorded under it keep their rule and its history. Each change is recorded with `user`.
    """
    formsets = list(formsets)
    if not form.is_valid() or not all(formset.is_valid() for formset in formsets):
        raise ValidationError(_("The policy has errors; nothing was saved."))
    reason = REASON_EDIT
    if form.has_changed():
        policy = form.save(commit=False)
        policy.full_clean()
        _stamp(policy, user, reason).save()
    for formset in formsets:
        instances = formset.save(commit=False)
        # Deletions first, so a row removed and added again under the same key does not collide.
        for obj in formset.deleted_objects:
            if isinstance(obj, FineRule):
                rule = FineRule.objects.get(pk=obj.pk)
                if rule.active:
                    rule.active = False
                    _stamp(rule, user, reason).save()
            else:
                _stamp(obj, user, reason).delete()
        for obj in instances:
            obj.policy = policy
            obj.full_clean()
            _stamp(obj, user, reason).save()
    return policy
