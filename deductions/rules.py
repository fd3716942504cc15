"""Object permissions of the fines pages (autodiscovered by `rules.apps.AutodiscoverRulesConfig`).

Which rows a person may see at all is the scoped querysets' business (others' rows are 404); these rules say what
she may do with a row she sees: a teacher reads her own and appeals them, a group leader reads her group's, the
teaching office of the row's school confirms, dismisses, decides, closes months and adjusts; the principal reads.
"""

import rules

from school.permissions import (
    can_see_staff,
    is_group_leader,
    is_manager,
    is_school_wide,
    is_staff_member,
    manages_school,
    scope_for,
)


@rules.predicate
def sees_violation(user, violation):
    if violation is None:
        return is_staff_member(user)
    return can_see_staff(user, violation.teacher)


@rules.predicate
def manages_violation(user, violation):
    return manages_school(user, violation.school if violation is not None else None)


@rules.predicate
def is_the_teacher(user, violation):
    """The teacher the finding is against (only she appeals it)."""
    staff_id = scope_for(user).staff_id
    return violation is not None and staff_id is not None and staff_id == violation.teacher_id


@rules.predicate
def manages_month(user, month):
    """A ledger month belongs to a central school: its office closes it; a village school's office does not."""
    return manages_school(user, month.school if month is not None else None)


@rules.predicate
def sees_ledger(user, ledger):
    if ledger is None:
        return is_staff_member(user)
    return can_see_staff(user, ledger.teacher)


rules.add_perm("deductions.see_violations", is_staff_member)
rules.add_perm("deductions.view_violation", sees_violation)
rules.add_perm("deductions.add_violation", is_manager)
rules.add_perm("deductions.confirm_violations", is_manager)
rules.add_perm("deductions.manage_violation", manages_violation)
rules.add_perm("deductions.appeal_violation", is_the_teacher)
# The months' summaries: whoever sees more than her own ledger (each sees the rows of her scope).
rules.add_perm("deductions.see_ledger_months", is_school_wide | is_group_leader)
rules.add_perm("deductions.manage_ledger_month", manages_month)
rules.add_perm("deductions.view_statement", sees_ledger)
rules.add_perm("deductions.see_conduct_points", is_staff_member)
