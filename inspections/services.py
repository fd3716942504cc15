"""Writes to the policy. Loading a preset replaces every number and row of the school's policy."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from school.models import School

from .models import FineRule, ObservationQuota, Policy, Preset, ReviewRule, RoundRule
from .presets import PRESETS


def _policy_defaults() -> dict:
    """Every editable field of Policy at its model default, so a preset never inherits the previous one."""
    values = {}
    for field in Policy._meta.concrete_fields:
        if field.name in {"id", "school", "preset", "name"}:
            continue
        values[field.name] = field.get_default()
    return values


@transaction.atomic
def policy_load_preset(*, school: School, preset: str) -> Policy:
    """Make `school`'s policy exactly the preset (V1..V7 of DOMAIN.md); the office edits it afterwards."""
    if preset not in PRESETS:
        raise ValueError(_("Unknown preset %(preset)s.") % {"preset": preset})
    school = school.root
    data = PRESETS[preset]
    values = _policy_defaults() | data["fields"] | {"preset": Preset(preset), "name": data["name"]}
    policy = Policy.objects.select_for_update().filter(school=school).first()
    if policy is None:
        policy = Policy(school=school)
    for name, value in values.items():
        setattr(policy, name, value)
    policy.full_clean()
    policy.save()

    policy.quotas.all().delete()
    policy.review_rules.all().delete()
    policy.round_rules.all().delete()
    # Fine rules keep their history: rules the preset drops are deactivated, not deleted.
    kept_codes = set()
    for row in data["fines"]:
        rule = FineRule.objects.filter(policy=policy, code=row["code"]).first() or FineRule(
            policy=policy, code=row["code"]
        )
        for name in ("description", "amount", "conduct_points", "unit", "discretionary", "noted_in_file", "source"):
            default = FineRule._meta.get_field(name).get_default()
            setattr(rule, name, row.get(name, default))
        rule.active = True
        rule.full_clean()
        rule.save()
        kept_codes.add(row["code"])
    for rule in policy.fine_rules.exclude(code__in=kept_codes).filter(active=True):
        rule.active = False
        rule.save()

    for model, rows in (
        (ObservationQuota, data["quotas"]),
        (ReviewRule, data["reviews"]),
        (RoundRule, data["rounds"]),
    ):
        for row in rows:
            obj = model(policy=policy, **row)
            obj.full_clean()
            obj.save()
    return policy
