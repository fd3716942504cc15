"""Lesson-preparation checks: the list, recording a check on a phone (with the fines it will propose shown as the
figures are typed, an htmx fragment of the same page), a check with its findings and their fines, correcting it,
and the office's monthly sampling list (young and new teachers first where the policy says so)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import cached_property

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView

from school.selectors import today

from ..forms.checks import PrepCheckForm, SamplingForm
from ..forms.lists import ListFilter
from ..models import PREP_ROUND_KINDS, PrepCheck, PrepGrade, RoundKind
from ..selectors import checks as selectors
from ..selectors.common import active_fine_rules
from ..services.checks import FINE_BELOW, may_edit, prep_check_create, prep_check_preview, prep_check_update
from .common import PersonPermissionMixin, StaffMixin, TermMixin, form_errors_from

ROUND_CHOICES = [(k.value, k.label) for k in PREP_ROUND_KINDS]


class CheckListView(PersonPermissionMixin, TermMixin, ListView):
    """The checks of the term the user may see: a teacher those of her own preparation and those she made; a group
    leader her group's; the office and the principal their schools'."""

    permission_required = "lesson_plans.see_checks"
    template_name = "lesson_plans/check_list.html"
    context_object_name = "checks"
    paginate_by = 50

    @cached_property
    def filters(self):
        return ListFilter(self.filter_data(), user=self.request.user, term=self.term,
                          statuses=ROUND_CHOICES, status_label=_("Round"))

    def get_queryset(self):
        if self.term is None:
            return PrepCheck.objects.none()
        chosen = self.filters.objects()
        return selectors.check_list(self.request.user, self.term, group=chosen["group"], grade=chosen["grade"],
                                    subject=chosen["subject"], school=chosen["school"], round_kind=chosen["status"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["checks"] = context["object_list"] = selectors.attach_fines(context["object_list"])
        return context | {
            "term": self.term, "filters": self.filters, "query_without_page": self.query_without(),
            "can_check": rules.has_perm("lesson_plans.check_prep", self.request.user),
            "staff_id": self.staff.pk if self.staff else None,
        }


class CheckFormMixin(TermMixin):
    """What the create and update pages share: the rounds of the policy, the school months, the discretionary
    fine where the policy has it, and the preview fragment."""

    template_name = "lesson_plans/check_form.html"
    form_class = PrepCheckForm

    def check_term(self):
        return self.term

    @cached_property
    def rounds(self) -> list[str]:
        return selectors.prep_round_kinds(self.policy)

    def get_form_kwargs(self):
        term = self.check_term()
        return super().get_form_kwargs() | {
            "rounds": self.rounds,
            "months": term.school_months() if term is not None else [],
            "discretionary": FINE_BELOW in active_fine_rules(self.policy),
        }

    def preview_teacher(self, data):
        raise NotImplementedError

    def preview(self, data) -> dict:
        """The figures and fines of what has been typed so far (nothing is written)."""
        teacher = self.preview_teacher(data)
        day = parse_date(data.get("checked_on") or "") or today()
        term = self.check_term()
        round_kind = data.get("round_kind") or ""
        if teacher is None or term is None or round_kind not in dict(ROUND_CHOICES):
            return {"preview": None}
        if not term.contains(day):
            return {"preview": None, "preview_problem": _("%(day)s is not in %(term)s.") % {"day": day, "term": term}}

        def number(name, default=0):
            value = (data.get(name) or "").strip()
            return int(value) if value.isdigit() else default

        below = None
        if (data.get("below_requirement_amount") or "").strip():
            try:
                below = Decimal(data["below_requirement_amount"])
            except InvalidOperation:
                below = None
        preview = prep_check_preview(
            teacher=teacher, term=term, round_kind=round_kind, checked_on=min(day, today()),
            lessons_taught=number("lessons_taught", None), lessons_prepared=number("lessons_prepared"),
            lessons_ahead=number("lessons_ahead"), taught_without_plan=number("taught_without_plan"),
            below_requirement_amount=below, policy=self.policy,
        )
        return {"preview": preview, "preview_teacher": teacher, "round_kind": round_kind}

    def get(self, request, *args, **kwargs):
        if request.htmx:
            return render(request, f"{self.template_name}#preview", self.preview(request.GET))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        data = form.data if form.is_bound else {k: (v.pk if hasattr(v, "pk") else v) for k, v in
                                                   self.get_initial().items()}
        data = {k: "" if v is None else str(v) for k, v in dict(data.items()).items()}
        return context | {"term": self.check_term(), "policy": self.policy, "grades": PrepGrade} | self.preview(data)


class CheckCreateView(PersonPermissionMixin, CheckFormMixin, FormView):
    """Record a check: pick the teacher, the round and the date; the lessons taught come from the timetable;
    the figures, quality items, flags, grade and comments; the fines it proposes show before saving."""

    permission_required = "lesson_plans.check_prep"

    @cached_property
    def teachers(self):
        return selectors.checkable_teachers(self.request.user)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"teachers": self.teachers}

    def get_initial(self):
        day = today()
        term = self.term
        initial = {"checked_on": day, "lessons_ahead": 0, "taught_without_plan": 0}
        if term is not None:
            initial["round_kind"] = selectors.default_round(term, self.rounds, day)
            month = term.school_month_of(day)
            initial["month_number"] = month.number if month else None
        teacher_id = self.request.GET.get("teacher", "")
        if teacher_id.isdigit() and self.teachers.filter(pk=int(teacher_id)).exists():
            initial["teacher"] = int(teacher_id)
        if (kind := self.request.GET.get("round")) in self.rounds:
            initial["round_kind"] = kind
        if (month := self.request.GET.get("month", "")).isdigit():
            initial["month_number"] = int(month)
        return initial

    def preview_teacher(self, data):
        value = str(data.get("teacher") or "")
        return self.teachers.filter(pk=int(value)).first() if value.isdigit() else None

    def form_valid(self, form):
        try:
            check = prep_check_create(teacher=form.cleaned_data["teacher"], user=self.request.user,
                                      **form.check_data())
        except (ValidationError, PermissionDenied) as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        fines = check.findings.count()
        if fines:
            messages.warning(self.request, _("Check recorded. Its findings are proposed to the teaching office as "
                                             "fines."))
        else:
            messages.success(self.request, _("Check recorded."))
        return redirect("lesson_plans:check-detail", check.pk)


class CheckObjectMixin(StaffMixin):
    """The check of the URL among those the user may see (others: 404)."""

    @cached_property
    def object(self) -> PrepCheck:
        return get_object_or_404(selectors.check_detail(self.request.user), pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.object


class CheckDetailView(CheckObjectMixin, PersonPermissionMixin, TemplateView):
    permission_required = "lesson_plans.see_checks"
    template_name = "lesson_plans/check_detail.html"

    def get_context_data(self, **kwargs):
        check = self.object
        findings = selectors.check_findings(check)
        return super().get_context_data(**kwargs) | {
            "check": check,
            "findings": [row for row in findings if row.current],
            "superseded": [row for row in findings if not row.current],
            "can_edit": may_edit(self.request.user, check),
            "history": check.history.select_related("history_user__staff").order_by("-history_date")[:20],
            "is_mine": self.staff is not None and self.staff.pk == check.teacher_id,
        }


class CheckUpdateView(CheckObjectMixin, PersonPermissionMixin, CheckFormMixin, FormView):
    """Correct a check (its checker or the office): its findings, and their proposed fines, follow."""

    permission_required = "lesson_plans.edit_check"

    def check_term(self):
        return self.object.term

    @cached_property
    def policy(self):
        from inspections.selectors import policy_for

        return policy_for(self.object.school)

    def get_initial(self):
        check = self.object
        return {name: getattr(check, name) for name in (
            "round_kind", "month_number", "checked_on", "lessons_taught", "lessons_prepared", "lessons_ahead",
            "standard_format", "three_dimensions", "student_centred", "reflection", "copied_plan",
            "taught_without_plan", "grade", "comments", "below_requirement_amount")}

    def preview_teacher(self, data):
        return self.object.teacher

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"check": self.object, "editing": True}

    def form_valid(self, form):
        try:
            prep_check_update(check=self.object, user=self.request.user, **form.check_data())
        except (ValidationError, PermissionDenied) as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Check corrected."))
        return redirect("lesson_plans:check-detail", self.object.pk)


class SamplingView(PersonPermissionMixin, TermMixin, TemplateView):
    """The office's sampling list of a school month: whom to check, young and new teachers first where the policy
    says so, then those whose preparation was checked longest ago (V1.2, V6.2, V7.2)."""

    permission_required = "lesson_plans.see_sampling"
    template_name = "lesson_plans/sampling.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        term = self.term
        if term is None:
            return context | {"term": None}
        months = [m for m in term.school_months() if m.start <= max(today(), term.start_date)] or \
            term.school_months()[:1]
        form = SamplingForm(self.request.GET or None, months=months,
                            initial={"month": (term.school_month_of(today()) or months[-1]).number})
        chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
        number = chosen.get("month") or form.initial["month"]
        month = next((m for m in months if m.number == number), months[-1])
        filters = ListFilter(self.filter_data(), user=self.request.user, term=term, fields=("term", "school", "group"))
        found = filters.objects()
        young_new_first = bool(self.policy and self.policy.young_new_first)
        rows = selectors.sampling_list(self.request.user, term, month, young_new_first=young_new_first,
                                       group=found["group"], school=found["school"], size=chosen.get("size"))
        return context | {
            "term": term, "form": form, "filters": filters, "month": month, "rows": rows,
            "young_new_first": young_new_first, "monthly": RoundKind.MONTHLY,
            "checked_count": sum(1 for r in rows if r.checks_this_month),
        }

