"""The observation log's pages: log an observation on a phone, the observations of my lessons and by me, the
observed teacher's acknowledgement and reply, quotas, and reviews of observation notes.

Rows a person may not see are 404 (scoped querysets); what she may do with a row she sees is asked of
`observations/rules.py`. The person-bound permissions are asked with `rules.has_perm`, not `user.has_perm`,
which would wave a superuser through as an observer or a reviewer she is not."""

from __future__ import annotations

import datetime as dt
from functools import cached_property

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from inspections.selectors import policy_for
from school.mixins import RolePermissionMixin
from school.models import TeachingGroup
from school.permissions import restrict, scope_for, visible_staff
from school.selectors import current_term
from school.views import ScopedFilterView

from ..forms.log import (
    NotesReviewForm,
    ObservationFilter,
    ObservationForm,
    ObservationNotesForm,
    ObservationReplyForm,
    QuotaFilterForm,
)
from ..models import Observation
from ..rubric import rubric_for
from ..selectors import log as selectors
from ..services.log import (
    is_editable,
    notes_review_create,
    observation_acknowledge,
    observation_create,
    observation_reply,
    observation_update,
)


class PersonPermissionMixin(RolePermissionMixin):
    """Permissions asked of the rules themselves (see the module's docstring)."""

    def get_permission_object(self):
        return None

    def has_permission(self):
        if not self.request.user.is_authenticated:
            return False  # to the login page, before any lookup of the object
        obj = self.get_permission_object()
        return all(rules.has_perm(perm, self.request.user, obj) for perm in self.get_permission_required())


class ObserverMixin:
    @cached_property
    def observer(self):
        return scope_for(self.request.user).staff


# --- logging an observation ----------------------------------------------------------------------


class ObservationCreateView(PersonPermissionMixin, ObserverMixin, FormView):
    """Log an observation on a phone: pick the lesson (a tap in "lessons now", or date, period and class, which
    fill the teacher and subject from the timetable), score it, write the notes, submit."""

    permission_required = "observations.log_observation"
    template_name = "observations/observation_form.html"
    form_class = ObservationForm

    @cached_property
    def classes(self):
        return selectors.observable_classes(self.observer)

    @cached_property
    def periods(self):
        return selectors.periods_of(self.observer.school)

    def get(self, request, *args, **kwargs):
        if request.htmx:
            # The lesson fragment, as date, period or class change.
            return render(request, f"{self.template_name}#lesson", self.lesson_context(request.GET))
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {
            "rubric": rubric_for(self.observer.school),
            "classes": self.classes,
            "periods": self.periods,
        }

    def get_initial(self):
        today = timezone.localdate()
        initial = {
            "date": today,
            "discussed_on": today,
            "kind": selectors.default_kind(self.observer),
            "submission_key": ObservationForm.new_key(),
        }
        # A tap in "lessons now" opens the page with the lesson chosen.
        for name in ("date", "period", "school_class"):
            if value := self.request.GET.get(name):
                initial[name] = value
        return initial

    def lesson_context(self, data) -> dict:
        """The teacher and subject of the lesson chosen so far, or why there is none."""
        class_id, period, day = data.get("school_class"), data.get("period"), data.get("date")
        if not (class_id and period and day):
            return {"lesson": None, "lesson_problem": ""}
        day = parse_date(str(day)) if not isinstance(day, dt.date) else day
        school_class = None
        if str(class_id).isdigit():
            school_class = next((c for c in self.classes if c.pk == int(class_id)), None)
        if school_class is None or day is None or not str(period).isdigit():
            return {"lesson": None, "lesson_problem": _("Choose a date, a period and a class.")}
        if day > timezone.localdate():
            return {"lesson": None, "lesson_problem": _("You cannot log a lesson in the future.")}
        term = current_term(school_class.grade.school, day)
        lesson = selectors.lesson_at(school_class=school_class, date=day, period=int(period), term=term)
        if lesson is None:
            return {"lesson": None, "lesson_problem": _("No lesson of this class is on the timetable at that time.")}
        if lesson.teacher.pk == self.observer.pk:
            return {"lesson": lesson, "lesson_problem": _("This is your own lesson.")}
        return {"lesson": lesson, "lesson_problem": ""}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        data = form.data if form.is_bound else {k: form.initial.get(k) for k in ("date", "period", "school_class")}
        now_period, now_lessons = selectors.lessons_now(self.observer)
        context.update(self.lesson_context(data))
        context.update(now_period=now_period, now_lessons=now_lessons, today=timezone.localdate())
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            observation = observation_create(
                observer=self.observer,
                school_class=data["school_class"],
                date=data["date"],
                period=data["period"],
                submission_key=data["submission_key"],
                user=self.request.user,
                **form.notes_data(),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Observation of %(teacher)s's lesson logged.")
                         % {"teacher": observation.teacher.name})
        return redirect("observations:observation-detail", observation.pk)


