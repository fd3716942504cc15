"""Lesson-preparation sections of the menu (see `school.context_processors`): teaching plans and checks; research
activities, selections and summaries."""

from django.utils.translation import gettext_lazy as _

from school.context_processors import POSITION_PREPARATION, entry, group


def sections(scope):
    if scope.staff is None and not scope.everything:
        return []
    reviewer = scope.is_school_wide or scope.is_group_leader
    checker = scope.staff is not None and reviewer
    preparation = []
    if scope.staff is not None:
        preparation.append(entry(_("My preparation"), "lesson_plans:my-work", "bi-person-workspace"))
    if reviewer:
        preparation.append(entry(_("Teaching plans"), "lesson_plans:plan-list", "bi-journal-text"))
    preparation.append(entry(_("Lesson-preparation checks"), "lesson_plans:check-list", "bi-clipboard-check"))
    if checker:
        preparation.append(entry(_("Record a check"), "lesson_plans:check-create", "bi-pencil-square"))
    if scope.is_school_wide:
        preparation.append(entry(_("Sampling list"), "lesson_plans:sampling", "bi-list-ol"))
    if scope.everything or (scope.staff is not None and scope.staff.school.parent_id is None and scope.is_manager):
        # The calendar, and so its deadlines, is the central school's: its office sets them.
        preparation.append(entry(_("Collection deadlines"), "lesson_plans:deadlines", "bi-calendar-event"))
    research = [entry(_("Research-group activities"), "lesson_plans:activity-list", "bi-people")]
    if scope.is_school_wide:
        research.append(entry(_("Leaders' attendance"), "lesson_plans:leader-attendance", "bi-person-check"))
    research.append(entry(_("Excellent-work selections"), "lesson_plans:selection-list", "bi-trophy"))
    if reviewer:
        research.append(entry(_("Term summaries"), "lesson_plans:summary-list", "bi-file-earmark-text"))
    return [
        (POSITION_PREPARATION, group(_("Lesson preparation"), "bi-journal-check", preparation)),
        (POSITION_PREPARATION + 2, group(_("Research and summaries"), "bi-people", research)),
    ]
