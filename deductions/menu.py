"""The fines entry of the menu (see `school.context_processors`)."""

from django.utils.translation import gettext_lazy as _

from school.context_processors import POSITION_FINES, entry


def sections(scope):
    if scope.staff is None and not scope.everything:
        return []
    # Everyone sees the fines she may: a teacher her own, the office and the principal the school's.
    return [(POSITION_FINES, entry(_("Fines"), "deductions:violation-list", "bi-cash-coin"))]
