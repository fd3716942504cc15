"""The fines ledger's pages (扣款与操行分, V4): the findings and their workflow, the monthly ledger, statements and
the term's conduct points, with their Excel downloads.

Views are thin: rows come from the scoped selectors (another school's row is a 404), object permissions from
`deductions/rules.py` (403), and every change from `services` (a ValidationError becomes a message)."""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from school.excel import xlsx_response
from school.mixins import RolePermissionMixin
from school.permissions import manages_school, scope_for
from school.selectors import current_term
from school.views import ScopedFilterView

from . import exports, selectors, services
from .filters import ViolationFilter
from .forms import AdjustForm, AppealForm, DecideForm, DismissForm, ViolationCreateForm
from .models import ZERO, Violation

S = Violation.Status


class LoginFirstMixin(RolePermissionMixin):
    """Anonymous users go to the login page before any object is looked up (which would be a 404 for them)."""

    def has_permission(self):
        if not self.request.user.is_authenticated:
            return False
        return super().has_permission()


def show_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


class TermChoiceMixin:
    """The central school whose calendar the page follows and the term chosen with `?term=` (default: the
    current one)."""

    @cached_property
    def root(self):
        return selectors.calendar_root(self.request.user)

    @cached_property
    def terms(self):
        return list(selectors.calendar_terms(self.root))

    @cached_property
    def term(self):
        raw = self.request.GET.get("term")
        if raw is None:
            return current_term(self.root) if self.root is not None else None
        chosen = next((t for t in self.terms if str(t.pk) == raw), None)
        if chosen is None:
            return None
        return selectors.calendar_terms(self.root).prefetch_related("holidays").get(pk=chosen.pk)


# --- violations ---------------------------------------------------------------------------------------------


class ViolationListView(TermChoiceMixin, LoginFirstMixin, ScopedFilterView):
    """The findings the user sees: her own (a teacher), her group's (a group leader), her school's (the office,
    the principal). The office ticks proposed ones and confirms them together."""

    permission_required = "deductions.see_violations"
    filterset_class = ViolationFilter
    template_name = "deductions/violation_list.html"

    def get_queryset(self):
        return selectors.violations_visible_to(self.request.user)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        data = self.request.GET.copy()
        if "term" not in data and self.term is not None:
            data["term"] = str(self.term.pk)
        default_term = self.term or (current_term(self.root) if self.root is not None else None)
        return kwargs | {"data": data, "root": self.root, "term": default_term}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        scope = scope_for(user)
        rows = context["object_list"]
        context.update(
            term=self.term,
            my_staff_id=scope.staff_id,
            can_add=user.has_perm("deductions.add_violation"),
            confirmable={v.pk for v in rows if v.status == S.PROPOSED and manages_school(user, v.school)},
            my_ledgers=list(selectors.ledgers_of(scope.staff, self.term)) if scope.staff is not None else [],
            can_see_months=user.has_perm("deductions.see_ledger_months"),
        )
        return context


class ViolationMixin(LoginFirstMixin):
    """One violation the user sees (else 404), and everything its page shows."""

    permission_required = "deductions.view_violation"
    template_name = "deductions/violation_detail.html"

    def get_object(self):
        if not hasattr(self, "_object"):
            queryset = selectors.violation_for_page(selectors.violations_visible_to(self.request.user))
            self._object = get_object_or_404(queryset, pk=self.kwargs["pk"])
        return self._object

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        violation = self.get_object()
        can_manage = user.has_perm("deductions.manage_violation", violation)
        deadline = services.appeal_deadline(violation) if violation.status == S.CONFIRMED else None
        can_appeal = (
            violation.status == S.CONFIRMED
            and user.has_perm("deductions.appeal_violation", violation)
            and (deadline is None or timezone.localdate() <= deadline)
        )
        context.update(
            violation=violation,
            source=self.source_of(violation),
            history=selectors.violation_history(violation),
            entries=list(selectors.violation_entries(violation)),
            recorded_by=selectors.person_name(violation.recorded_by) if violation.recorded_by_id else "",
            decided_by=selectors.person_name(violation.decided_by) if violation.decided_by_id else "",
            deadline=deadline,
            can_manage=can_manage,
            can_confirm=can_manage and violation.status == S.PROPOSED,
            can_decide=can_manage and violation.status == S.APPEALED,
            can_appeal=can_appeal,
            is_mine=violation.teacher_id == scope_for(user).staff_id,
        )
        if context["can_confirm"]:
            context.setdefault("dismiss_form", DismissForm())
        if context["can_decide"]:
            context.setdefault("decide_form", DecideForm())
        if can_appeal:
            context.setdefault("appeal_form", AppealForm())
        return context

    @staticmethod
    def source_of(violation: Violation) -> dict | None:
        """The record the finding came from: its kind and how it reads (None: added by hand)."""
        if violation.source_type_id is None:
            return None
        model = violation.source_type.model_class()
        kind = model._meta.verbose_name if model is not None else violation.source_type.model
        try:
            obj = violation.source
        except Exception:  # a source whose model is gone: still say what it was
            obj = None
        text = str(obj) if obj is not None else _("(no longer exists)")
        return {"kind": kind, "text": text, "id": violation.source_id}


