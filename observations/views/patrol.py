"""Pages of the daily patrol (巡课), attendance incidents and lesson swaps (调课).

Who may do what (DOMAIN.md "Teacher attendance, timetable and patrol"): the teaching office of a school (office
staff, director, vice-principal in charge: `scope.is_manager`) patrols it, decides swaps and records the causes of
incidents; the principal and the office read the day's summary; a teacher asks for swaps of her lessons and reads
her own swaps and incidents; a group leader reads her group's. Rows of schools the user does not see are 404.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView, UpdateView, View

from school.mixins import RolePermissionMixin
from school.models import School, SchoolClass
from school.permissions import manages_school, scope_for
from school.selectors import today

from ..forms.patrol import (
    IncidentFilterForm,
    IncidentForm,
    PatrolMarkAllForm,
    PatrolMarkForm,
    PatrolSlotForm,
    PatrolSummaryForm,
    SwapDecisionForm,
    SwapRequestForm,
)
from ..models import LessonSwap, PatrolMark
from ..selectors.patrol import (
    current_period,
    holiday_on,
    incident_list,
    incidents_visible_to,
    patrol_rows,
    patrol_summary,
    periods_for,
    swap_list,
    swaps_visible_to,
    term_of_day,
    violations_of_incidents,
)
from ..services.patrol import (
    incident_update,
    patrol_mark_all_normal,
    patrol_mark_set,
    swap_approve,
    swap_cancel,
    swap_reject,
    swap_request,
)

PATROL_TEMPLATE = "observations/patrol_marks.html"
# The quick buttons of a patrol row; the two that need a note sit behind "Another issue".
QUICK_STATUSES = [PatrolMark.Status.NORMAL, PatrolMark.Status.LATE, PatrolMark.Status.LEFT_EARLY,
                  PatrolMark.Status.ABSENT]
NOTE_BUTTONS = [PatrolMark.Status.OTHER, PatrolMark.Status.UNAPPROVED_SWAP]
STATUS_COLORS = {
    PatrolMark.Status.NORMAL: "success", PatrolMark.Status.LATE: "warning", PatrolMark.Status.LEFT_EARLY: "warning",
    PatrolMark.Status.ABSENT: "danger", PatrolMark.Status.OTHER: "secondary",
    PatrolMark.Status.UNAPPROVED_SWAP: "danger",
}


def status_buttons() -> dict:
    """The buttons of a patrol row as (value, label, Bootstrap colour)."""
    triple = lambda statuses: [(s.value, s.label, STATUS_COLORS[s]) for s in statuses]  # noqa: E731
    return {"quick_statuses": triple(QUICK_STATUSES), "note_buttons": triple(NOTE_BUTTONS),
            "all_statuses": triple(PatrolMark.Status)}


def _error_text(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You may not do this.")


def schools_for(user, *, managed: bool) -> list[School]:
    """The schools whose patrol (managed) or summary (school-wide) the user may open."""
    scope = scope_for(user)
    schools = School.objects.select_related("parent").order_by("id")
    if not scope.everything:
        schools = schools.filter(pk__in=scope.managed_school_ids if managed else scope.school_ids)
    return list(schools)


class SchoolChoiceMixin(LoginRequiredMixin, RolePermissionMixin):
    """A page about one school among those the user may open: `?school=<id>` (another school's is 404), else her
    own, else the first central school."""

    managed_only = True
    permission_required = "school.see_school"  # what has_permission below refines

    @cached_property
    def schools(self) -> list[School]:
        return schools_for(self.request.user, managed=self.managed_only)

    def school_from(self, value) -> School:
        """The school asked for (one the user may not open is 404), else her own, else the first central one."""
        if value not in (None, ""):
            chosen = next((s for s in self.schools if str(s.pk) == str(value)), None)
            if chosen is None:
                raise Http404(_("No such school."))
            return chosen
        staff = scope_for(self.request.user).staff
        own = next((s for s in self.schools if staff is not None and s.pk == staff.school_id), None)
        school = own or next((s for s in self.schools if s.parent_id is None), None) or next(iter(self.schools), None)
        if school is None:
            raise Http404(_("No school to show."))
        return school


# --- the patrol -------------------------------------------------------------------------------------------


def patrol_url(school: School, date: dt.date, period: int, anchor: str = "") -> str:
    query = urlencode({"school": school.pk, "date": date.isoformat(), "period": period})
    return f"{reverse('observations:patrol')}?{query}{'#' + anchor if anchor else ''}"


def row_context(*, school: School, date: dt.date, period: int, row, can_mark: bool = True) -> dict:
    return {"school": school, "date": date, "period": period, "row": row, "can_mark": can_mark} | status_buttons()


class PatrolView(SchoolChoiceMixin, TemplateView):
    """The daily patrol on a phone: every class of the school with the teacher and subject expected now (the
    timetable with approved swaps), and a row of buttons to mark what was found (V2.II.1)."""

    template_name = PATROL_TEMPLATE

    def has_permission(self):
        return scope_for(self.request.user).is_manager

    @staticmethod
    def default_period(date: dt.date, periods) -> int:
        """Today: the period in progress, else the next one, else (after school) the last one. Another day: the
        first."""
        if not periods:
            return 1
        if date == today():
            now = current_period(None, periods=periods)
            return now.number if now is not None else periods[-1].number
        return periods[0].number

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        school = self.school_from(self.request.GET.get("school"))
        form = PatrolSlotForm(self.request.GET or None)
        cleaned = {}
        if form.is_bound:
            form.is_valid()  # a malformed date or period is left out of cleaned_data: it falls back to now
            cleaned = form.cleaned_data
        date = cleaned.get("date") or today()
        periods = periods_for(school)
        numbers = [p.number for p in periods]
        period = cleaned.get("period")
        if period is None or (numbers and period not in numbers):
            period = self.default_period(date, periods)
        term = term_of_day(school, date)
        holiday = holiday_on(term, date) if term is not None else None
        rows = patrol_rows(school, date, period, term=term) if term is not None and holiday is None else []
        marked = sum(1 for r in rows if r.mark is not None)
        context.update(
            form=form, schools=self.schools, school=school, date=date, period=period, periods=periods,
            term=term, holiday=holiday, rows=rows, marked=marked, unmarked=len(rows) - marked,
            is_future=date > today(), can_mark=date <= today(), **status_buttons(),
        )
        return context


class PatrolMarkView(LoginRequiredMixin, RolePermissionMixin, View):
    """One tap: save what was found in one classroom at once. With htmx the updated row comes back; a plain
    form post goes back to the patrol page."""

    permission_required = "school.manage_school"
    http_method_names = ["post"]

    def has_permission(self):
        return scope_for(self.request.user).is_manager

    def post(self, request, *args, **kwargs):
        scope = scope_for(request.user)
        classes = SchoolClass.objects.select_related("grade", "grade__school")
        if not scope.everything:
            classes = classes.filter(grade__school_id__in=scope.managed_school_ids)
        class_id = request.POST.get("school_class", "")
        if not class_id.isdigit():
            raise Http404(_("No such class."))
        school_class = get_object_or_404(classes, pk=class_id)
        school = school_class.grade.school
        form = PatrolMarkForm(request.POST)
        if not form.is_valid() and ("date" in form.errors or "period" in form.errors):
            return HttpResponseBadRequest(_("The date or the period is missing."))
        date, period = form.cleaned_data["date"], form.cleaned_data["period"]
        error = ""
        if form.is_valid():
            try:
                patrol_mark_set(school_class=school_class, date=date, period=period,
                                status=form.cleaned_data["status"], note=form.cleaned_data["note"], user=request.user)
            except (ValidationError, PermissionDenied) as problem:
                error = _error_text(problem)
        else:
            error = " ".join(e for errors in form.errors.values() for e in errors)
        if request.htmx:
            row = patrol_rows(school, date, period, class_ids=[school_class.pk])[0]
            row.error = error
            return render(request, f"{PATROL_TEMPLATE}#row",
                          row_context(school=school, date=date, period=period, row=row))
        if error:
            messages.error(request, f"{school_class}: {error}")
        else:
            messages.success(request, _("%(class)s marked.") % {"class": school_class})
        return redirect(patrol_url(school, date, period, anchor=f"row-{school_class.pk}"))


class PatrolMarkAllView(SchoolChoiceMixin, View):
    """Mark every class not yet marked in this period as normal."""

    http_method_names = ["post"]

    def has_permission(self):
        return scope_for(self.request.user).is_manager

    def post(self, request, *args, **kwargs):
        school = self.school_from(request.POST.get("school") or "0")
        form = PatrolMarkAllForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest(_("The date or the period is missing."))
        date, period = form.cleaned_data["date"], form.cleaned_data["period"]
        try:
            count = patrol_mark_all_normal(school=school, date=date, period=period, user=request.user)
        except (ValidationError, PermissionDenied) as problem:
            messages.error(request, _error_text(problem))
        else:
            messages.success(request, _("%(count)s classes marked normal.") % {"count": count})
        return redirect(patrol_url(school, date, period))


class PatrolSummaryView(SchoolChoiceMixin, TemplateView):
    """The day's patrol for the principal: per period, classes patrolled, incidents and other issues; and the
    week's incidents by teacher."""

    template_name = "observations/patrol_summary.html"
    managed_only = False

    def has_permission(self):
        return scope_for(self.request.user).is_school_wide

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        school = self.school_from(self.request.GET.get("school"))
        form = PatrolSummaryForm(self.request.GET or None)
        date = (form.cleaned_data.get("date") if form.is_bound and form.is_valid() else None) or today()
        context.update(
            form=form, schools=self.schools, school=school, date=date,
            summary=patrol_summary(school, date),
            can_patrol=manages_school(self.request.user, school),
            previous_day=date - dt.timedelta(days=1), next_day=date + dt.timedelta(days=1),
        )
        return context


# --- attendance incidents ---------------------------------------------------------------------------------


class IncidentListView(LoginRequiredMixin, RolePermissionMixin, ListView):
    """Attendance incidents the user may see, newest first, with their fines and whether the office has reported
    them to the director."""

    permission_required = "school.see_staff"
    template_name = "observations/incident_list.html"
    paginate_by = 50
    context_object_name = "incidents"

    def has_permission(self):
        scope = scope_for(self.request.user)
        return scope.staff is not None or scope.everything

    @cached_property
    def filter_form(self):
        return IncidentFilterForm(self.request.GET or None)

    def get_queryset(self):
        form = self.filter_form
        cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
        return incident_list(self.request.user, kind=cleaned.get("kind", ""),
                             unreported=cleaned.get("unreported", False))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = scope_for(self.request.user)
        incidents = list(context["incidents"])
        fines = violations_of_incidents(incidents)
        for incident in incidents:
            incident.fine = fines.get(incident.pk)
            incident.can_update = scope.everything or incident.school_id in scope.managed_school_ids
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(incidents=incidents, filter_form=self.filter_form, query_without_page=query.urlencode(),
                       is_manager=scope.is_manager)
        return context


class IncidentUpdateView(LoginRequiredMixin, RolePermissionMixin, UpdateView):
    """The office records the cause of an incident and that it reported it to the director (V2.II.2)."""

    permission_required = "school.manage_school"
    template_name = "observations/incident_form.html"
    form_class = IncidentForm
    context_object_name = "incident"

    def get_queryset(self):
        return incidents_visible_to(self.request.user).select_related(
            "teacher", "school", "mark", "mark__school_class", "mark__school_class__grade", "mark__marked_by"
        )

    def get_permission_object(self):
        return self.get_object().school

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["fine"] = violations_of_incidents([self.object]).get(self.object.pk)
        return context

    def form_valid(self, form):
        try:
            incident_update(incident=self.object, cause=form.cleaned_data["cause"],
                            reported=form.cleaned_data["reported"], user=self.request.user)
        except ValidationError as problem:
            form.add_error(None, problem)
            return self.form_invalid(form)
        messages.success(self.request, _("The incident of %(teacher)s is updated.") % {"teacher": self.object.teacher})
        return redirect("observations:incident-list")


# --- lesson swaps ---------------------------------------------------------------------------------------------


class SwapListView(LoginRequiredMixin, RolePermissionMixin, ListView):
    """Swaps the user may see: a teacher's own, a group leader's group's, the school's for the office (those
    waiting for a decision first)."""

    permission_required = "school.see_staff"
    template_name = "observations/swap_list.html"
    paginate_by = 50
    context_object_name = "swaps"

    def has_permission(self):
        scope = scope_for(self.request.user)
        return scope.staff is not None or scope.everything

    def get_queryset(self):
        status = self.request.GET.get("status", "")
        return swap_list(self.request.user, status=status if status in LessonSwap.Status.values else "")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = scope_for(self.request.user)
        swaps = list(context["swaps"])
        for swap in swaps:
            waiting = swap.status == LessonSwap.Status.REQUESTED
            swap.can_decide = waiting and (scope.everything or swap.school_id in scope.managed_school_ids)
            swap.can_cancel = waiting and scope.staff_id is not None and swap.requested_by_id == scope.staff_id
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(swaps=swaps, statuses=LessonSwap.Status.choices, status=self.request.GET.get("status", ""),
                       can_request=scope.staff is not None, query_without_page=query.urlencode())
        return context


class SwapCreateView(LoginRequiredMixin, RolePermissionMixin, FormView):
    """A teacher asks the office for a swap of one of her lessons: a substitute, or an exchange (V2.II.3)."""

    permission_required = "school.see_staff"
    template_name = "observations/swap_form.html"
    form_class = SwapRequestForm

    def has_permission(self):
        # A swap is of one's own lessons: an account without a staff record has none.
        return scope_for(self.request.user).staff is not None

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"requester": scope_for(self.request.user).staff}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            swap = swap_request(
                requester=form.requester, substitute=data["substitute"], date=data["date"], period=data["period"],
                reason=data["reason"], exchange_date=data["exchange_date"], exchange_period=data["exchange_period"],
            )
        except ValidationError as problem:
            form.add_error(None, problem)
            return self.form_invalid(form)
        messages.success(self.request, _("Your request is sent to the teaching office: %(swap)s.") % {"swap": swap})
        return redirect("observations:swap-list")


