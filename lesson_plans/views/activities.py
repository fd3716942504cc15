"""Research-group activities (教研活动, 集体备课): the term's list, scheduling one, recording attendance and the
record after it, the record file, leaders' checks of the record (an htmx fragment), and leaders' attendance against
the policy (V1.1, V5.4, V6.1, V7.1)."""

from __future__ import annotations

from functools import cached_property

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from school.models import Staff
from school.permissions import scope_for
from school.selectors import today

from ..files import file_response
from ..forms.groups import ActivityCheckForm, ActivityForm, ActivityRecordForm
from ..forms.lists import ListFilter
from ..models import GroupActivity
from ..selectors import activities as selectors
from ..services.activities import activity_check, activity_create, activity_update
from .common import PersonPermissionMixin, StaffMixin, TermMixin, form_errors_from, partial_or_page

KINDS = GroupActivity.Kind


def host_choices(user):
    """Who may host: the active staff of the schools whose groups she runs."""
    groups = selectors.groups_run_by(user)
    roots = {g.school.root_id for g in groups}
    return Staff.objects.filter(is_active=True, school__in=_family_of(roots)).order_by("school_id", "staff_no")


def _family_of(roots):
    from django.db.models import Q

    from school.models import School

    return School.objects.filter(Q(pk__in=roots) | Q(parent_id__in=roots))


class ActivityListView(PersonPermissionMixin, TermMixin, ListView):
    """The term's activities of the user's school(s), newest first; "mine": those of her groups or that she
    attended."""

    permission_required = "lesson_plans.see_activities"
    template_name = "lesson_plans/activity_list.html"
    context_object_name = "activities"
    paginate_by = 50

    @cached_property
    def filters(self):
        return ListFilter(self.filter_data(), user=self.request.user, term=self.term,
                          fields=("term", "school", "group", "status"), statuses=KINDS.choices,
                          status_label=_("Kind"))

    @cached_property
    def tab(self) -> str:
        return "mine" if self.request.GET.get("tab") == "mine" else "all"

    def get_queryset(self):
        if self.term is None:
            return GroupActivity.objects.none()
        chosen = self.filters.objects()
        return selectors.activity_list(self.request.user, self.term, group=chosen["group"], kind=chosen["status"],
                                       school=chosen["school"], mine=self.tab == "mine")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "term": self.term, "filters": self.filters, "tab": self.tab, "today": today(),
            "query_without_page": self.query_without(), "query_without_tab": self.query_without("tab"),
            "can_schedule": rules.has_perm("lesson_plans.schedule_activity", self.request.user),
        }


class ActivityCreateView(PersonPermissionMixin, StaffMixin, FormView):
    """Schedule an activity of a group she leads (the office: any group of its schools)."""

    permission_required = "lesson_plans.schedule_activity"
    template_name = "lesson_plans/activity_form.html"
    form_class = ActivityForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"groups": selectors.groups_run_by(self.request.user),
                                            "hosts": host_choices(self.request.user)}

    def get_initial(self):
        initial = {"date": today(), "kind": KINDS.RESEARCH}
        if self.staff is not None:
            initial["host"] = self.staff.pk
        return initial

    def form_valid(self, form):
        try:
            activity = activity_create(group=form.cleaned_data["group"], user=self.request.user,
                                       **form.activity_data())
        except (ValidationError, PermissionDenied) as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Activity scheduled."))
        return redirect("lesson_plans:activity-detail", activity.pk)


