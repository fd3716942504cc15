"""After an exam: the teachers' quality-analysis forms (hers to write, the leaders' to read and comment), the
office's grade report, unit-test checks (V4.IV.5) and a student's history across exams."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q

from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from school.models import SchoolClass, Staff, Subject
from school.permissions import manages_school
from school.selectors import today

from .. import selectors, services
from ..analysis import grade_analysis
from ..forms import CommentForm, GradeReportForm, QualityFormForm, UnitTestCheckForm
from ..models import QualityForm
from .common import StaffPageMixin, form_errors_from


class FormListView(StaffPageMixin, TemplateView):
    """Quality-analysis forms: a teacher's own, a group leader's group's, the whole school's for its leaders."""

    template_name = "exams/form_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        forms = selectors.forms_visible(self.request.user).order_by("-paper__exam__held_on", "due_on",
                                                                     "paper__grade__level", "paper__subject__order",
                                                                     "teacher__staff_no")
        state = self.request.GET.get("state", "")
        if state == "open":
            forms = forms.filter(submitted_at__isnull=True)
        elif state == "submitted":
            forms = forms.filter(submitted_at__isnull=False)
        context.update(forms=forms[:300], state=state, today=today())
        return context


class FormDetailView(StaffPageMixin, FormView):
    """A form with her classes' statistics; the teacher writes it (a draft or handed in), a leader comments."""

    template_name = "exams/form_detail.html"
    form_class = QualityFormForm

    def get_object(self) -> QualityForm:
        return get_object_or_404(selectors.forms_visible(self.request.user), pk=self.kwargs["pk"])

    def has_permission(self):
        if not super().has_permission():
            return False
        self.object = self.get_object()
        return True

    @property
    def is_mine(self) -> bool:
        return self.scope.staff_id == self.object.teacher_id

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs() | {"instance": self.object}
        if self.request.method == "POST" and "comment" in self.request.POST:
            kwargs.pop("data", None)
            kwargs.pop("files", None)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.object
        paper = form.paper
        analysis = grade_analysis(paper.exam, paper.grade)
        paper_analysis = next(p for p in analysis.papers if p.paper.pk == paper.pk)
        class_ids = {c.pk for c in form.classes.all()}
        context.update(
            object=form, paper=paper, paper_analysis=paper_analysis,
            rows=[row for row in paper_analysis.classes if row.info.pk in class_ids],
            is_mine=self.is_mine,
            can_comment=services.can_comment(self.request.user, form) and not self.is_mine,
            comment_form=kwargs.get("comment_form") or CommentForm(initial={"comment": form.comment}),
            today=today(),
        )
        return context

    def post(self, request, *args, **kwargs):
        if "comment" in request.POST:
            comment_form = CommentForm(request.POST)
            if comment_form.is_valid():
                try:
                    services.quality_form_comment(form=self.object, user=request.user,
                                                  comment=comment_form.cleaned_data["comment"])
                except ValidationError as error:
                    form_errors_from(comment_form, error)
                else:
                    messages.success(request, _("Your comment is saved."))
                    return redirect("exams:form-detail", self.object.pk)
            return self.render_to_response(self.get_context_data(comment_form=comment_form))
        if not self.is_mine:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        submit = "submit" in self.request.POST
        try:
            services.quality_form_submit(form=QualityForm.objects.get(pk=self.object.pk), user=self.request.user,
                                         mastered=data["mastered"], problems=data["problems"],
                                         measures=data["measures"], student_opinions=data["student_opinions"],
                                         submit=submit)
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Handed in.") if submit else _("Draft saved."))
        return redirect("exams:form-detail", self.object.pk)


class ReportDetailView(StaffPageMixin, FormView):
    """The grade's analysis: the office writes it and records its presentation; leaders and teachers read it,
    with the teachers' forms beside it (the trends V1.13 asks the leaders to look for)."""

    template_name = "exams/report_detail.html"
    form_class = GradeReportForm

    def has_permission(self):
        if not super().has_permission():
            return False
        self.object = get_object_or_404(selectors.reports_visible(self.request.user), pk=self.kwargs["pk"])
        if self.request.method == "POST":
            return manages_school(self.request.user, self.object.exam.school)
        return True

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.object}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.object
        context.update(
            object=report, exam=report.exam, grade=report.grade,
            can_manage=manages_school(self.request.user, report.exam.school),
            forms=QualityForm.objects.filter(paper__exam=report.exam, paper__grade=report.grade)
            .select_related("teacher", "paper__subject").order_by("paper__subject__order", "teacher__staff_no"),
            today=today(),
        )
        return context

    def form_valid(self, form):
        from ..models import GradeReport

        data = form.cleaned_data
        try:
            services.grade_report_update(report=GradeReport.objects.get(pk=self.object.pk), user=self.request.user,
                                         summary=data["summary"], trends=data["trends"], measures=data["measures"],
                                         presented_on=data["presented_on"])
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("exams:report-detail", self.object.pk)


class UnitCheckListView(StaffPageMixin, TemplateView):
    template_name = "exams/unit_check_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(checks=selectors.unit_checks_visible(self.request.user)[:300],
                       can_record=self.scope.is_manager or self.scope.is_group_leader)
        return context


class UnitCheckCreateView(StaffPageMixin, FormView):
    """The office or a group leader records a check of a teacher's unit test; what is not marked or not analysed
    becomes a proposed fine (V4.IV.5)."""

    template_name = "exams/unit_check_form.html"
    form_class = UnitTestCheckForm

    def has_permission(self):
        return super().has_permission() and (self.scope.is_manager or self.scope.is_group_leader)

    def get_form_kwargs(self):
        scope = self.scope
        teachers = Staff.objects.filter(is_active=True).select_related("school").order_by("staff_no")
        if not scope.everything:
            condition = Q(school_id__in=scope.managed_school_ids) | Q(groups__in=scope.led_group_ids)
            teachers = teachers.filter(condition).exclude(pk=scope.staff_id).distinct()
        school_ids = set(teachers.values_list("school_id", flat=True))
        classes = SchoolClass.objects.filter(grade__school_id__in=school_ids).select_related("grade")
        roots = set(Staff.objects.filter(pk__in=teachers.values("pk")).values_list("school__parent_id", flat=True))
        subjects = Subject.objects.filter(Q(school_id__in=school_ids) | Q(school_id__in=roots - {None}))
        return super().get_form_kwargs() | {"teachers": teachers, "classes": classes, "subjects": subjects,
                                            "initial": {"checked_on": today(), "marked": True, "analysed": True}}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.unit_test_check_record(
                teacher=data["teacher"], school_class=data["school_class"], subject=data["subject"],
                unit=data["unit"], checked_on=data["checked_on"], marked=data["marked"], analysed=data["analysed"],
                note=data["note"], user=self.request.user)
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The check is recorded."))
        return redirect("exams:unit-check-list")


class StudentHistoryView(StaffPageMixin, TemplateView):
    """A student's scores and ranks across the exams that count (spot tests do not), with a chart of her total's
    rank in the grade and in the class."""

    template_name = "exams/student_history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        student = get_object_or_404(selectors.students_visible(self.request.user), pk=self.kwargs["pk"])
        history = selectors.student_history(student)
        chart = {
            "labels": [h["exam"].name for h in history],
            "grade_rank": [h["grade_rank"] for h in history],
            "class_rank": [h["class_rank"] for h in history],
            "grade_label": _("Rank in grade"), "class_label": _("Rank in class"),
        }
        context.update(student=student, history=history, chart_json=json.dumps(chart, ensure_ascii=False))
        return context


