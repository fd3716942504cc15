"""Scores of a grade: the template, the import (every error by sheet, row and column), the analysis on the page
(三率一分, totals, bands, 一分一段, student ranks, value-added, item analysis) and the workbook built in the
background with its progress."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from school.excel import xlsx_response
from school.imports.workbook import ImportRefused

from .. import selectors, services
from ..analysis import grade_analysis
from ..forms import ScoreImportForm
from ..imports import build_template, scores_import, template_filename
from ..models import ExportJob
from .common import ExamGradeMixin, StaffPageMixin

MAX_ISSUES_SHOWN = 500
TABS = ("summary", "total", "bands", "segments", "students", "value", "items")


class ScoreTemplateView(ExamGradeMixin, View):
    managing = True

    def get(self, request, *args, **kwargs):
        content = build_template(self.exam, self.grade)
        return xlsx_response(content, ascii_name=f"scores-{self.exam.pk}-{self.grade.pk}.xlsx",
                             name=template_filename(self.exam, self.grade))


class ScoreImportView(ExamGradeMixin, FormView):
    """GET: the template and the file field. POST: the import, all or nothing; on any error every error is shown
    by sheet, row and column and nothing is written."""

    managing = True
    template_name = "exams/score_import.html"
    form_class = ScoreImportForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["papers"] = list(selectors.papers_of(self.exam, self.grade))
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            result = scores_import(exam=self.exam, grade=self.grade, file=upload, user=self.request.user,
                                   file_name=getattr(upload, "name", ""))
        except ImportRefused as refused:
            issues = refused.issues
            return self.render_to_response(self.get_context_data(
                form=form, refusal=refused.message, issues=issues[:MAX_ISSUES_SHOWN],
                issues_hidden=max(len(issues) - MAX_ISSUES_SHOWN, 0)))
        messages.success(self.request, _(
            "Imported: %(papers)s papers, %(created)s scores added, %(updated)s changed, %(unchanged)s unchanged, "
            "%(items)s item scores written.") % {"papers": result.papers, "created": result.created,
                                                 "updated": result.updated, "unchanged": result.unchanged,
                                                 "items": result.item_scores})
        return redirect("exams:analysis", self.exam.pk, self.grade.pk)


def tab_labels():
    return [("summary", _("Three rates and one score")), ("total", _("Total")), ("bands", _("Score bands")),
            ("segments", _("Score by score")), ("students", _("Student ranks")), ("value", _("Value-added")),
            ("items", _("Item analysis"))]


class AnalysisView(ExamGradeMixin, TemplateView):
    """The grade's quality analysis, one tab at a time (?tab=). Teachers see the class tables the office presents
    to every teacher, and students only of their own classes."""

    template_name = "exams/analysis.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tab = self.request.GET.get("tab", "summary")
        if tab not in TABS:
            raise Http404
        analysis = grade_analysis(self.exam, self.grade)
        whole = selectors.sees_whole_exam(self.request.user, self.exam)
        context.update(analysis=analysis, tab=tab, whole=whole, can_export=whole, tab_labels=tab_labels(),
                       has_items=any(p.items for p in analysis.scored_papers),
                       quality_labels={"very_good": _("very good (D ≥ 0.40)"), "good": _("good (0.30-0.39)"),
                                       "revise": _("fair, revise (0.20-0.29)"), "poor": _("poor (< 0.20)")})
        if tab == "students":
            own = None if whole else selectors.own_class_ids(self.request.user, self.exam.term)
            codes = [k for k, c in enumerate(analysis.data.classes) if own is None or c.pk in own]
            chosen = self.request.GET.get("class", "")
            if chosen:
                if not chosen.isdigit():
                    raise Http404
                codes = [k for k in codes if analysis.data.classes[k].pk == int(chosen)]
            context["class_choices"] = [analysis.data.classes[k] for k in
                                        ([k for k, c in enumerate(analysis.data.classes)
                                          if own is None or c.pk in own])]
            context["chosen_class"] = int(chosen) if chosen else None
            rows = []
            if whole and not chosen:
                rows = analysis.student_rows()
            else:
                for code in codes:
                    rows += analysis.student_rows(class_code=code)
            context["student_rows"] = rows
        return context


class ExportStartView(ExamGradeMixin, View):
    """Queue the workbook (a Celery task) and show its progress."""

    def has_permission(self):
        return super().has_permission() and selectors.sees_whole_exam(self.request.user, self.exam)

    def post(self, request, *args, **kwargs):
        job = services.export_start(exam=self.exam, grade=self.grade, user=request.user)
        return redirect("exams:export-status", job.pk)


class ExportJobMixin(StaffPageMixin):
    def get_job(self) -> ExportJob:
        job = get_object_or_404(ExportJob.objects.select_related("exam", "exam__school", "grade")
                                .defer("content"), pk=self.kwargs["pk"])
        if not selectors.exams_visible(self.request.user).filter(pk=job.exam_id).exists():
            raise Http404
        return job

    def has_permission(self):
        if not super().has_permission():
            return False
        self.job = self.get_job()
        return selectors.sees_whole_exam(self.request.user, self.job.exam)


class ExportStatusView(ExportJobMixin, TemplateView):
    """The job's progress; the page asks again every second (htmx) until the file is ready."""

    template_name = "exams/export_status.html"

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(job=self.job, exam=self.job.exam, grade=self.job.grade)
        if request.htmx:
            return render(request, f"{self.template_name}#status", context)
        return self.render_to_response(context)


class ExportDownloadView(ExportJobMixin, View):
    def get(self, request, *args, **kwargs):
        job = self.job
        if job.status != ExportJob.Status.DONE:
            raise Http404
        content = ExportJob.objects.filter(pk=job.pk).values_list("content", flat=True).first()
        if content is None:
            raise Http404
        name = f"{job.exam.name}-{job.grade.name}-质量分析.xlsx"
        response: HttpResponse = xlsx_response(bytes(content), ascii_name=f"analysis-{job.exam_id}-{job.grade_id}.xlsx",
                                               name=name)
        return response


