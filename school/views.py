from __future__ import annotations

import importlib

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from django_filters.views import FilterView

from deductions import selectors as fines_selectors
from inspections.selectors import policy_for, quotas_for_roles, worker_last_seen
from observations.selectors.log import quota_progress_for

from . import selectors
from .filters import ClassFilter, StaffFilter, StudentFilter
from .mixins import RolePermissionMixin
from .models import Role, SchoolClass, Staff, Weekday
from .permissions import scope_for


class ScopedFilterView(RolePermissionMixin, FilterView):
    """A list the user may open, filtered to the rows her scope allows, paginated."""

    paginate_by = 50

    def get_filterset_kwargs(self, filterset_class):
        return super().get_filterset_kwargs(filterset_class) | {"user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context


class HomeView(LoginRequiredMixin, TemplateView):
    """My term: what this person's roles give her to see and do this term."""

    template_name = "school/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = scope_for(self.request.user)
        staff = scope.staff
        school = staff.school if staff else None
        term = selectors.current_term(school)
        today = selectors.today()
        context.update(scope=scope, staff=staff, term=term, today=today)
        if term is not None:
            context.update(
                week_number=term.week_number(today),
                school_month=term.school_month_of(today),
                teaching_weeks=term.teaching_week_count,
                in_term=term.contains(today),
            )
        if staff is not None:
            policy = policy_for(school)
            in_central = any(g.is_central for g in staff.led_groups.all())
            context.update(
                policy=policy,
                quotas=quotas_for_roles(policy, staff.role_codes, in_central_group=in_central),
            )
            if term is not None:
                lessons = list(selectors.lessons_of_teacher(term, staff))
                weekday = today.isoweekday()
                context.update(
                    lessons_today=[e for e in lessons if e.weekday == weekday],
                    lessons_per_week=len(lessons),
                    teaching_load=selectors.teaching_load(term, staff),
                    quota_rows=quota_progress_for(staff, term, today, policy=policy),
                )
            if staff.has_role(Role.TEACHER, Role.GROUP_LEADER):
                # "My fines": this term's yuan and points, and the findings she has not opened yet.
                fines = fines_selectors.teacher_summary(staff, term)
                context.update(
                    fines=fines, new_findings=list(fines_selectors.new_findings(staff)[:3]) if fines["new"] else []
                )
            if scope.led_group_ids:
                context["group_members"] = selectors.group_members(scope.led_group_ids)
                context["led_groups"] = list(staff.led_groups.all())
        if scope.is_school_wide:
            school_ids = scope.school_ids if not scope.everything else set(
                selectors.schools_visible_to(self.request.user).values_list("pk", flat=True)
            )
            context["overview"] = selectors.school_overview(school_ids, term)
        if scope.is_manager:
            seen = worker_last_seen()
            context["worker_seen"] = seen
            # Beat runs the heartbeat every minute; five minutes of silence means background work has stopped.
            context["worker_stale"] = seen is None or (timezone.now() - seen).total_seconds() > 300
        context["app_cards"] = home_cards(scope=scope, staff=staff, term=term, today=today)
        return context


def home_cards(*, scope, staff, term, today) -> list[dict]:
    """Cards that domain apps add to "my term": `<app>.home.card(scope=, staff=, term=, today=)` returns the
    context of `templates/<app>/_home_card.html`, or None when it has nothing for this person."""
    cards = []
    for app_label in settings.LOCAL_APPS:
        try:
            module = importlib.import_module(f"{app_label}.home")
        except ModuleNotFoundError as error:
            if error.name == f"{app_label}.home":
                continue
            raise
        card = module.card(scope=scope, staff=staff, term=term, today=today)
        if card is not None:
            cards.append({"template": f"{app_label}/_home_card.html", **card})
    return cards


class StaffListView(ScopedFilterView):
    permission_required = "school.see_staff"
    filterset_class = StaffFilter
    template_name = "school/staff_list.html"

    def has_permission(self):
        scope = scope_for(self.request.user)
        return scope.is_school_wide or scope.is_group_leader

    def get_queryset(self):
        return selectors.staff_list(self.request.user)


class ClassListView(ScopedFilterView):
    permission_required = "school.see_school"
    filterset_class = ClassFilter
    template_name = "school/class_list.html"

    def get_queryset(self):
        return selectors.class_list(self.request.user)


class StudentListView(ScopedFilterView):
    permission_required = "school.see_school"
    filterset_class = StudentFilter
    template_name = "school/student_list.html"

    def get_queryset(self):
        return selectors.student_list(self.request.user)


class TimetableView(LoginRequiredMixin, TemplateView):
    """The week's timetable of a class or a teacher of the user's school(s); a teacher's own by default."""

    template_name = "school/timetable.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        scope = scope_for(user)
        schools = selectors.schools_visible_to(user)
        staff = scope.staff
        term = selectors.current_term(staff.school if staff else schools.first())
        classes = SchoolClass.objects.filter(grade__school__in=schools).select_related("grade")
        teachers = Staff.objects.filter(school__in=schools, is_active=True).order_by("staff_no")
        subject_of_page, entries = None, []
        if term is not None:
            if class_id := self.request.GET.get("class"):
                subject_of_page = get_object_or_404(classes, pk=class_id) if class_id.isdigit() else None
                if subject_of_page is None:
                    raise PermissionDenied
                entries = selectors.lessons_of_class(term, subject_of_page)
            else:
                teacher_id = self.request.GET.get("teacher")
                if teacher_id:
                    if not teacher_id.isdigit():
                        raise PermissionDenied
                    subject_of_page = get_object_or_404(teachers, pk=teacher_id)
                elif staff is not None:
                    subject_of_page = staff
                if subject_of_page is not None:
                    entries = selectors.lessons_of_teacher(term, subject_of_page)
        showing_class = isinstance(subject_of_page, SchoolClass)
        periods = []
        if subject_of_page is not None:
            periods = selectors.period_numbers(subject_of_page.grade.school if showing_class else subject_of_page.school)
        weekdays, grid = selectors.timetable_grid(entries, periods)
        context.update(
            term=term,
            showing=subject_of_page,
            showing_class=showing_class,
            grid=grid,
            weekdays=[Weekday(d).label for d in weekdays],
            classes=classes,
            teachers=teachers,
            title=_("Timetable"),
        )
        return context