class ObservationObjectMixin(ObserverMixin):
    """The observation of the URL among those the user may see (others: 404)."""

    @cached_property
    def object(self) -> Observation:
        return get_object_or_404(selectors.observation_detail(self.request.user), pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.object


class ObservationUpdateView(ObservationObjectMixin, PersonPermissionMixin, FormView):
    """Its writer corrects an observation within 24 hours, until the teacher acknowledges it."""

    permission_required = "observations.edit_observation"
    template_name = "observations/observation_form.html"
    form_class = ObservationNotesForm

    def get(self, request, *args, **kwargs):
        if not is_editable(self.object):
            return self.closed()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not is_editable(self.object):
            return self.closed()
        return super().post(request, *args, **kwargs)

    def closed(self):
        messages.error(self.request, _("This observation can no longer be edited: it was acknowledged or written "
                                       "more than 24 hours ago."))
        return redirect("observations:observation-detail", self.object.pk)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"rubric": rubric_for(self.object.school)}

    def get_initial(self):
        o = self.object
        initial = {
            "topic": o.topic, "kind": o.kind, "notes": o.notes, "strengths": o.strengths,
            "suggestions": o.suggestions, "discussed": o.discussed,
            "discussed_on": o.discussed_on or timezone.localdate(),
        }
        for score in o.scores.all():
            initial[ObservationNotesForm.score_name(score.item)] = score.score
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"observation": self.object, "editing": True}

    def form_valid(self, form):
        try:
            observation_update(observation=self.object, editor=self.observer, user=self.request.user,
                               **form.notes_data())
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Observation saved."))
        return redirect("observations:observation-detail", self.object.pk)


# --- reading, acknowledging, replying ------------------------------------------------------------


class ObservationListView(ScopedFilterView):
    """Observations of my lessons ("received"), by me ("written"), and, for group leaders and the school's
    leaders and office, all that they may see."""

    permission_required = "observations.see_observations"
    filterset_class = ObservationFilter
    template_name = "observations/observation_list.html"
    paginate_by = 30

    @cached_property
    def tabs(self) -> list[tuple[str, str]]:
        scope = scope_for(self.request.user)
        tabs = []
        if scope.staff is not None:
            tabs += [("received", _("Of my lessons")), ("written", _("Written by me"))]
        if scope.is_school_wide or scope.is_group_leader:
            tabs.append(("all", _("All I can see")))
        return tabs

    @cached_property
    def tab(self) -> str:
        names = [name for name, label in self.tabs]
        wanted = self.request.GET.get("tab")
        return wanted if wanted in names else (names[0] if names else "all")

    def get_queryset(self):
        return selectors.observation_list(self.request.user, tab=self.tab)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("tab", None)
        query.pop("page", None)
        context.update(tabs=self.tabs, tab=self.tab, query_without_tab=query.urlencode(),
                       staff_id=scope_for(self.request.user).staff_id)
        return context


# The change reasons the services store (language-neutral), as the history shows them.
REASONS = {
    "logged": pgettext_lazy("observation history", "logged"),
    "edited": pgettext_lazy("observation history", "edited"),
    "acknowledged": pgettext_lazy("observation history", "acknowledged"),
    "replied": pgettext_lazy("observation history", "replied"),
}


