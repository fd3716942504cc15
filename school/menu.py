"""The school's section of the menu (see `school.context_processors`)."""

from django.utils.translation import gettext_lazy as _

from .context_processors import POSITION_SCHOOL, entry, group


def sections(scope):
    on_staff = scope.staff is not None or scope.everything
    reviewer = scope.is_school_wide or scope.is_group_leader
    children = []
    if on_staff:
        children.append(entry(_("Timetable"), "school:timetable", "bi-calendar3-week"))
    if reviewer:
        children.append(entry(_("Staff"), "school:staff-list", "bi-people"))
    if scope.is_school_wide:
        children.append(entry(_("Classes"), "school:class-list", "bi-grid-3x3-gap"))
        children.append(entry(_("Students"), "school:student-list", "bi-mortarboard"))
    if scope.is_manager:
        children.append(entry(_("Import rosters"), "school:roster-import", "bi-file-earmark-arrow-up"))
    if on_staff:
        children.append(entry(_("Policy"), "inspections:policy-detail", "bi-journal-check"))
    return [(POSITION_SCHOOL, group(_("School"), "bi-building", children))] if children else []
