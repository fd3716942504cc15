"""Homework inspections: the term's checks a person may see, recording a check on a phone (from the weekly list or
freely), its page with the finding it produced and the talk with the teacher, and the term's workbook."""

from __future__ import annotations

import datetime as dt
from functools import cached_property

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from inspections.selectors import policy_for
from school.excel import xlsx_response
from school.models import Staff
from school.selectors import today

from .. import selectors
from ..exports import inspections_workbook
from ..forms import HomeworkInspectionForm, TalkForm
from ..models import HomeworkPlanItem
from ..services.inspections import homework_inspection_create, homework_inspection_talk
from ._common import PersonPermissionMixin, TermMixin, form_errors_from


class InspectionListView(PersonPermissionMixin, TermMixin, ListView):
    """The term's homework checks: of my homework, made by me, my group's, my schools'."""

    permission_required = "homework_checks.see_inspections"
    template_name = "homework_checks/inspection_list.html"
    context_object_name = "inspections"
    paginate_by = 30

    def get_queryset(self):
        if self.term is None:
            return selectors.HomeworkInspection.objects.none()
        queryset = selectors.inspection_list(self.request.user, self.term)
        teacher = self.request.GET.get("teacher")
        if teacher and teacher.isdigit():
            queryset = queryset.filter(teacher_id=teacher)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = list(context["inspections"])
        fines = selectors.fines_of(page)
        for inspection in page:
            inspection.fine = fines.get(inspection.pk)
        context["inspections"] = page
        context["can_record"] = rules.has_perm("homework_checks.record_inspection", self.request.user)
        context["can_export"] = rules.has_perm("homework_checks.export_inspections", self.request.user)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context


