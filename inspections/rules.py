"""Object permissions of the policy pages that school/permissions.py does not register (autodiscovered by
`rules.apps.AutodiscoverRulesConfig`). The object is the central school whose policy it is."""

import rules

from school.models import Role
from school.permissions import manages_school, scope_for


@rules.predicate
def is_principal_of(user, school):
    """The principal reads the history of her school's rules (she checks the leaders; she does not edit)."""
    scope = scope_for(user)
    if Role.PRINCIPAL not in scope.roles:
        return False
    return school is None or school.pk in scope.school_ids


rules.add_perm("inspections.see_policy_history", manages_school | is_principal_of)