class ViolationDetailView(ViolationMixin, TemplateView):
    """The finding, where it came from, what it costs, its appeal and decision, its history; the actions that
    apply to the person looking. The teacher opening her own marks it seen."""

    def get(self, request, *args, **kwargs):
        violation = self.get_object()
        staff = scope_for(request.user).staff
        if staff is not None and violation.teacher_id == staff.pk and violation.seen_at is None:
            services.violations_mark_seen(teacher=staff, violation_ids=[violation.pk])
        return super().get(request, *args, **kwargs)


class ViolationActionView(ViolationMixin, TemplateView):
    """A POST that changes a violation through a service. An invalid form re-renders the page with its errors;
    the service's refusal comes back as a message on the page."""

    http_method_names = ["post"]
    form_class = None
    form_name = ""
    success_message = ""

    def post(self, request, *args, **kwargs):
        violation = self.get_object()
        form = self.form_class(request.POST) if self.form_class is not None else None
        if form is not None and not form.is_valid():
            messages.error(request, _("Nothing was changed: correct the form below."))
            return self.render_to_response(self.get_context_data(**{self.form_name: form}))
        try:
            self.act(violation, form)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, self.success_message)
        return redirect("deductions:violation-detail", pk=violation.pk)

    def act(self, violation, form):
        raise NotImplementedError


class ViolationConfirmView(ViolationActionView):
    permission_required = "deductions.manage_violation"

    @property
    def success_message(self):
        return _("Confirmed: the fine is on the teacher's ledger.")

    def act(self, violation, form):
        services.violation_confirm(violation=violation, user=self.request.user)


class ViolationDismissView(ViolationActionView):
    permission_required = "deductions.manage_violation"
    form_class = DismissForm
    form_name = "dismiss_form"

    @property
    def success_message(self):
        return _("Dismissed: nothing is booked.")

    def act(self, violation, form):
        services.violation_dismiss(violation=violation, user=self.request.user, reason=form.cleaned_data["reason"])


class ViolationAppealView(ViolationActionView):
    permission_required = "deductions.appeal_violation"
    form_class = AppealForm
    form_name = "appeal_form"

    @property
    def success_message(self):
        return _("Your appeal has been sent to the teaching office.")

    def act(self, violation, form):
        services.violation_appeal(violation=violation, user=self.request.user, reason=form.cleaned_data["reason"])


class ViolationDecideView(ViolationActionView):
    permission_required = "deductions.manage_violation"
    form_class = DecideForm
    form_name = "decide_form"

    def act(self, violation, form):
        services.violation_decide(violation=violation, user=self.request.user, waive=form.waive,
                                  reason=form.cleaned_data["reason"])
        self.success_message = (
            _("Waived: the fine is reversed on the teacher's ledger.") if form.waive
            else _("Appeal rejected: the fine stands.")
        )


class ViolationBulkConfirmView(LoginFirstMixin, View):
    """The office confirms the ticked proposed findings; the rest of the page's findings are left as they are."""

    permission_required = "deductions.confirm_violations"

    def post(self, request, *args, **kwargs):
        ids = [int(value) for value in request.POST.getlist("ids") if value.isdigit()]
        violations = selectors.violations_visible_to(request.user).filter(pk__in=ids, status=S.PROPOSED)
        confirmed, refused = 0, []
        for violation in violations:
            try:
                services.violation_confirm(violation=violation, user=request.user)
            except (ValidationError, PermissionDenied) as error:
                refused.append(f"{violation}: {'; '.join(getattr(error, 'messages', [str(error)]))}")
            else:
                confirmed += 1
        if confirmed:
            messages.success(request, _("Confirmed %(count)s findings.") % {"count": confirmed})
        elif not refused:
            messages.info(request, _("No proposed finding was ticked."))
        for line in refused:
            messages.error(request, line)
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            target = reverse("deductions:violation-list")
        return redirect(target or reverse("deductions:violation-list"))


