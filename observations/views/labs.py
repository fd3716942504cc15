"""The lab pages (V4.IV.6): the required experiments (list, Excel template and import), the teacher's lab log, the
required-but-not-done list of a school month and its recording, and the lab-room tidiness checks.

Who may do what (school.permissions): every member of staff logs her own sessions and sees the sessions and checks
her scope allows; the leaders of a school see its experiments' completion; the teaching office manages the
experiments (of the central school), the shortfalls and the tidiness checks of the schools it manages. A term of
another school's calendar is 404.
"""

from __future__ import annotations

from functools import cached_property
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, ListView, TemplateView, View

from school.excel import xlsx_response
from school.mixins import RolePermissionMixin
from school.models import SchoolClass, Term
from school.permissions import manages_school, scope_for
from school.selectors import current_term, today

from ..forms.labs import (
    ExperimentFilterForm,
    ExperimentImportForm,
    LabSessionForm,
    LabTidinessCheckForm,
    ShortfallMonthForm,
)
from ..imports import TEMPLATE_FILENAME, ImportRefused, experiments_import, experiments_template
from ..models import Experiment, LabSession, LabTidinessCheck
from ..selectors import labs as selectors
from ..services.labs import lab_session_create, lab_shortfalls_record, lab_tidiness_check_create

MAX_ISSUES_SHOWN = 500


def form_errors_from(form, error: ValidationError) -> None:
    """A service's refusal shown on the form: on its field where it names one the form has, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class LabPageMixin(RolePermissionMixin):
    """A page of one term of the user's central school's calendar (`?term=`, default the current term), covering
    the schools she sees or, for `managing` pages, the schools she manages. Subclasses say who may open it."""

    managing = False

    def has_permission(self):
        raise NotImplementedError

    @cached_property
    def scope(self):
        return scope_for(self.request.user)

    @cached_property
    def chosen_term(self) -> Term | None:
        value = self.request.POST.get("term") or self.request.GET.get("term")
        if not value:
            return None
        if not value.isdigit():
            raise Http404
        term = Term.objects.select_related("school_year", "school_year__school").filter(pk=value).first()
        if term is None:
            raise Http404
        return term

    @cached_property
    def reach(self) -> selectors.Reach | None:
        # The chosen term names the calendar only for a superuser without a staff record; everyone else has hers.
        hint = self.chosen_term.school_year.school if self.chosen_term is not None else None
        return selectors.reach_for(self.request.user, managing=self.managing, root=hint)

    @cached_property
    def terms(self):
        return selectors.terms_of(self.reach.root) if self.reach else Term.objects.none()

    @cached_property
    def term(self) -> Term | None:
        if self.reach is None:
            return None
        if self.chosen_term is not None:
            if self.chosen_term.school_year.school_id != self.reach.root.pk:
                raise Http404  # another school's calendar
            return self.chosen_term
        return current_term(self.reach.root)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(term=self.term, terms=self.terms, reach=self.reach,
                       show_school=bool(self.reach) and len(self.reach.school_ids) > 1)
        return context


# --- required experiments -----------------------------------------------------------------------------------


class ExperimentListView(LabPageMixin, TemplateView):
    """The term's required experiments by subject and grade, with how many classes have done each."""

    template_name = "observations/experiment_list.html"

    def has_permission(self):
        return self.scope.is_school_wide

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        term = self.term
        rows, form = [], None
        if term is not None:
            every = list(selectors.experiments_of(self.reach.root))  # of both terms: the filter's choices
            subjects = sorted({e.subject for e in every}, key=lambda s: (s.order, s.pk))
            levels = sorted({e.grade_level for e in every})
            form = ExperimentFilterForm(self.request.GET or None, terms=self.terms, subjects=subjects, levels=levels,
                                        initial={"term": term})
            chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
            rows = selectors.experiment_completion(
                root=self.reach.root, school_ids=self.reach.school_ids, term=term,
                subject_id=chosen.get("subject") or None, grade_level=chosen.get("grade"),
            )
        context.update(
            rows=rows, form=form,
            can_manage=self.reach is not None and manages_school(self.request.user, self.reach.root),
        )
        return context