class SwapActionView(LoginRequiredMixin, RolePermissionMixin, View):
    """A decision on a swap the user sees (another school's is 404), by POST, back to the list."""

    permission_required = "school.manage_school"
    http_method_names = ["post"]

    def get_permission_object(self):
        return self.swap

    @cached_property
    def swap(self) -> LessonSwap:
        return get_object_or_404(swaps_visible_to(self.request.user).select_related("school"), pk=self.kwargs["pk"])

    def has_permission(self):
        return manages_school(self.request.user, self.swap.school)

    def act(self, form):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        form = SwapDecisionForm(request.POST)
        form.is_valid()
        try:
            message = self.act(form)
        except (ValidationError, PermissionDenied) as problem:
            messages.error(request, _error_text(problem))
        else:
            messages.success(request, message)
        return redirect("observations:swap-list")


class SwapApproveView(SwapActionView):
    def act(self, form):
        swap = swap_approve(swap=self.swap, user=self.request.user, note=form.cleaned_data.get("note", ""))
        return _("Approved: %(swap)s.") % {"swap": swap}


class SwapRejectView(SwapActionView):
    def act(self, form):
        swap = swap_reject(swap=self.swap, user=self.request.user, note=form.cleaned_data.get("note", ""))
        return _("Rejected: %(swap)s.") % {"swap": swap}


class SwapCancelView(SwapActionView):
    def has_permission(self):
        staff_id = scope_for(self.request.user).staff_id
        return staff_id is not None and self.swap.requested_by_id == staff_id

    def act(self, form):
        swap = swap_cancel(swap=self.swap, user=self.request.user)
        return _("Cancelled: %(swap)s.") % {"swap": swap}

