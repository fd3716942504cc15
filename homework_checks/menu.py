"""The homework section of the menu (see `school.context_processors`)."""

from django.utils.translation import gettext_lazy as _

from school.context_processors import POSITION_PREPARATION, entry, group

from .selectors import is_inspector


def sections(scope):
    if scope.staff is None and not scope.everything:
        return []
    inspector = is_inspector(scope.staff)
    entries = [entry(_("Homework checks"), "homework_checks:inspection-list", "bi-journal-check")]
    if inspector or scope.is_school_wide:
        entries.append(entry(_("This week's homework list"), "homework_checks:week", "bi-calendar-week"))
    if scope.is_school_wide:
        entries.append(entry(_("Weekly homework list of the term"), "homework_checks:plan", "bi-calendar3"))
    entries.append(entry(_("Tutoring records"), "homework_checks:tutoring-list", "bi-people"))
    # After the lesson plans' section (which takes POSITION_PREPARATION itself).
    return [(POSITION_PREPARATION + 1, group(_("Homework"), "bi-journal-text", entries))]