class ActivityObjectMixin(StaffMixin):
    @cached_property
    def object(self) -> GroupActivity:
        return get_object_or_404(selectors.activity_detail(self.request.user), pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.object


def check_context(request, activity, form=None) -> dict:
    checks = list(activity.checks.all())
    staff_id = scope_for(request.user).staff_id
    mine = next((c for c in checks if c.leader_id == staff_id), None)
    can_check = rules.has_perm("lesson_plans.check_activity", request.user, activity) and activity.has_record
    return {
        "activity": activity, "checks": checks, "can_check": can_check,
        "check_form": form or (ActivityCheckForm(initial={"comment": mine.comment if mine else ""})
                               if can_check else None),
    }


class ActivityDetailView(ActivityObjectMixin, PersonPermissionMixin, TemplateView):
    permission_required = "lesson_plans.see_activities"
    template_name = "lesson_plans/activity_detail.html"

    def get_context_data(self, **kwargs):
        activity = self.object
        return super().get_context_data(**kwargs) | check_context(self.request, activity) | {
            "attendees": list(activity.attendees.all()),
            "can_record": rules.has_perm("lesson_plans.record_activity", self.request.user, activity),
            "held": activity.date <= today(),
        }


class ActivityRecordView(ActivityObjectMixin, PersonPermissionMixin, FormView):
    """Change an activity, and after it: who came, the record and its file."""

    permission_required = "lesson_plans.record_activity"
    template_name = "lesson_plans/activity_form.html"
    form_class = ActivityRecordForm

    def get_form_kwargs(self):
        activity = self.object
        return super().get_form_kwargs() | {
            "hosts": host_choices(self.request.user),
            "candidates": selectors.attendance_candidates(activity),
            "has_file": bool(activity.file),
        }

    def get_initial(self):
        activity = self.object
        return {"date": activity.date, "topic": activity.topic, "kind": activity.kind, "place": activity.place,
                "host": activity.host_id, "minutes": activity.minutes,
                "attendees": [s.pk for s in activity.attendees.all()]}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"activity": self.object, "editing": True}

    def form_valid(self, form):
        try:
            activity_update(activity=self.object, user=self.request.user, **form.activity_data())
        except (ValidationError, PermissionDenied) as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Activity saved."))
        return redirect("lesson_plans:activity-detail", self.object.pk)


class ActivityCheckView(ActivityObjectMixin, PersonPermissionMixin, View):
    """A leader (or the office) has checked the record; with htmx the checks fragment comes back."""

    http_method_names = ["post"]
    permission_required = "lesson_plans.check_activity"

    def post(self, request, *args, **kwargs):
        activity = self.object
        form = ActivityCheckForm(request.POST)
        if form.is_valid():
            try:
                activity_check(activity=activity, comment=form.cleaned_data["comment"], user=request.user)
            except (ValidationError, PermissionDenied) as error:
                form_errors_from(form, error)
            else:
                if not request.htmx:
                    messages.success(request, _("Record checked."))
                    return redirect("lesson_plans:activity-detail", activity.pk)
                activity = selectors.activity_detail(request.user).get(pk=activity.pk)
                return partial_or_page(request, "lesson_plans/activity_detail.html", "checks",
                                       check_context(request, activity) | {"checked_now": True})
        if not request.htmx:
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect("lesson_plans:activity-detail", activity.pk)
        return partial_or_page(request, "lesson_plans/activity_detail.html", "checks",
                               check_context(request, activity, form))


class ActivityFileView(ActivityObjectMixin, PersonPermissionMixin, View):
    permission_required = "lesson_plans.see_activities"

    def get(self, request, *args, **kwargs):
        return file_response(self.object)


class LeaderAttendanceView(PersonPermissionMixin, TermMixin, TemplateView):
    """Each leader: the groups she joined and the activities she attended this term, against the policy."""

    permission_required = "lesson_plans.see_leader_attendance"
    template_name = "lesson_plans/leader_attendance.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = ListFilter(self.filter_data(), user=self.request.user, term=self.term, fields=("term", "school"))
        rows = []
        if self.term is not None:
            rows = selectors.leader_attendance(self.request.user, self.term, self.policy,
                                               school=filters.objects()["school"])
        return context | {"term": self.term, "filters": filters, "rows": rows, "policy": self.policy,
                          "short_count": sum(1 for r in rows if r.short)}
