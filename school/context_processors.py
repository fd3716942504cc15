"""Navigation per role: what the menu shows is what the user may open."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .permissions import scope_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_for(user)
    items = [(_("My term"), reverse("home"), "bi-house")]
    if scope.staff is not None or scope.everything:
        items.append((_("Timetable"), reverse("school:timetable"), "bi-calendar3-week"))
    if scope.is_school_wide or scope.is_group_leader:
        items.append((_("Staff"), reverse("school:staff-list"), "bi-people"))
    if scope.is_school_wide:
        items.append((_("Classes"), reverse("school:class-list"), "bi-grid-3x3-gap"))
        items.append((_("Students"), reverse("school:student-list"), "bi-mortarboard"))
    if scope.is_manager:
        items.append((_("Import rosters"), reverse("school:roster-import"), "bi-file-earmark-arrow-up"))
    if scope.staff is not None or scope.everything:
        # Everyone sees the fines she may: a teacher her own, the office and the principal the school's.
        items.append((_("Fines"), reverse("deductions:violation-list"), "bi-cash-coin"))
        items.append((_("Policy"), reverse("inspections:policy-detail"), "bi-journal-check"))
    path = request.path
    nav = [
        {"label": label, "url": url, "icon": icon, "active": url == path or (url != "/" and path.startswith(url))}
        for label, url, icon in items
    ]
    return {"nav_items": nav, "scope": scope, "show_admin_link": user.is_staff}