class ExperimentImportPermissionMixin(LabPageMixin):
    """The experiments belong to the central school: its teaching office imports them (a village school's office
    reads them)."""

    def has_permission(self):
        return self.reach is not None and manages_school(self.request.user, self.reach.root)


class ExperimentImportView(ExperimentImportPermissionMixin, FormView):
    """GET: the template and the file field. POST: import all or nothing; on any error the page shows every error
    (row, column, message) and nothing is written."""

    template_name = "observations/experiment_import.html"
    form_class = ExperimentImportForm

    def form_valid(self, form):
        try:
            result = experiments_import(file=form.cleaned_data["file"], school=self.reach.root,
                                        user=self.request.user)
        except ImportRefused as refused:
            issues = refused.issues
            return self.render_to_response(self.get_context_data(
                form=form, refusal=refused.message, issues=issues[:MAX_ISSUES_SHOWN],
                issues_hidden=max(len(issues) - MAX_ISSUES_SHOWN, 0),
            ))
        messages.success(self.request, _(
            "Imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged experiments."
        ) % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged})
        return redirect("observations:experiment-list")


class ExperimentTemplateView(ExperimentImportPermissionMixin, View):
    def get(self, request, *args, **kwargs):
        return xlsx_response(experiments_template(), ascii_name="experiments.xlsx", name=TEMPLATE_FILENAME)


# --- the lab log --------------------------------------------------------------------------------------------


class LabSessionListView(LabPageMixin, ListView):
    """The sessions of the term the user may see: a teacher her own (with what she still has to do), a group
    leader her group's, leaders and the office their schools'."""

    template_name = "observations/lab_session_list.html"
    context_object_name = "sessions"
    paginate_by = 50

    def has_permission(self):
        return self.scope.staff is not None or self.scope.everything

    def get_queryset(self):
        if self.term is None:
            return LabSession.objects.none()
        return selectors.lab_session_list(self.request.user, self.term)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        staff = self.scope.staff
        to_do = []
        if staff is not None and self.term is not None:
            to_do = [
                p for p in selectors.required_pairs(root=self.reach.root, school_ids={staff.school_id},
                                                    term=self.term, teacher=staff)
                if not p.done
            ]
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(to_do=to_do, query_without_page=query.urlencode())
        return context


