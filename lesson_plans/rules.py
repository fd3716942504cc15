"""Object permissions of the lesson-preparation pages (autodiscovered by `rules.apps.AutodiscoverRulesConfig`).

Which rows a person may see at all is the scoped querysets' business (`selectors/`: others' rows are 404); these
rules say what she may do. The views ask them with `rules.has_perm`, so that a superuser with no staff record is
not taken for a teacher, a checker or a judge she is not.
"""

import rules

from school.permissions import (
    is_group_leader,
    is_manager,
    is_school_wide,
    is_staff_member,
    manages_school,
    scope_for,
)


@rules.predicate
def has_staff_record(user):
    return scope_for(user).staff is not None


@rules.predicate
def checks_someone(user):
    """A group leader, or a school-wide leader or office member (principal, vice-principal, director, office)."""
    scope = scope_for(user)
    return scope.staff is not None and (bool(scope.school_ids) or scope.is_group_leader)


@rules.predicate
def checks_teacher(user, teacher):
    from .selectors.checks import may_check

    scope = scope_for(user)
    return teacher is not None and may_check(scope.staff, teacher, scope=scope) if scope.staff else False


@rules.predicate
def edits_check(user, check):
    from .services.checks import may_edit

    return check is not None and may_edit(user, check)


@rules.predicate
def reviews_plan(user, plan):
    """The teaching office of the plan's school, or the teacher's group leader (not for her own plan)."""
    from .services.common import leads_group_of

    staff = scope_for(user).staff
    if plan is None or staff is None or staff.pk == plan.teacher_id:
        return False
    return manages_school(user, plan.school) or leads_group_of(staff, plan.teacher)


@rules.predicate
def manages_term(user, term):
    """A term's calendar is its central school's: that school's office sets its deadlines and closes them."""
    return term is not None and manages_school(user, term.school_year.school)


@rules.predicate
def runs_some_group(user):
    scope = scope_for(user)
    return scope.staff is not None and (scope.is_group_leader or scope.is_manager)


@rules.predicate
def runs_activity_group(user, activity):
    from .services.activities import runs_group

    return activity is not None and runs_group(user, activity.group)


@rules.predicate
def checks_activity_records(user, activity):
    from .services.activities import may_check_record

    return may_check_record(user, activity)


@rules.predicate
def opens_selections(user):
    scope = scope_for(user)
    return scope.staff is not None and scope.is_manager


@rules.predicate
def manages_selection(user, selection):
    return selection is not None and manages_school(user, selection.school)


@rules.predicate
def scores_entry(user, entry):
    from .services.selections import is_judge

    staff = scope_for(user).staff
    return entry is not None and staff is not None and staff.pk != entry.teacher_id and is_judge(staff,
                                                                                                  entry.selection)


@rules.predicate
def downloads_entry(user, entry):
    from .selectors.selections import may_download_entry

    return entry is not None and may_download_entry(user, entry)


rules.add_perm("lesson_plans.see_my_work", is_staff_member)
rules.add_perm("lesson_plans.see_plans", is_school_wide | is_group_leader)
rules.add_perm("lesson_plans.submit_plan", has_staff_record)
rules.add_perm("lesson_plans.see_plan", is_staff_member)
rules.add_perm("lesson_plans.review_plan", reviews_plan)
rules.add_perm("lesson_plans.manage_term", manages_term)
rules.add_perm("lesson_plans.see_checks", is_staff_member)
rules.add_perm("lesson_plans.check_prep", checks_someone)
rules.add_perm("lesson_plans.check_teacher", checks_teacher)
rules.add_perm("lesson_plans.edit_check", edits_check)
rules.add_perm("lesson_plans.see_sampling", is_school_wide)
rules.add_perm("lesson_plans.see_activities", is_staff_member)
rules.add_perm("lesson_plans.schedule_activity", runs_some_group)
rules.add_perm("lesson_plans.record_activity", runs_activity_group)
rules.add_perm("lesson_plans.check_activity", checks_activity_records)
rules.add_perm("lesson_plans.see_leader_attendance", is_school_wide)
rules.add_perm("lesson_plans.see_selections", is_staff_member)
rules.add_perm("lesson_plans.open_selection", opens_selections)
rules.add_perm("lesson_plans.nominate", has_staff_record)
rules.add_perm("lesson_plans.publish_selection", manages_selection)
rules.add_perm("lesson_plans.score_entry", scores_entry)
rules.add_perm("lesson_plans.download_entry", downloads_entry)
rules.add_perm("lesson_plans.see_summaries", is_school_wide | is_group_leader)
rules.add_perm("lesson_plans.submit_summary", has_staff_record)
