"""Object permissions of the evaluation pages (autodiscovered by `rules.apps.AutodiscoverRulesConfig`).

Which rows a person may see at all is the scoped selectors' business (others' rows are 404); these rules say what
she may open and do. The public answer pages need no login and no permission: the one-time link is the key."""

import rules

from school.permissions import is_manager, is_school_wide, is_staff_member, manages_school


@rules.predicate
def manages_round(user, round_):
    return manages_school(user, round_.school if round_ is not None else None)


@rules.predicate
def manages_forum(user, forum):
    return manages_school(user, forum.school if forum is not None else None)


@rules.predicate
def manages_questionnaire(user, questionnaire):
    return manages_school(user, questionnaire.school if questionnaire is not None else None)


# The teaching office runs rounds, questionnaires, samples, slips, moderation and forums.
rules.add_perm("feedback.manage_evaluation", is_manager)
rules.add_perm("feedback.manage_round", manages_round)
rules.add_perm("feedback.manage_questionnaire", manages_questionnaire)
rules.add_perm("feedback.manage_forum", manages_forum)
# Leaders follow the rounds' progress (who has answered, never what).
rules.add_perm("feedback.see_rounds", is_school_wide)
# Everyone on the staff reads the results and forum opinions her scope allows (a teacher her own).
rules.add_perm("feedback.see_results", is_staff_member)
rules.add_perm("feedback.see_forums", is_staff_member)