class ViolationCreateView(LoginFirstMixin, FormView):
    """The office adds a finding by hand (no source record), with the reason the teacher will read. It is
    proposed like any other, and confirmed on its page."""

    permission_required = "deductions.add_violation"
    template_name = "deductions/violation_form.html"
    form_class = ViolationCreateForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {
            "user": self.request.user, "root": selectors.calendar_root(self.request.user),
        }

    def form_valid(self, form):
        try:
            violation = services.violation_record(**form.service_kwargs(), user=self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Recorded. Confirm it to put the fine on the teacher's ledger."))
        return redirect("deductions:violation-detail", pk=violation.pk)


# --- the monthly ledger -------------------------------------------------------------------------------------


class LedgerMonthListView(TermChoiceMixin, LoginFirstMixin, TemplateView):
    """The term's school months with their totals, open or closed. When the office opens it, the months of the
    term that have no ledger yet are created, so that each can be opened and closed."""

    permission_required = "deductions.see_ledger_months"
    template_name = "deductions/ledger_month_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        root, term = self.root, self.term
        rows, can_manage = [], False
        if root is not None and term is not None:
            can_manage = manages_school(user, root)
            months = {m.number: m for m in selectors.ledger_months_for(user).filter(school=root, term=term)}
            spans = term.school_months()
            if can_manage:
                for span in spans:
                    if span.number not in months:
                        months[span.number] = services.ledger_month_get(school=root, term=term, number=span.number)
            totals = selectors.month_totals_by_month(user, [m.pk for m in months.values()])
            today = timezone.localdate()
            for span in spans:
                month = months.get(span.number)
                rows.append({
                    "span": span,
                    "month": month,
                    "totals": totals.get(month.pk) if month is not None else None,
                    "is_current": span.start <= today <= span.end,
                    "can_close": can_manage and month is not None and not month.is_closed and today >= month.end_date,
                })
        context.update(root=root, term=term, terms=self.terms, rows=rows, can_manage=can_manage,
                       total_amount=sum((r["totals"]["amount"] for r in rows if r["totals"]), ZERO),
                       total_points=sum((r["totals"]["points"] for r in rows if r["totals"]), ZERO))
        return context


class LedgerMonthMixin(LoginFirstMixin):
    permission_required = "deductions.see_ledger_months"

    def get_object(self):
        if not hasattr(self, "_object"):
            self._object = get_object_or_404(selectors.ledger_months_for(self.request.user), pk=self.kwargs["pk"])
        return self._object


class LedgerMonthDetailView(LedgerMonthMixin, TemplateView):
    """The finance office's summary of a month: each teacher's yuan and conduct points, the total, a link to
    each statement; the office corrects a closed month with an adjustment."""

    template_name = "deductions/ledger_month_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        month = self.get_object()
        ledgers = list(selectors.month_summary(month, user))
        can_manage = user.has_perm("deductions.manage_ledger_month", month)
        context.update(
            month=month,
            ledgers=ledgers,
            total_amount=sum((lg.amount for lg in ledgers), ZERO),
            total_points=sum((lg.conduct_points for lg in ledgers), ZERO),
            total_entries=sum(lg.entry_count for lg in ledgers),
            can_manage=can_manage,
            can_close=can_manage and not month.is_closed and timezone.localdate() >= month.end_date,
            closed_by=selectors.person_name(month.closed_by) if month.closed_by_id else "",
        )
        if can_manage and month.is_closed:
            context.setdefault("adjust_form", AdjustForm(user=user, month=month))
        return context


class LedgerMonthExportView(LedgerMonthMixin, View):
    def get(self, request, *args, **kwargs):
        month = self.get_object()
        content = exports.month_summary_workbook(month, selectors.month_summary(month, request.user))
        return xlsx_response(
            content, ascii_name=f"fines-{month.term_id}-month-{month.number}.xlsx",
            name=f"{exports.month_title(month)}.xlsx",
        )


class LedgerMonthCloseView(LedgerMonthMixin, TemplateView):
    """GET: what closing means, with the month's totals. POST: close it (the service says if it cannot)."""

    permission_required = "deductions.manage_ledger_month"
    template_name = "deductions/ledger_month_close.html"

    def get_context_data(self, **kwargs):
        month = self.get_object()
        totals = selectors.month_totals(selectors.teacher_ledgers_visible_to(self.request.user).filter(month=month))
        return super().get_context_data(**kwargs) | {"month": month, "totals": totals}

    def post(self, request, *args, **kwargs):
        month = self.get_object()
        try:
            services.ledger_month_close(month=month, user=request.user)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("%(month)s is closed. Later corrections are booked as adjustments.")
                             % {"month": month})
        return redirect(f"{reverse('deductions:ledger-month-list')}?term={month.term_id}")


