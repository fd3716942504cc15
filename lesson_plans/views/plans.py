"""Teaching plans: handing in and resubmitting, review by the group leader and the office (an htmx fragment),
the lists of plans and of those missing, recording the missing ones, the protected download, and the term's
deadlines."""

from __future__ import annotations

from functools import cached_property

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from school.permissions import manages_school
from school.selectors import today

from ..files import file_response
from ..forms.lists import ListFilter
from ..forms.work import DeadlinesForm, PlanReviewForm, PlanUploadForm
from ..models import TeachingPlan
from ..selectors import plans as selectors
from ..selectors.common import deadlines_for
from ..services.plans import deadlines_update, missing_plans_record, plan_review, plan_submit
from .common import PersonPermissionMixin, StaffMixin, TermMixin, error_message, partial_or_page

S = TeachingPlan.Status


class PlanListView(PersonPermissionMixin, TermMixin, ListView):
    """The plans of the term the user may see (a group leader her group's; the office and the principal their
    schools'), filtered by school, group, grade, subject and status; the tab "to review" lists those waiting for
    her."""

    permission_required = "lesson_plans.see_plans"
    template_name = "lesson_plans/plan_list.html"
    context_object_name = "plans"
    paginate_by = 50

    @cached_property
    def filters(self):
        return ListFilter(self.filter_data(), user=self.request.user, term=self.term, statuses=S.choices)

    @cached_property
    def tab(self) -> str:
        return "review" if self.request.GET.get("tab") == "review" else "all"

    def get_queryset(self):
        if self.term is None:
            return TeachingPlan.objects.none()
        if self.tab == "review":
            return selectors.awaiting_review(self.request.user, self.term)
        return selectors.plan_list(self.request.user, self.term, **self.filters.objects())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(term=self.term, filters=self.filters, tab=self.tab,
                       deadlines=deadlines_for(self.term, self.policy) if self.term else None,
                       query_without_page=self.query_without(), query_without_tab=self.query_without("tab"))
        return context


class PlanMissingView(PersonPermissionMixin, TermMixin, TemplateView):
    """The plans not handed in: every (teacher, subject, class) of the timetable with no plan, and whether the
    office has recorded it missing; the office records them after the deadline."""

    permission_required = "lesson_plans.see_plans"
    template_name = "lesson_plans/plan_missing.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = ListFilter(self.filter_data(), user=self.request.user, term=self.term,
                             fields=("term", "school", "group", "grade", "subject"))
        rows = []
        deadlines = None
        if self.term is not None:
            found = filters.objects()
            found.pop("status")
            rows = selectors.missing_slots(self.request.user, self.term, **found)
            deadlines = deadlines_for(self.term, self.policy)
        context.update(
            term=self.term, filters=filters, rows=rows, deadlines=deadlines,
            can_record=self.term is not None and rules.has_perm("lesson_plans.manage_term", self.request.user,
                                                                self.term),
            past_due=deadlines is not None and today() > deadlines.plans_due,
        )
        return context


class PlanMissingRecordView(PersonPermissionMixin, TermMixin, View):
    """The office records the plans missing at the deadline (V4.I fines where the policy has them)."""

    http_method_names = ["post"]
    permission_required = "lesson_plans.manage_term"

    def get_permission_object(self):
        return self.term

    def post(self, request, *args, **kwargs):
        try:
            rows = missing_plans_record(term=self.term, user=request.user)
        except ValidationError as error:
            error_message(request, error)
        else:
            messages.success(request, _("%(count)s missing teaching plans recorded.") % {"count": len(rows)})
        return redirect(f"{reverse('lesson_plans:plan-missing')}?term={self.term.pk}")


