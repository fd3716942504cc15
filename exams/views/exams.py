"""The exams: the list, a new exam, an exam's page (its grades and papers, imports, reports), its settings, and a
paper's page (full marks and cut scores, items, the question-setting panel with recusal, the markers)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from school.models import Grade, School, Staff, Subject, Term
from school.selectors import current_term, today

from .. import selectors, services
from ..forms import ExamCreateForm, ExamUpdateForm, ItemMarkersForm, ItemsForm, PaperLinesForm, PanelMemberForm
from ..models import Exam, GradeReport, PanelMember, ScoreImport
from .common import ExamMixin, PaperMixin, StaffPageMixin, form_errors_from


def _root(scope):
    if scope.staff is not None:
        return scope.staff.school.root
    return None


class ExamListView(StaffPageMixin, TemplateView):
    """The exams of a term the user may see (a spot test appears to teachers once it is held)."""

    template_name = "exams/exam_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        root = _root(self.scope)
        terms = Term.objects.select_related("school_year")
        terms = terms.filter(school_year__school=root) if root is not None else terms.none()
        term = None
        value = self.request.GET.get("term", "")
        if value:
            if not value.isdigit():
                raise Http404
            term = get_object_or_404(terms, pk=value) if root is not None else None
        elif root is not None:
            term = current_term(root)
        exams = selectors.exam_list(self.request.user, term=term if root is not None else None)
        context.update(terms=terms.order_by("-start_date"), term=term, exams=exams,
                       can_create=self.scope.is_manager)
        return context


def _managed_schools(scope):
    schools = School.objects.select_related("parent")
    return schools if scope.everything else schools.filter(pk__in=scope.managed_school_ids)


class ExamCreateView(StaffPageMixin, FormView):
    template_name = "exams/exam_form.html"
    form_class = ExamCreateForm

    def has_permission(self):
        return super().has_permission() and self.scope.is_manager

    def get_form_kwargs(self):
        schools = _managed_schools(self.scope)
        roots = {s.root_id for s in schools}
        kwargs = super().get_form_kwargs()
        kwargs.update(
            schools=schools,
            terms=Term.objects.filter(school_year__school_id__in=roots).select_related("school_year")
            .order_by("-start_date"),
            grades=Grade.objects.filter(school__in=schools).select_related("school").order_by("school_id", "level"),
            subjects=Subject.objects.filter(school_id__in=roots).order_by("order", "pk"),
            exams=Exam.objects.filter(school__in=schools).order_by("-held_on"),
        )
        root = _root(self.scope)
        if root is not None:
            kwargs.setdefault("initial", {})
            kwargs["initial"] = {**kwargs["initial"], "school": self.scope.staff.school, "term": current_term(root),
                                 "held_on": today()}
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            exam = services.exam_create(
                school=data["school"], term=data["term"], kind=data["kind"], name=data["name"],
                held_on=data["held_on"], grades=data["grades"], subjects=data["subjects"],
                full_marks=data["full_marks"], baseline_kind=data["baseline_kind"],
                compare_with=data["compare_with"], user=self.request.user,
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The exam is set up with its papers."))
        return redirect("exams:exam-detail", exam.pk)


class ExamDetailView(ExamMixin, TemplateView):
    """An exam: each grade's papers (full marks, lines, scores recorded), the score imports, the grade reports and
    the way to the analysis."""

    template_name = "exams/exam_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        exam = self.exam
        grades = []
        for grade in exam.grades.order_by("level"):
            grades.append({"grade": grade, "papers": list(selectors.papers_of(exam, grade))})
        context.update(
            grades=grades,
            imports=ScoreImport.objects.filter(exam=exam).select_related("grade", "imported_by")[:10],
            reports=GradeReport.objects.filter(exam=exam).select_related("grade").order_by("grade__level"),
        )
        return context


class ExamUpdateView(ExamMixin, FormView):
    managing = True
    template_name = "exams/exam_update.html"
    form_class = ExamUpdateForm

    def get_form_kwargs(self):
        exams = Exam.objects.filter(school=self.exam.school).exclude(pk=self.exam.pk).order_by("-held_on")
        return super().get_form_kwargs() | {"instance": self.exam, "exams": exams}

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        exam = Exam.objects.get(pk=self.exam.pk)
        try:
            services.exam_update(exam=exam, user=self.request.user, **fields)
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("exams:exam-detail", exam.pk)


def _school_staff(paper):
    root = paper.exam.school.root
    return (Staff.objects.filter(Q(school=root) | Q(school__parent=root), is_active=True)
            .select_related("school").order_by("staff_no"))


class PaperDetailView(PaperMixin, FormView):
    """A paper: full marks and cut scores (the office edits them), its items, the panel and the markers."""

    template_name = "exams/paper_detail.html"
    form_class = PaperLinesForm

    def has_permission(self):
        if self.request.method == "POST":
            self.managing = True
        return super().has_permission()

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.paper}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paper = self.paper
        items = list(paper.items.prefetch_related("markers"))
        staff = _school_staff(paper)
        can_manage = selectors.can_manage(self.request.user, paper.exam)
        panel = list(PanelMember.objects.filter(paper=paper).select_related("staff"))
        conflicts = services.recusal_conflicts(paper, [m.staff_id for m in panel])
        context.update(
            paper=paper, exam=paper.exam, items=items, panel=panel, conflicts=conflicts, can_manage=can_manage,
            items_form=kwargs.get("items_form") or ItemsForm(initial={"items": "\n".join(
                f"{i.label} {i.full_marks.normalize():f}{' 客观' if i.objective else ''}" for i in items)}),
            panel_form=kwargs.get("panel_form") or PanelMemberForm(staff=staff),
            markers_form=kwargs.get("markers_form") or ItemMarkersForm(items=paper.items.all(), staff=staff),
            has_item_scores=paper.items.filter(scores__isnull=False).exists(),
        )
        return context

    def form_valid(self, form):
        paper = self.paper
        data = form.cleaned_data
        try:
            services.paper_update(paper=paper, user=self.request.user, full_marks=data["full_marks"],
                                  excellent_line=data["excellent_line"], pass_line=data["pass_line"],
                                  low_line=data["low_line"])
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The full marks and cut scores are saved."))
        return redirect("exams:paper-detail", paper.pk)


class PaperItemsView(PaperMixin, View):
    managing = True

    def post(self, request, *args, **kwargs):
        paper = self.paper
        form = ItemsForm(request.POST)
        if form.is_valid():
            try:
                services.items_set(paper=paper, items=form.cleaned_data["items"], user=request.user)
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("The items are saved."))
                return redirect("exams:paper-detail", paper.pk)
        return _render_paper(request, self.kwargs, paper, items_form=form)


class PaperPanelView(PaperMixin, View):
    """Add a member to the panel (POST staff, duty) or remove one (POST remove=<member id>)."""

    managing = True

    def post(self, request, *args, **kwargs):
        paper = self.paper
        if remove := request.POST.get("remove"):
            member = get_object_or_404(PanelMember, pk=remove if remove.isdigit() else 0, paper=paper)
            services.panel_member_remove(member=member, user=request.user)
            messages.success(request, _("Removed from the panel."))
            return redirect("exams:paper-detail", paper.pk)
        staff = _school_staff(paper)
        form = PanelMemberForm(request.POST, staff=staff)
        if form.is_valid():
            try:
                services.panel_member_add(paper=paper, staff=form.cleaned_data["staff"],
                                          duty=form.cleaned_data["duty"], user=request.user)
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("Added to the panel."))
                return redirect("exams:paper-detail", paper.pk)
        return _render_paper(request, self.kwargs, paper, panel_form=form)


class PaperMarkersView(PaperMixin, View):
    managing = True

    def post(self, request, *args, **kwargs):
        paper = self.paper
        staff = _school_staff(paper)
        form = ItemMarkersForm(request.POST, items=paper.items.all(), staff=staff)
        if form.is_valid():
            try:
                services.item_markers_set(item=form.cleaned_data["item"], markers=form.cleaned_data["markers"],
                                          user=request.user)
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("The markers are saved."))
                return redirect(reverse("exams:paper-detail", args=[paper.pk]) + "#markers")
        return _render_paper(request, self.kwargs, paper, markers_form=form)


def _render_paper(request, kwargs, paper, **forms):
    """The paper's page again with a refused form's errors (nothing was saved)."""
    view = PaperDetailView(request=request, kwargs=kwargs, args=())
    view.paper = paper
    return view.render_to_response(view.get_context_data(form=PaperLinesForm(instance=paper), **forms))