class LabSessionCreateView(LabPageMixin, FormView):
    """A teacher logs an experiment done with one of her classes (on a phone, after the lesson)."""

    template_name = "observations/lab_session_form.html"
    form_class = LabSessionForm

    def has_permission(self):
        return self.scope.staff is not None or self.scope.everything

    @cached_property
    def current(self) -> Term | None:
        staff = self.scope.staff
        return current_term(staff.school) if staff is not None else None

    @cached_property
    def experiments(self):
        staff, term = self.scope.staff, self.current
        if staff is None or term is None:
            return Experiment.objects.none()
        return selectors.experiments_for_teacher(staff, term)

    def chosen_experiment(self) -> Experiment | None:
        """The experiment picked so far (posted, or sent by the page as it changes): its classes are offered."""
        value = self.request.POST.get("experiment") or self.request.GET.get("experiment") or ""
        return self.experiments.filter(pk=value).first() if value.isdigit() else None

    def get(self, request, *args, **kwargs):
        if request.htmx:
            # The class field, narrowed to the chosen experiment's grade and subject.
            context = {"form": self.get_form()}
            return render(request, f"{self.template_name}#classes", context)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        staff, term = self.scope.staff, self.current
        if staff is None or term is None:
            classes = SchoolClass.objects.none()
        else:
            classes = selectors.classes_for_teacher(staff, term, self.chosen_experiment())
        return super().get_form_kwargs() | {"experiments": self.experiments, "classes": classes}

    def get_initial(self):
        value = self.request.GET.get("experiment", "")
        return {"experiment": value} if value.isdigit() else {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["current_term"] = self.current
        return context

    def form_valid(self, form):
        staff = self.scope.staff
        if staff is None:
            form.add_error(None, _("Only a member of staff with lessons can log a lab session."))
            return self.form_invalid(form)
        data = form.cleaned_data
        try:
            session = lab_session_create(
                teacher=staff, experiment=data["experiment"], school_class=data["school_class"], date=data["date"],
                kind=data["kind"], note=data["note"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Logged: %(experiment)s with %(class)s.") % {
            "experiment": session.experiment, "class": session.school_class})
        return redirect("observations:lab-session-list")


# --- required but not done ----------------------------------------------------------------------------------


class ShortfallPermissionMixin(LabPageMixin):
    managing = True

    def has_permission(self):
        return self.scope.is_manager


class LabShortfallListView(ShortfallPermissionMixin, TemplateView):
    """Every (experiment, class) due by the chosen school month with no session, the teacher it falls to, and
    whether it has been recorded."""

    template_name = "observations/lab_shortfalls.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        term = self.term
        if term is None:
            return context
        months = term.school_months()
        month = self.request.GET.get("month", "")
        month = int(month) if month.isdigit() else selectors.default_month(term, today())
        if month not in {m.number for m in months}:
            raise Http404
        span = next(m for m in months if m.number == month)
        pairs = selectors.shortfalls_for_month(root=self.reach.root, school_ids=self.reach.school_ids, term=term,
                                               month=month)
        context.update(
            form=ShortfallMonthForm(initial={"term": term, "month": month}, terms=self.terms, months=months),
            month=span,
            pairs=pairs,
            to_record=sum(1 for p in pairs if p.shortfall is None and p.teacher is not None),
            begun=span.start <= today(),
            ended=span.end < today(),
            last_month=months[-1].number == month,
        )
        return context


class LabShortfallRecordView(ShortfallPermissionMixin, View):
    """POST: record the month's shortfalls (a finding per experiment and class, once)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if self.term is None:
            raise Http404
        form = ShortfallMonthForm(request.POST, terms=self.terms, months=self.term.school_months())
        if not form.is_valid():
            raise Http404
        month = form.cleaned_data["month"]
        try:
            result = lab_shortfalls_record(reach=self.reach, term=self.term, month=month, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            text = ngettext("%(count)s experiment not done recorded.", "%(count)s experiments not done recorded.",
                            result.created) % {"count": result.created}
            if result.already:
                text += " " + _("%(count)s recorded before.") % {"count": result.already}
            if result.no_teacher:
                text += " " + _("%(count)s without a teacher in the timetable: not recorded.") % {
                    "count": result.no_teacher}
            messages.success(request, text)
        url = reverse("observations:lab-shortfalls")
        return redirect(f"{url}?{urlencode({'term': self.term.pk, 'month': month})}")


# --- lab-room tidiness --------------------------------------------------------------------------------------


class LabTidinessListView(LabPageMixin, ListView):
    """The term's checks the user may see: the school's for leaders and the office, her own rooms' for a
    teacher."""

    template_name = "observations/lab_tidiness_list.html"
    context_object_name = "checks"
    paginate_by = 50

    def has_permission(self):
        return self.scope.staff is not None or self.scope.everything

    def get_queryset(self):
        if self.term is None:
            return LabTidinessCheck.objects.none()
        return selectors.lab_tidiness_list(self.request.user, self.term)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(can_record=self.scope.is_manager, query_without_page=query.urlencode())
        return context


class LabTidinessCreateView(LabPageMixin, FormView):
    """The office records a check of a lab or store room; untidy is a finding against the teacher in charge."""

    template_name = "observations/lab_tidiness_form.html"
    form_class = LabTidinessCheckForm
    managing = True

    def has_permission(self):
        return self.scope.is_manager

    def get_form_kwargs(self):
        teachers = selectors.tidiness_teachers(self.reach.school_ids if self.reach else ())
        return super().get_form_kwargs() | {"teachers": teachers}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            check = lab_tidiness_check_create(
                room=data["room"], teacher_in_charge=data["teacher_in_charge"], date=data["date"], tidy=data["tidy"],
                note=data["note"], checked_by=self.scope.staff, user=self.request.user,
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        if check.tidy:
            messages.success(self.request, _("Check recorded: %(room)s tidy.") % {"room": check.room})
        else:
            messages.warning(self.request, _("Check recorded: %(room)s untidy, a finding against %(teacher)s.")
                             % {"room": check.room, "teacher": check.teacher_in_charge})
        return redirect("observations:lab-tidiness-list")
