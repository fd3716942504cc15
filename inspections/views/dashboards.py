"""The dashboards (issue 9): the principal's review of the school with its filters, drill-downs and workbooks;
the office's and the group leader's pages of what is theirs to do now. Figures come from
`inspections.selectors.dashboards`; a teacher's own page is "my term" (school.views.HomeView)."""

from __future__ import annotations

from functools import cached_property

from django.db.models import F
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View
from openpyxl import Workbook

from school.excel import POINTS, Column, build_sheet, workbook_bytes, xlsx_response
from school.models import Grade, School, TeachingGroup
from school.selectors import today

from ..selectors import dashboards as boards
from .common import StaffPageMixin, TermMixin


class PrincipalMixin(TermMixin, StaffPageMixin):
    """The principal's figures, for those who see their schools whole (the principal, the vice-principal, the
    director and the office; a village school's director her village school)."""

    def allowed(self):
        return self.scope.is_school_wide

    @cached_property
    def school_ids(self) -> set[int]:
        if self.scope.everything:
            return set(School.objects.filter(pk=self.root.pk).values_list("pk", flat=True)) | set(
                School.objects.filter(parent=self.root).values_list("pk", flat=True)) if self.root else set()
        return set(self.scope.school_ids)

    @cached_property
    def choices(self) -> dict:
        schools = list(School.objects.filter(pk__in=self.school_ids).order_by(*boards.CENTRAL_FIRST))
        return {
            "schools": schools,
            "grades": list(Grade.objects.filter(school_id__in=self.school_ids).select_related("school")
                           .order_by(F("school__parent_id").asc(nulls_first=True), "school_id", "level")),
            "groups": list(TeachingGroup.objects.filter(school_id__in=self.school_ids).select_related("school")
                           .order_by(F("school__parent_id").asc(nulls_first=True), "school_id", "name")),
        }

    def chosen(self, name):
        raw = self.request.GET.get(name, "")
        return next((item for item in self.choices[f"{name}s"] if str(item.pk) == raw), None)

    @cached_property
    def filters(self) -> boards.Filters:
        if self.term is None:
            raise Http404
        return boards.Filters(term=self.term, school_ids=self.school_ids, grade=self.chosen("grade"),
                              group=self.chosen("group"), school=self.chosen("school"))

    @cached_property
    def board(self) -> dict:
        return boards.principal_figures(self.request.user, self.filters, root=self.root, today=today())


class PrincipalDashboardView(PrincipalMixin, TemplateView):
    template_name = "inspections/dashboards/principal.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs) | {"term": self.term, "terms": self.terms}
        if self.term is None:
            return context | {"no_term": True}
        query = self.request.GET.copy()
        return context | self.choices | self.board | {
            "filters": self.filters, "query": query.urlencode(),
            "charts": {figure.key: figure.chart_data() for figure in self.board["figures"] if figure.chart},
        }


class PrincipalFigureExportView(PrincipalMixin, View):
    """One figure's numbers as a workbook (the same filters as the page)."""

    def get(self, request, figure):
        found = next((f for f in self.board["figures"] if f.key == figure), None)
        if found is None:
            raise Http404
        book = Workbook()
        sheet = book.active
        sheet.title = figure[:31]
        columns = [Column(found.columns[0], 28)] + [Column(header, 14, POINTS) for header in found.columns[1:]]
        f = self.filters
        info = " · ".join(str(part) for part in (f.term, f.school, f.grade, f.group) if part is not None)
        build_sheet(sheet, title=found.title, info=info, columns=columns, rows=found.values(), total=None,
                    frozen_columns=1)
        return xlsx_response(workbook_bytes(book), ascii_name=f"dashboard-{figure}-{self.term.pk}.xlsx",
                             name=_("%(figure)s %(term)s.xlsx") % {"figure": found.title, "term": self.term})


class OfficeDashboardView(TermMixin, StaffPageMixin, TemplateView):
    """The teaching office's day: today's patrol, checks due and overdue, reviews and appeals waiting, swaps to
    approve, workbooks being built."""

    template_name = "inspections/dashboards/office.html"

    def allowed(self):
        return self.scope.is_school_wide

    def get_context_data(self, **kwargs):
        school = self.staff.school if self.staff is not None else self.root
        day = today()
        return super().get_context_data(**kwargs) | {"today": day, "school": school} | boards.office_board(
            self.request.user, root=self.root, school=school, term=self.term, today=day)


class GroupDashboardView(TermMixin, StaffPageMixin, TemplateView):
    """The group leader's page: her group's quotas, her checks due, the group's activities."""

    template_name = "inspections/dashboards/group.html"

    def allowed(self):
        return self.scope.is_group_leader

    def get_context_data(self, **kwargs):
        groups = list(self.staff.led_groups.all())
        raw = self.request.GET.get("group", "")
        group = next((g for g in groups if str(g.pk) == raw), groups[0])
        return super().get_context_data(**kwargs) | {"groups": groups, "group": group, "today": today()} | \
            boards.group_board(self.request.user, group=group, staff=self.staff, term=self.term, today=today())