class ObservationDetailView(PersonPermissionMixin, ObserverMixin, DetailView):
    permission_required = "observations.see_observations"
    template_name = "observations/observation_detail.html"
    context_object_name = "observation"

    def get_queryset(self):
        return selectors.observation_detail(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        observation = self.object
        user = self.request.user
        history = observation.history.select_related("history_user", "history_user__staff").order_by(
            "-history_date", "-history_id"
        )
        context.update(
            can_edit=rules.has_perm("observations.edit_observation", user, observation) and is_editable(observation),
            is_teacher=rules.has_perm("observations.acknowledge_observation", user, observation),
            reply_form=ObservationReplyForm(initial={"reply": observation.reply}),
            history=[
                {
                    "date": record.history_date,
                    "who": getattr(getattr(record.history_user, "staff", None), "name", None)
                    or (record.history_user.get_username() if record.history_user else _("the system")),
                    "what": REASONS.get(record.history_change_reason or "", _("changed")),
                }
                for record in history
            ],
        )
        return context


class ObservationActionView(ObservationObjectMixin, PersonPermissionMixin, View):
    http_method_names = ["post"]
    permission_required = "observations.acknowledge_observation"

    def done(self):
        return redirect("observations:observation-detail", self.object.pk)


class ObservationAcknowledgeView(ObservationActionView):
    """The observed teacher has read it."""

    def post(self, request, *args, **kwargs):
        observation_acknowledge(observation=self.object, teacher=self.observer, user=request.user)
        messages.success(request, _("Acknowledged."))
        return self.done()


class ObservationReplyView(ObservationActionView):
    """The observed teacher answers the observer."""

    def post(self, request, *args, **kwargs):
        form = ObservationReplyForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Write a reply."))
            return self.done()
        try:
            observation_reply(observation=self.object, teacher=self.observer, text=form.cleaned_data["reply"],
                              user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self.done()
        messages.success(request, _("Reply sent."))
        return self.done()


# --- quotas -------------------------------------------------------------------------------------


class QuotaListView(PersonPermissionMixin, TemplateView):
    """Everyone's observation quota, count and who is behind: a group leader's group, the school's for the
    office and the principal."""

    permission_required = "observations.see_quotas"
    template_name = "observations/quota_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        groups = restrict(TeachingGroup.objects.select_related("school"), user, school="school", teacher="leader")
        form = QuotaFilterForm(self.request.GET or None, groups=groups)
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        today = timezone.localdate()
        table = selectors.quota_table(
            user, today, role=filters.get("role") or "", group=filters.get("group"),
            sort=filters.get("sort") or "behind",
        )
        query = self.request.GET.copy()
        query.pop("sort", None)
        context.update(
            filter_form=form,
            table=table,
            with_quota=sum(1 for p in table if p.rows),
            behind_count=sum(1 for p in table if p.behind),
            today=today,
            query_without_sort=query.urlencode(),
            sort=filters.get("sort") or "behind",
        )
        return context


# --- reviews of observation notes ---------------------------------------------------------------


class ReviewListView(PersonPermissionMixin, ObserverMixin, TemplateView):
    """The people whose notes she reviews, with the notes written since her last review and the reviews made
    this term against the policy's cadence."""

    permission_required = "observations.see_reviews"
    template_name = "observations/review_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        staff = self.observer
        rows, rules_, term = [], [], None
        if staff is not None:
            today = timezone.localdate()
            term = current_term(staff.school, today)
            policy = policy_for(staff.school)
            rules_ = selectors.review_rules_for(staff, policy)
            if term is not None:
                rows = selectors.review_rows_for(staff, term, today, policy=policy)
        context.update(rows=rows, review_rules=rules_, term=term, staff=staff)
        return context


class ReviewCreateView(PersonPermissionMixin, ObserverMixin, FormView):
    """Record a review of one person's observation notes: the notes reviewed (those since the last review
    ticked), a verdict and a comment."""

    permission_required = "observations.review_notes_of"
    template_name = "observations/review_form.html"
    form_class = NotesReviewForm

    @cached_property
    def reviewee(self):
        return get_object_or_404(visible_staff(self.request.user).select_related("school"), pk=self.kwargs["staff_pk"])

    def get_permission_object(self):
        return self.reviewee

    @cached_property
    def term(self):
        return current_term(self.observer.school)

    @cached_property
    def notes(self):
        if self.term is None:
            return Observation.objects.none(), []
        return selectors.reviewable_notes(self.observer, self.reviewee, self.term)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"notes": self.notes[0]}

    def get_initial(self):
        return {"observations": self.notes[1], "verdict": "good"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"reviewee": self.reviewee, "term": self.term}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            notes_review_create(reviewer=self.observer, reviewee=self.reviewee, verdict=data["verdict"],
                                comment=data["comment"], observations=data["observations"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Review of %(name)s's notes recorded.") % {"name": self.reviewee.name})
        return redirect(reverse("observations:review-list"))
