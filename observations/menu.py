"""Observation, classroom and lab sections of the menu (see `school.context_processors`)."""

from django.utils.translation import gettext_lazy as _

from school.context_processors import POSITION_CLASSROOM, entry, group


def sections(scope):
    if scope.staff is None and not scope.everything:
        return []
    reviewer = scope.is_school_wide or scope.is_group_leader
    observation = [
        entry(_("Observation records"), "observations:observation-list", "bi-eye"),
        entry(_("Log an observation"), "observations:observation-create", "bi-pencil-square"),
    ]
    if reviewer:
        observation += [
            entry(_("Observation quotas"), "observations:quota-list", "bi-bar-chart"),
            entry(_("Reviews of observation notes"), "observations:review-list", "bi-journal-text"),
        ]
    if scope.is_school_wide:
        observation.append(entry(_("Term report"), "observations:report", "bi-file-earmark-bar-graph"))
    classroom = [entry(_("Lesson swaps"), "observations:swap-list", "bi-arrow-left-right")]
    if scope.is_manager:
        classroom.append(entry(_("Daily patrol"), "observations:patrol", "bi-clipboard-check"))
    classroom.append(entry(_("Attendance incidents"), "observations:incident-list", "bi-exclamation-circle"))
    if scope.is_school_wide:
        classroom.append(entry(_("Patrol summary"), "observations:patrol-summary", "bi-card-list"))
    labs = [entry(_("Lab log"), "observations:lab-session-list", "bi-journal-medical")]
    if scope.is_school_wide:
        labs.append(entry(_("Required experiments"), "observations:experiment-list", "bi-list-check"))
    if scope.is_manager:
        labs.append(entry(_("Experiments not done"), "observations:lab-shortfalls", "bi-x-octagon"))
    labs.append(entry(_("Lab tidiness checks"), "observations:lab-tidiness-list", "bi-stars"))
    return [
        (POSITION_CLASSROOM, group(_("Observation"), "bi-eye", observation)),
        (POSITION_CLASSROOM + 1, group(_("Classroom"), "bi-door-open", classroom)),
        (POSITION_CLASSROOM + 2, group(_("Labs"), "bi-eyedropper", labs)),
    ]
