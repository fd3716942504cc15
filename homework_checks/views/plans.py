"""The weekly homework check list (V2.I): this week's checks (each inspector's, and the whole week for the school's
leaders and office), the term's plan by week with its progress, and the office's edits (generate, add, move,
remove)."""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView, TemplateView

from inspections.selectors import policy_for
from school.models import School, Staff
from school.permissions import manages_school
from school.selectors import today

from .. import selectors
from ..forms import PlanItemForm
from ..models import HomeworkPlan, HomeworkPlanItem
from ..services.plans import (
    homework_plan_generate,
    homework_plan_item_create,
    homework_plan_item_delete,
    homework_plan_item_update,
    times_per_teacher,
)
from ._common import PersonPermissionMixin, TermMixin, form_errors_from


class WeekView(PersonPermissionMixin, TermMixin, TemplateView):
    """This week's list (`?week=` another week of the second half): the inspector's own checks with a button to
    record each, and for the school's leaders and office every check of the week in their schools."""

    permission_required = "homework_checks.see_week"
    template_name = "homework_checks/week.html"

    @cached_property
    def weeks(self):
        return [w for w in selectors.plan_weeks(self.term) if w.is_teaching] if self.term else []

    @cached_property
    def week(self):
        value = self.request.GET.get("week")
        if value:
            if not value.isdigit():
                raise Http404
            week = next((w for w in self.weeks if w.number == int(value)), None)
            if week is None:
                raise Http404
            return week
        day = today()
        return next((w for w in self.weeks if w.start <= day <= w.end), None) or next(
            (w for w in self.weeks if w.start > day), self.weeks[-1] if self.weeks else None)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mine, everyone = [], []
        staff = self.scope.staff
        if self.week is not None:
            if staff is not None:
                mine = list(selectors.week_items(term=self.term, week_start=self.week.start, inspector=staff))
            if self.scope.is_school_wide:
                school_ids = None if self.scope.everything else self.scope.school_ids
                everyone = list(selectors.week_items(term=self.term, week_start=self.week.start,
                                                     school_ids=school_ids))
        context.update(
            weeks=self.weeks, week=self.week, mine=mine, everyone=everyone,
            mine_done=sum(1 for i in mine if i.inspection_id),
            everyone_done=sum(1 for i in everyone if i.inspection_id),
            is_this_week=self.week is not None and self.week.start <= today() <= self.week.end,
        )
        return context


class PlanMixin(TermMixin):
    """The plan of one school (`?school=`, default her own) of those she sees, for the term shown."""

    @cached_property
    def schools(self):
        if self.scope.everything:
            return list(School.objects.filter(pk=self.root.pk) | School.objects.filter(parent=self.root)) \
                if self.root else []
        return list(School.objects.filter(pk__in=self.scope.school_ids).order_by("parent_id", "pk"))

    @cached_property
    def school(self) -> School | None:
        value = self.request.POST.get("school") or self.request.GET.get("school")
        if value:
            if not str(value).isdigit():
                raise Http404
            school = next((s for s in self.schools if s.pk == int(value)), None)
            if school is None:
                raise Http404
            return school
        if self.scope.staff is not None:
            return next((s for s in self.schools if s.pk == self.scope.staff.school_id), None)
        return self.schools[0] if self.schools else None

    @cached_property
    def plan(self) -> HomeworkPlan | None:
        if self.school is None or self.term is None:
            return None
        return selectors.plan_of(self.school, self.term)


class PlanView(PersonPermissionMixin, PlanMixin, TemplateView):
    """The term's weekly list of a school, by week: who is checked by whom, done or not, and who is missing."""

    permission_required = "homework_checks.see_plan"
    template_name = "homework_checks/plan.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        weeks = [w for w in selectors.plan_weeks(self.term) if w.is_teaching] if self.term else []
        items = list(selectors.plan_items(self.plan)) if self.plan else []
        by_week = {w.number: [] for w in weeks}
        for item in items:
            by_week.setdefault(item.week_number, []).append(item)
        teachers = []
        if self.school is not None and self.term is not None:
            teachers = list(selectors.plan_teachers(self.school).filter(lessons__term=self.term).distinct())
        placed = {i.teacher_id for i in items}
        policy = policy_for(self.school) if self.school else None
        context.update(
            school=self.school, schools=self.schools, plan=self.plan, policy=policy,
            weeks=[(w, by_week.get(w.number, [])) for w in weeks],
            items_total=len(items), items_done=sum(1 for i in items if i.inspection_id),
            missing=[t for t in teachers if t.pk not in placed],
            times=times_per_teacher(self.school, policy) if self.school else 1,
            can_manage=self.school is not None and manages_school(self.request.user, self.school),
            today=today(),
        )
        return context


