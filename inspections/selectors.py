"""Reads of the policy."""

from __future__ import annotations

from django.db.models import Prefetch

from school.models import School

from .models import FineRule, Policy


def policy_for(school: School) -> Policy | None:
    """The policy a school follows: its central school's, with every row prefetched (a fixed number of queries)."""
    return (
        Policy.objects.filter(school_id=school.root_id)
        .prefetch_related(
            "quotas",
            "review_rules",
            "round_rules",
            Prefetch("fine_rules", queryset=FineRule.objects.order_by("id")),
        )
        .first()
    )


def quotas_for_roles(policy: Policy | None, role_codes, *, in_central_group: bool = False):
    """The observation quotas that apply to a person holding these roles."""
    if policy is None:
        return []
    return [
        q
        for q in policy.quotas.all()
        if q.role in role_codes and (not q.central_group_only or in_central_group)
    ]
