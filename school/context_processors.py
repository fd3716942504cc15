"""Navigation per role: what the menu shows is what the user may open, grouped as a school's work is."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .permissions import scope_for


def _entry(label, url_name, icon):
    return {"label": label, "url": reverse(url_name), "icon": icon}


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_for(user)
    on_staff = scope.staff is not None or scope.everything
    reviewer = scope.is_school_wide or scope.is_group_leader
    sections = [_entry(_("My term"), "home", "bi-house")]
    if on_staff:
        observation = [
            _entry(_("Observation records"), "observations:observation-list", "bi-eye"),
            _entry(_("Log an observation"), "observations:observation-create", "bi-pencil-square"),
        ]
        if reviewer:
            observation += [
                _entry(_("Observation quotas"), "observations:quota-list", "bi-bar-chart"),
                _entry(_("Reviews of observation notes"), "observations:review-list", "bi-journal-text"),
            ]
        if scope.is_school_wide:
            observation.append(_entry(_("Term report"), "observations:report", "bi-file-earmark-bar-graph"))
        classroom = [_entry(_("Lesson swaps"), "observations:swap-list", "bi-arrow-left-right")]
        if scope.is_manager:
            classroom.append(_entry(_("Daily patrol"), "observations:patrol", "bi-clipboard-check"))
        classroom.append(_entry(_("Attendance incidents"), "observations:incident-list", "bi-exclamation-circle"))
        if scope.is_school_wide:
            classroom.append(_entry(_("Patrol summary"), "observations:patrol-summary", "bi-card-list"))
        labs = [_entry(_("Lab log"), "observations:lab-session-list", "bi-journal-medical")]
        if scope.is_school_wide:
            labs.append(_entry(_("Required experiments"), "observations:experiment-list", "bi-list-check"))
        if scope.is_manager:
            labs.append(_entry(_("Experiments not done"), "observations:lab-shortfalls", "bi-x-octagon"))
        labs.append(_entry(_("Lab tidiness checks"), "observations:lab-tidiness-list", "bi-stars"))
        sections += [
            {"label": _("Observation"), "icon": "bi-eye", "children": observation},
            {"label": _("Classroom"), "icon": "bi-door-open", "children": classroom},
            {"label": _("Labs"), "icon": "bi-eyedropper", "children": labs},
            # Everyone sees the fines she may: a teacher her own, the office and the principal the school's.
            _entry(_("Fines"), "deductions:violation-list", "bi-cash-coin"),
        ]
    school = []
    if on_staff:
        school.append(_entry(_("Timetable"), "school:timetable", "bi-calendar3-week"))
    if reviewer:
        school.append(_entry(_("Staff"), "school:staff-list", "bi-people"))
    if scope.is_school_wide:
        school.append(_entry(_("Classes"), "school:class-list", "bi-grid-3x3-gap"))
        school.append(_entry(_("Students"), "school:student-list", "bi-mortarboard"))
    if scope.is_manager:
        school.append(_entry(_("Import rosters"), "school:roster-import", "bi-file-earmark-arrow-up"))
    if on_staff:
        school.append(_entry(_("Policy"), "inspections:policy-detail", "bi-journal-check"))
    if school:
        sections.append({"label": _("School"), "icon": "bi-building", "children": school})

    path = request.path
    for section in sections:
        entries = section.get("children", [section])
        for entry in entries:
            entry["active"] = entry["url"] == path or (entry["url"] != "/" and path.startswith(entry["url"]))
        section["active"] = any(entry["active"] for entry in entries)
    return {"nav_items": sections, "scope": scope, "show_admin_link": user.is_staff}