class PlanManageMixin(PersonPermissionMixin, PlanMixin):
    permission_required = "homework_checks.manage_plan"

    def has_permission(self):
        return super().has_permission() and self.school is not None and manages_school(self.request.user,
                                                                                        self.school)

    def plan_url(self) -> str:
        return f"{reverse('homework_checks:plan')}?school={self.school.pk}&term={self.term.pk}"


class PlanGenerateView(PlanManageMixin, View):
    """POST: generate the list (or generate it again, keeping the checks done)."""

    def post(self, request, *args, **kwargs):
        if self.term is None:
            raise Http404
        try:
            result = homework_plan_generate(school=self.school, term=self.term, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The weekly list is ready: %(created)s checks planned, %(kept)s done kept.")
                             % {"created": result.created, "kept": result.kept})
            if result.unscheduled:
                messages.warning(request, ngettext(
                    "%(count)s teacher could not be placed in the weeks left.",
                    "%(count)s teachers could not be placed in the weeks left.", len(result.unscheduled),
                ) % {"count": len(result.unscheduled)})
        return redirect(self.plan_url())


class PlanItemFormMixin(PlanManageMixin):
    template_name = "homework_checks/plan_item_form.html"
    form_class = PlanItemForm

    def get_form_kwargs(self):
        weeks = [w for w in selectors.plan_weeks(self.term) if w.is_teaching] if self.term else []
        inspectors = Staff.objects.filter(
            school_id__in={self.school.pk, self.school.root_id}, is_active=True
        ).order_by("school_id", "staff_no")
        return super().get_form_kwargs() | {
            "teachers": selectors.plan_teachers(self.school), "inspectors": inspectors, "weeks": weeks,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"school": self.school, "cancel_url": self.plan_url()}


class PlanItemCreateView(PlanItemFormMixin, FormView):
    """The office adds a teacher to a week of the list."""

    def get(self, request, *args, **kwargs):
        if self.plan is None:
            messages.info(request, _("Generate the weekly list first."))
            return redirect(self.plan_url()) if self.term else redirect("homework_checks:plan")
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        if self.plan is None:
            form.add_error(None, _("Generate the weekly list first."))
            return self.form_invalid(form)
        data = form.cleaned_data
        try:
            homework_plan_item_create(plan=self.plan, teacher=data["teacher"], week_number=data["week_number"],
                                      inspector=data["inspector"], user=self.request.user)
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("%(teacher)s added to week %(week)s.")
                         % {"teacher": data["teacher"], "week": data["week_number"]})
        return redirect(self.plan_url())


class PlanItemObjectMixin:
    @cached_property
    def item(self) -> HomeworkPlanItem:
        scope = self.scope
        items = HomeworkPlanItem.objects.select_related("plan", "plan__school", "plan__term", "teacher", "inspector")
        if not scope.everything:
            items = items.filter(plan__school_id__in=scope.school_ids)
        return get_object_or_404(items, pk=self.kwargs["pk"])

    @cached_property
    def school(self):
        return self.item.plan.school

    @cached_property
    def term(self):
        return self.item.plan.term


class PlanItemUpdateView(PlanItemObjectMixin, PlanItemFormMixin, FormView):
    """The office moves an item to another week or gives it to another inspector."""

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"fixed_teacher": True}

    def get_initial(self):
        return {"week_number": self.item.week_number, "inspector": self.item.inspector_id}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"item": self.item}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            homework_plan_item_update(item=self.item, week_number=data["week_number"], inspector=data["inspector"],
                                      user=self.request.user)
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The check of %(teacher)s is now in week %(week)s.")
                         % {"teacher": self.item.teacher, "week": data["week_number"]})
        return redirect(self.plan_url())


class PlanItemDeleteView(PlanItemObjectMixin, PlanManageMixin, View):
    """POST: take a teacher off a week of the list."""

    def post(self, request, *args, **kwargs):
        try:
            homework_plan_item_delete(item=self.item, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("%(teacher)s taken off week %(week)s.")
                             % {"teacher": self.item.teacher, "week": self.item.week_number})
        return redirect(self.plan_url())
