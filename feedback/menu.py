"""The evaluation section of the menu (see `school.context_processors`)."""

from django.utils.translation import gettext_lazy as _

from school.context_processors import POSITION_FEEDBACK, entry, group


def sections(scope):
    if scope.staff is None and not scope.everything:
        return []
    children = [entry(_("Evaluation results"), "feedback:results", "bi-bar-chart-line")]
    if scope.is_school_wide:
        children.append(entry(_("Evaluation rounds"), "feedback:round-list", "bi-ui-checks"))
    if scope.is_manager:
        children.append(entry(_("Questionnaires"), "feedback:questionnaire-list", "bi-ui-radios"))
    children.append(entry(_("Forums"), "feedback:forum-list", "bi-people"))
    return [(POSITION_FEEDBACK, group(_("Evaluation"), "bi-chat-square-heart", children))]