class PlanSubmitView(PersonPermissionMixin, TermMixin, FormView):
    """She hands in a teaching plan for a subject and class of her timetable, or resubmits a returned one."""

    permission_required = "lesson_plans.submit_plan"
    template_name = "lesson_plans/plan_form.html"
    form_class = PlanUploadForm

    @cached_property
    def slots(self):
        if self.term is None:
            return []
        return selectors.my_slots(self.staff, self.term)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"slots": self.slots}

    def get_initial(self):
        return {"slot": self.request.GET.get("slot", "")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chosen = self.request.GET.get("slot", "")
        slot = next((s for s in self.slots if PlanUploadForm.key(s.subject.pk, s.school_class.pk) == chosen), None)
        context.update(term=self.term, slot=slot, deadlines=deadlines_for(self.term, self.policy) if self.term
                       else None)
        return context

    def form_valid(self, form):
        slot = form.chosen()
        try:
            plan = plan_submit(teacher=self.staff, subject=slot.subject, school_class=slot.school_class,
                               upload=form.cleaned_data["file"], user=self.request.user, term=self.term)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Teaching plan for %(subject)s, %(class)s handed in.")
                         % {"subject": plan.subject, "class": plan.school_class})
        return redirect("lesson_plans:plan-detail", plan.pk)


class PlanObjectMixin(StaffMixin):
    """The plan of the URL among those the user may see (others: 404)."""

    @cached_property
    def object(self) -> TeachingPlan:
        return get_object_or_404(selectors.plan_detail(self.request.user), pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.object


def review_context(request, plan: TeachingPlan, form=None) -> dict:
    user = request.user
    can_review = rules.has_perm("lesson_plans.review_plan", user, plan)
    office = manages_school(user, plan.school)
    if can_review and not office and plan.status != S.SUBMITTED:
        can_review = False  # the group leader's gate is passed; the office decides now
    if can_review and office and plan.status == S.RETURNED:
        can_review = False  # waiting for the teacher
    return {
        "plan": plan,
        "reviews": list(plan.reviews.all()),
        "can_review": can_review,
        "review_form": form or (PlanReviewForm(office=office) if can_review else None),
    }


class PlanDetailView(PlanObjectMixin, PersonPermissionMixin, TemplateView):
    permission_required = "lesson_plans.see_plan"
    template_name = "lesson_plans/plan_detail.html"

    def get_context_data(self, **kwargs):
        plan = self.object
        return super().get_context_data(**kwargs) | review_context(self.request, plan) | {
            "is_mine": self.staff is not None and plan.teacher_id == self.staff.pk,
            "history": plan.history.select_related("history_user__staff").order_by("-history_date")[:20],
        }


class PlanReviewView(PlanObjectMixin, PersonPermissionMixin, View):
    """A verdict on the plan; with htmx the review fragment of the page comes back."""

    http_method_names = ["post"]
    permission_required = "lesson_plans.review_plan"

    def post(self, request, *args, **kwargs):
        plan = self.object
        form = PlanReviewForm(request.POST, office=manages_school(request.user, plan.school))
        if form.is_valid():
            try:
                plan_review(plan=plan, verdict=form.cleaned_data["verdict"], comment=form.cleaned_data["comment"],
                            user=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Review recorded."))
                if not request.htmx:
                    return redirect("lesson_plans:plan-detail", plan.pk)
                plan = selectors.plan_detail(request.user).get(pk=plan.pk)
                return render(request, "lesson_plans/plan_detail.html#review", review_context(request, plan))
        if not request.htmx:
            for error in form.errors.values():
                messages.error(request, " ".join(error))
            return redirect("lesson_plans:plan-detail", plan.pk)
        return render(request, "lesson_plans/plan_detail.html#review", review_context(request, plan, form))


class PlanFileView(PlanObjectMixin, PersonPermissionMixin, View):
    permission_required = "lesson_plans.see_plan"

    def get(self, request, *args, **kwargs):
        return file_response(self.object)


class DeadlinesView(PersonPermissionMixin, TermMixin, FormView):
    """The office sets the term's deadlines (defaults from the policy's rounds)."""

    permission_required = "lesson_plans.manage_term"
    template_name = "lesson_plans/deadlines_form.html"
    form_class = DeadlinesForm

    def get_permission_object(self):
        if self.term is None:
            raise Http404(_("No term."))
        return self.term

    @cached_property
    def deadlines(self):
        return deadlines_for(self.term, self.policy)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.deadlines}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"term": self.term, "deadlines": self.deadlines,
                                                     "policy": self.policy}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            deadlines_update(term=self.term, plans_due=data["plans_due"], summaries_due=data["summaries_due"],
                             papers_due=data.get("papers_due"), user=self.request.user)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error if isinstance(error, ValidationError) else str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Deadlines saved."))
        return redirect(f"{reverse('lesson_plans:deadlines')}?term={self.term.pk}")
