"""The exams section of the menu (see `school.context_processors`)."""

from django.utils.translation import gettext_lazy as _

from school.context_processors import POSITION_EXAMS, entry, group


def sections(scope):
    if scope.staff is None and not scope.everything:
        return []
    children = [
        entry(_("Exams and analysis"), "exams:exam-list", "bi-clipboard-data"),
        entry(_("Quality-analysis forms"), "exams:form-list", "bi-journal-text"),
        entry(_("Unit-test checks"), "exams:unit-check-list", "bi-check2-square"),
    ]
    return [(POSITION_EXAMS, group(_("Exams"), "bi-clipboard-data", children))]