class LedgerAdjustView(LedgerMonthDetailView):
    """POST: an adjustment of a closed month, booked in the first open month after it."""

    permission_required = "deductions.manage_ledger_month"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        month = self.get_object()
        form = AdjustForm(request.POST, user=request.user, month=month)
        if form.is_valid():
            data = form.cleaned_data
            try:
                entry = services.ledger_adjust(
                    teacher=data["teacher"], month=month, amount=data["amount"],
                    conduct_points=data["conduct_points"] or ZERO, note=data["note"], user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Adjustment booked in %(month)s.") % {"month": entry.ledger.month})
                return redirect("deductions:ledger-month-detail", pk=month.pk)
        messages.error(request, _("Nothing was booked: correct the form below."))
        return self.render_to_response(self.get_context_data(adjust_form=form))


# --- statements and conduct points --------------------------------------------------------------------------


class StatementMixin(LoginFirstMixin):
    permission_required = "deductions.view_statement"

    def get_object(self):
        if not hasattr(self, "_object"):
            self._object = get_object_or_404(
                selectors.teacher_ledgers_visible_to(self.request.user).select_related("month__school"),
                pk=self.kwargs["pk"],
            )
        return self._object

    def lines(self):
        return [exports.statement_line(entry) for entry in selectors.statement_rows(self.get_object())]


class StatementView(StatementMixin, TemplateView):
    """One teacher's month: every entry (fines, waived fines, adjustments and the month each corrects), totals."""

    template_name = "deductions/statement.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ledger = self.get_object()
        lines = self.lines()
        context.update(
            ledger=ledger,
            lines=lines,
            total_amount=sum((ln["amount"] for ln in lines), ZERO),
            total_points=sum((ln["conduct_points"] for ln in lines), ZERO),
            can_see_month=self.request.user.has_perm("deductions.see_ledger_months", ledger.month),
        )
        return context


class StatementExportView(StatementMixin, View):
    def get(self, request, *args, **kwargs):
        ledger = self.get_object()
        month = ledger.month
        content = exports.statement_workbook(ledger, self.lines())
        return xlsx_response(
            content, ascii_name=f"statement-{month.term_id}-{month.number}-{ledger.teacher.staff_no}.xlsx",
            name=f"{exports.statement_title(ledger)}.xlsx",
        )


class ConductPointsMixin(TermChoiceMixin, LoginFirstMixin):
    """The term's fines and conduct points per teacher, for the year-end assessment: the office and the principal
    see their school's staff, a group leader her group, a teacher herself."""

    permission_required = "deductions.see_conduct_points"

    def staff_rows(self):
        if self.term is None:
            return []
        return list(selectors.term_conduct_points_of_school(self.term, self.request.user))


class ConductPointsView(ConductPointsMixin, TemplateView):
    template_name = "deductions/conduct_points.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = self.staff_rows()
        scope = scope_for(self.request.user)
        context.update(
            term=self.term, terms=self.terms, rows=rows,
            total_amount=sum((r.term_amount for r in rows), ZERO),
            total_points=sum((r.term_points for r in rows), ZERO),
            can_filter_teachers=scope.is_school_wide or scope.is_group_leader,
        )
        return context


class ConductPointsExportView(ConductPointsMixin, View):
    def get(self, request, *args, **kwargs):
        if self.term is None:
            raise Http404(_("No term to export."))
        content = exports.conduct_points_workbook(self.term, self.staff_rows())
        return xlsx_response(
            content, ascii_name=f"conduct-points-{self.term.pk}.xlsx",
            name=f"{exports.conduct_points_title(self.term)}.xlsx",
        )
