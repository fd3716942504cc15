"""The term report for the administrative meeting (V2.II.4), on a page and as the .xlsx the office prints.

The principal, the vice-principal, the director and the office read it for the schools they see; a term of
another school's calendar is 404."""

from __future__ import annotations

from django.http import Http404
from django.views.generic import TemplateView, View

from school.excel import xlsx_response

from ..exports import figure_columns, patrol_columns, report_filename, report_workbook
from ..forms.labs import ReportTermForm
from ..selectors.report import term_report
from .labs import LabPageMixin


class ReportPermissionMixin(LabPageMixin):
    def has_permission(self):
        return self.scope.is_school_wide

    def get_report(self):
        if self.term is None:
            return None
        return term_report(root=self.reach.root, school_ids=self.reach.school_ids, term=self.term)


class ReportView(ReportPermissionMixin, TemplateView):
    template_name = "observations/report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.get_report()
        figures, patrol = figure_columns(), patrol_columns()
        context.update(
            report=report,
            form=ReportTermForm(initial={"term": self.term}, terms=self.terms),
            # The page's columns are the workbook's: the same labels, groups and values.
            figure_headers=[c.column for c in figures],
            figure_groups=_groups(figures),
            patrol_headers=[c.column for c in patrol],
            patrol_groups=_groups(patrol),
        )
        if report is not None:
            context.update(
                group_rows=[(g, _cells(figures, g.figures)) for g in report.groups],
                person_rows=[(p, _cells(figures, p.figures)) for p in report.people],
                total_cells=_cells(figures, report.total),
                patrol_rows=[(p, _cells(patrol, p.figures)) for p in report.people_with_patrol_or_swaps],
                patrol_total=_cells(patrol, report.total),
            )
        return context


def _cells(columns, figures) -> list[tuple]:
    """(value, kind) per column: the page formats each as the workbook's number format does."""
    return [(c.value(figures), c.column.kind) for c in columns]


def _groups(columns) -> list[tuple[str, int]]:
    """(group name, number of columns) in order, for the header's first row."""
    groups: list[list] = []
    for c in columns:
        if groups and groups[-1][0] == c.column.group:
            groups[-1][1] += 1
        else:
            groups.append([c.column.group, 1])
    return [(name, span) for name, span in groups]


class ReportExportView(ReportPermissionMixin, View):
    def get(self, request, *args, **kwargs):
        report = self.get_report()
        if report is None:
            raise Http404  # no term in the calendar yet
        return xlsx_response(report_workbook(report), ascii_name=f"term-report-{report.term.pk}.xlsx",
                             name=report_filename(report))
