"""Object permissions of the homework pages (autodiscovered by `rules.apps.AutodiscoverRulesConfig`).

Which rows a person may see at all is the scoped querysets' business (others' rows are 404); these rules say what
she may do. The person-bound ones (record a check, log tutoring, record the talk) are asked with `rules.has_perm`
so that a superuser with no staff record is not taken for an inspector or a teacher.
"""

import rules

from school.permissions import is_manager, is_school_wide, is_staff_member, scope_for


@rules.predicate
def has_staff_record(user):
    return scope_for(user).staff is not None


@rules.predicate
def inspects_homework(user):
    """A leader, the office, a cadre or a group leader: someone who checks homework (V1.7, V2.I, V7.5)."""
    from .selectors import is_inspector

    return is_inspector(scope_for(user).staff)


@rules.predicate
def made_inspection(user, inspection):
    staff_id = scope_for(user).staff_id
    return inspection is not None and staff_id is not None and inspection.inspector_id == staff_id


@rules.predicate
def talk_open(user, inspection):
    return inspection is not None and not inspection.discussed


rules.add_perm("homework_checks.see_inspections", is_staff_member)
rules.add_perm("homework_checks.record_inspection", has_staff_record & inspects_homework)
rules.add_perm("homework_checks.record_talk", made_inspection & talk_open)
rules.add_perm("homework_checks.export_inspections", is_school_wide | inspects_homework)
rules.add_perm("homework_checks.see_week", is_school_wide | inspects_homework)
rules.add_perm("homework_checks.see_plan", is_school_wide)
rules.add_perm("homework_checks.manage_plan", is_manager)
rules.add_perm("homework_checks.log_tutoring", has_staff_record)
rules.add_perm("homework_checks.see_tutoring", is_staff_member)
