"""The inspection rounds' section of the menu (see `school.context_processors`). The policy's own link stays in
the school's section (school/menu.py)."""

from django.utils.translation import gettext_lazy as _

from school.context_processors import POSITION_ROUNDS, entry, group


def sections(scope):
    if scope.staff is None and not scope.everything:
        return []
    children = [
        entry(_("Inspection rounds"), "inspections:round-list", "bi-calendar-check"),
        entry(_("My checks"), "inspections:assignment-list", "bi-list-task"),
        entry(_("Six earnests evaluation"), "inspections:six-earnests", "bi-award"),
        entry(_("Notifications"), "inspections:notification-list", "bi-bell"),
    ]
    if scope.is_school_wide:
        children.insert(0, entry(_("Principal's dashboard"), "inspections:dashboard-principal", "bi-graph-up"))
        children.insert(1, entry(_("Office dashboard"), "inspections:dashboard-office", "bi-speedometer2"))
    if scope.is_group_leader:
        children.insert(0, entry(_("Group dashboard"), "inspections:dashboard-group", "bi-people"))
    if scope.is_manager and (scope.everything or (scope.staff and scope.staff.school.parent_id is None)):
        children.append(entry(_("Group robot"), "inspections:group-robot", "bi-robot"))
    return [(POSITION_ROUNDS, group(_("Inspections"), "bi-clipboard2-check", children))]