class InspectionCreateView(PersonPermissionMixin, FormView):
    """Record a check: `?item=` carries out an item of the weekly list (the teacher fixed); `?teacher=` starts with
    a teacher chosen. Changing the teacher, the class, the date or the period reloads the lesson block (htmx): what
    she teaches, whether the subject is graded daily, the gradings the rules require and her tutoring count."""

    permission_required = "homework_checks.record_inspection"
    template_name = "homework_checks/inspection_form.html"
    form_class = HomeworkInspectionForm

    @cached_property
    def inspector(self) -> Staff:
        return self.request.user.staff

    @cached_property
    def teachers(self):
        return selectors.inspectable_teachers(self.inspector)

    @cached_property
    def item(self) -> HomeworkPlanItem | None:
        value = self.request.POST.get("item") or self.request.GET.get("item")
        if not value:
            return None
        if not str(value).isdigit():
            raise Http404
        item = (HomeworkPlanItem.objects.select_related("plan", "plan__term", "teacher", "inspection")
                .filter(pk=value, teacher__in=self.teachers).first())
        if item is None:
            raise Http404
        return item

    @cached_property
    def term(self):
        from school.selectors import current_term

        return current_term(self.inspector.school)

    def _value(self, name):
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        return source.get(name)

    @cached_property
    def teacher(self) -> Staff | None:
        if self.item is not None:
            return self.item.teacher
        value = self._value("teacher")
        if value and str(value).isdigit():
            return next((t for t in self.teachers if t.pk == int(value)), None)
        return None

    @cached_property
    def taught(self):
        if self.teacher is None or self.term is None:
            return []
        return selectors.taught_by(self.teacher, self.term)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission() and self.item is not None \
                and self.item.inspection_id is not None:
            messages.info(request, _("This check of the weekly list is already done."))
            return redirect("homework_checks:inspection-detail", self.item.inspection_id)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if request.htmx:
            form = self.get_form()
            return render(request, f"{self.template_name}#lesson", self.lesson_context(form, request.GET))
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"teachers": self.teachers, "taught": self.taught}

    def get_initial(self):
        day = today()
        initial = {"date": day, "discussed_on": day, "submission_key": HomeworkInspectionForm.new_key(),
                   "round_kind": "monthly", "verdict": "good"}
        if self.item is not None:
            initial["round_kind"] = "weekly_homework"
        if self.teacher is not None:
            initial["teacher"] = self.teacher.pk
        if len(self.taught) == 1:
            initial["lesson"] = self.taught[0].key
        elif lesson := self.request.GET.get("lesson"):
            initial["lesson"] = lesson
        return initial

    def lesson_context(self, form, data) -> dict:
        """The lesson block: the lesson choice, and for the chosen lesson the daily flag, the gradings the rules
        require over the period and the teacher's tutoring count."""
        context = {"form": form, "teacher": self.teacher, "item": self.item, "required": None, "daily": False,
                   "tutoring": None, "chosen": None}
        if self.teacher is None or self.term is None:
            return context
        context["tutoring"] = selectors.tutoring_counts(self.term, [self.teacher.pk]).get(
            self.teacher.pk, selectors.TutoringCount())
        key = data.get("lesson") or (self.taught[0].key if len(self.taught) == 1 else None)
        chosen = next((t for t in self.taught if t.key == key), None)
        if chosen is None:
            return context
        day = _date(data.get("date")) or today()
        day = min(day, today())
        start = _date(data.get("period_start")) or selectors.default_period_start(self.term, day)
        policy = policy_for(self.teacher.school)
        context.update(
            chosen=chosen,
            daily=selectors.is_daily_subject(policy, chosen.subject),
            required=selectors.required_gradings(policy=policy, term=self.term, teacher=self.teacher,
                                                 school_class=chosen.school_class, subject=chosen.subject,
                                                 start=min(start, day), end=day),
            period_start=min(start, day), period_end=day,
        )
        return context

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        data = form.data if form.is_bound else {k: form.initial.get(k) for k in ("lesson", "date", "period_start")}
        context.update(self.lesson_context(form, data))
        return context

    def form_valid(self, form):
        try:
            inspection = homework_inspection_create(
                inspector=self.inspector, plan_item=self.item, user=self.request.user, **form.service_data()
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        except PermissionDenied as error:
            form.add_error("teacher", str(error) or _("You may not inspect this teacher's homework."))
            return self.form_invalid(form)
        messages.success(self.request, _("Homework check of %(teacher)s recorded.") % {"teacher": inspection.teacher})
        return redirect("homework_checks:inspection-detail", inspection.pk)


def _date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return parse_date(str(value)) if value else None
    except ValueError:
        return None


class InspectionObjectMixin:
    @cached_property
    def object(self):
        return get_object_or_404(selectors.inspection_detail(self.request.user), pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.object


class InspectionDetailView(InspectionObjectMixin, PersonPermissionMixin, TemplateView):
    """A check with its criteria, gradings against what was required, the finding it produced (and its fine), the
    teacher's tutoring this term and the talk (which the inspector records here if it came later)."""

    permission_required = "homework_checks.see_inspections"
    template_name = "homework_checks/inspection_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inspection = self.object
        context.update(
            inspection=inspection,
            fine=selectors.fines_of([inspection]).get(inspection.pk),
            tutoring=selectors.tutoring_counts(inspection.term, [inspection.teacher_id]).get(
                inspection.teacher_id, selectors.TutoringCount()),
            can_talk=rules.has_perm("homework_checks.record_talk", self.request.user, inspection),
            talk_form=kwargs.get("talk_form") or TalkForm(),
        )
        return context


class InspectionTalkView(InspectionObjectMixin, PersonPermissionMixin, View):
    """POST: the inspector records the talk with the teacher."""

    permission_required = "homework_checks.record_talk"

    def post(self, request, *args, **kwargs):
        form = TalkForm(request.POST)
        if form.is_valid():
            try:
                homework_inspection_talk(inspection=self.object, inspector=request.user.staff,
                                         discussed_on=form.cleaned_data["discussed_on"],
                                         talk_notes=form.cleaned_data["talk_notes"], user=request.user)
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("The talk with the teacher is recorded."))
                return redirect("homework_checks:inspection-detail", self.object.pk)
        view = InspectionDetailView(request=request, kwargs=self.kwargs, args=self.args)
        view.__dict__["object"] = self.object
        return render(request, InspectionDetailView.template_name, view.get_context_data(talk_form=form))


class InspectionExportView(PersonPermissionMixin, TermMixin, View):
    """The term's homework checks the user may see as a printed workbook (作业检查记录表)."""

    permission_required = "homework_checks.export_inspections"

    def get(self, request, *args, **kwargs):
        if self.term is None:
            raise Http404
        inspections = list(selectors.inspection_list(request.user, self.term))
        content, name = inspections_workbook(term=self.term, school=self.root, inspections=inspections,
                                             fines=selectors.fines_of(inspections))
        return xlsx_response(content, ascii_name="homework-checks.xlsx", name=name)
