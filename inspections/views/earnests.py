"""The end-of-term six-earnests evaluation (六认真, V4.III): every teacher's evidence beside the leaders' grades
and comments; the leadership and the office evaluate, group leaders read their group's, a teacher her own; the
office downloads the table as .xlsx."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from school.excel import xlsx_response

from ..exports import six_earnests_workbook
from ..forms.earnests import EvaluationForm
from ..models import SixEarnestsEvaluation
from ..selectors.earnests import evaluations_for, teachers_to_evaluate
from ..services.earnests import may_evaluate, six_earnests_evaluate
from .common import StaffPageMixin, TermMixin, show_errors


class SixEarnestsListView(TermMixin, StaffPageMixin, TemplateView):
    template_name = "inspections/six_earnests_list.html"

    def get_context_data(self, **kwargs):
        rows = evaluations_for(self.term, teachers_to_evaluate(self.request.user, self.term)) \
            if self.term is not None else []
        user = self.request.user
        return super().get_context_data(**kwargs) | {
            "term": self.term,
            "terms": self.terms,
            "rows": rows,
            "evaluable": {row.teacher.pk for row in rows if may_evaluate(user, row.teacher)},
            "can_export": self.scope.is_school_wide,
            "evaluated": sum(1 for row in rows if row.evaluated),
        }


class SixEarnestsExportView(TermMixin, StaffPageMixin, View):
    def allowed(self):
        return self.scope.is_school_wide

    def get(self, request):
        if self.term is None:
            raise Http404
        rows = evaluations_for(self.term, teachers_to_evaluate(request.user, self.term))
        content = six_earnests_workbook(self.term, rows)
        return xlsx_response(content, ascii_name=f"six-earnests-{self.term.pk}.xlsx",
                             name=_("Six earnests evaluation %(term)s.xlsx") % {"term": self.term})


class SixEarnestsEvaluateView(TermMixin, StaffPageMixin, FormView):
    """One teacher's evidence and the evaluation form (or, for someone who may not evaluate, the evaluation as
    it stands)."""

    form_class = EvaluationForm
    template_name = "inspections/six_earnests_form.html"

    def get_teacher(self):
        if not hasattr(self, "_teacher"):
            if self.term is None:
                raise Http404
            self._teacher = get_object_or_404(teachers_to_evaluate(self.request.user, self.term),
                                              pk=self.kwargs["teacher_pk"])
        return self._teacher

    def get_evaluation(self):
        return SixEarnestsEvaluation.objects.filter(term=self.term, teacher=self.get_teacher()).first()

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"evaluation": self.get_evaluation()}

    def get_context_data(self, **kwargs):
        teacher = self.get_teacher()
        row = evaluations_for(self.term, [teacher])[0]
        context = super().get_context_data(**kwargs)
        parts = context["form"].parts()
        return context | {
            "lines": [(line, grade, comment) for line, (_label, grade, comment) in zip(row.earnests, parts)],
            "overall": parts[-1][1:],
            "term": self.term, "row": row, "teacher": teacher,
            "can_evaluate": may_evaluate(self.request.user, teacher),
        }

    def post(self, request, *args, **kwargs):
        if not may_evaluate(request.user, self.get_teacher()):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        teacher = self.get_teacher()
        try:
            six_earnests_evaluate(term=self.term, teacher=teacher, grades=form.grades(), comments=form.comments(),
                                  user=self.request.user)
        except ValidationError as error:
            show_errors(self.request, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The evaluation of %(name)s is saved.") % {"name": teacher.name})
        return redirect(reverse("inspections:six-earnests") + f"?term={self.term.pk}")
