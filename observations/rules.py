"""Object permissions of the observations pages (autodiscovered by `rules.apps.AutodiscoverRulesConfig`).

Which rows a person may see at all is the scoped querysets' business (others' rows are 404); these rules say
what she may do. Sections per sub-domain: the observation log (with quotas and reviews) first.
"""

import rules

from school.models import Role
from school.permissions import is_group_leader, is_school_wide, is_staff_member, scope_for

# --- the observation log, quotas and reviews of notes -------------------------------------------


@rules.predicate
def has_staff_record(user):
    """Logging an observation needs a person on the staff to be its observer (a bare superuser is not)."""
    return scope_for(user).staff is not None


@rules.predicate
def sees_observation(user, observation):
    if observation is None:
        return is_staff_member(user)
    from .selectors.log import observations_visible_to

    return observations_visible_to(user).filter(pk=observation.pk).exists()


@rules.predicate
def wrote_observation(user, observation):
    staff_id = scope_for(user).staff_id
    return observation is not None and staff_id is not None and observation.observer_id == staff_id


@rules.predicate
def was_observed(user, observation):
    """The observed teacher: only she acknowledges and replies."""
    staff_id = scope_for(user).staff_id
    return observation is not None and staff_id is not None and observation.teacher_id == staff_id


@rules.predicate
def reviews_notes(user):
    """Someone the review chain can name as a reviewer: a group leader, the office, the principal."""
    scope = scope_for(user)
    return scope.everything or scope.is_group_leader or bool(
        scope.roles & {Role.DIRECTOR, Role.OFFICE_STAFF, Role.PRINCIPAL}
    )


@rules.predicate
def reviews_notes_of(user, reviewee):
    """Her school's rules give her this person's notes to review (never her own)."""
    from .selectors.log import in_review_chain

    staff = scope_for(user).staff
    if staff is None or reviewee is None or reviewee.pk == staff.pk:
        return False
    return in_review_chain(staff, reviewee)


# Named apart from Django's model permissions (add_/change_/view_), which the admin uses. The views ask the
# person-bound ones (log, edit, acknowledge, review) with `rules.has_perm`, so that a superuser with no staff
# record is not taken for an observer, an observed teacher or a reviewer.
rules.add_perm("observations.log_observation", has_staff_record)
rules.add_perm("observations.see_observations", is_staff_member)
rules.add_perm("observations.see_observation", sees_observation)
rules.add_perm("observations.edit_observation", wrote_observation)
rules.add_perm("observations.acknowledge_observation", was_observed)
rules.add_perm("observations.see_quotas", is_school_wide | is_group_leader)
rules.add_perm("observations.see_reviews", reviews_notes)
rules.add_perm("observations.review_notes_of", reviews_notes_of)
