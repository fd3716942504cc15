"""The inspection rounds' pages: every member of staff reads the term's rounds and their published summaries
(通报); the office, the principal and group leaders see progress and who is late; the office opens spot checks and
special inspections and publishes summaries; each checker works through her own list of checks."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from school.permissions import manages_school
from school.selectors import today

from ..forms.rounds import RoundOpenForm, RoundPublishForm
from ..models import BY_HAND_KINDS, CALENDAR_KINDS, Assignment, InspectionRound, RoundRule
from ..selectors import rounds as selectors
from ..services.rounds import assignment_mark_done, round_open_by_hand, round_publish
from .common import StaffPageMixin, TermMixin, show_errors


class RoundListView(TermMixin, StaffPageMixin, TemplateView):
    """The term's rounds, newest first, with their progress (for those who follow it) and their summaries."""

    template_name = "inspections/round_list.html"

    def get_context_data(self, **kwargs):
        day = today()
        kind = self.request.GET.get("kind", "")
        if kind not in RoundRule.Kind.values:
            kind = ""
        rounds = list(selectors.round_list(self.request.user, term=self.term, today=day, kind=kind)) \
            if self.term is not None else []
        return super().get_context_data(**kwargs) | {
            "rounds": rounds,
            "term": self.term,
            "terms": self.terms,
            "kind": kind,
            "kinds": [(k.value, k.label) for k in (*CALENDAR_KINDS, *BY_HAND_KINDS)],
            "today": day,
            "sees_progress": self.scope.is_school_wide or self.scope.is_group_leader,
            "can_open": self.root is not None and manages_school(self.request.user, self.root),
        }


class RoundMixin(StaffPageMixin):
    def get_round(self) -> InspectionRound:
        if not hasattr(self, "_round"):
            self._round = get_object_or_404(selectors.rounds_visible_to(self.request.user), pk=self.kwargs["pk"])
        return self._round


class RoundDetailView(RoundMixin, TemplateView):
    """A round: its window, checklist and scope; its summary once published; progress by item and by checker
    and the late checks (the office and the principal: all; a group leader: her group's; everyone: her own)."""

    template_name = "inspections/round_detail.html"

    def get_context_data(self, **kwargs):
        round = self.get_round()
        day = today()
        assignments = selectors.assignments_visible_to(self.request.user, round)
        user = self.request.user
        can_manage = manages_school(user, round.school)
        context = super().get_context_data(**kwargs) | {
            "round": round,
            "today": day,
            "totals": selectors.round_totals(assignments, day),
            "by_item": selectors.progress_by_item(round, assignments, day),
            "by_checker": selectors.progress_by_checker(assignments, day),
            "can_publish": can_manage,
            "mine": list(selectors.assignments_of_checker(self.staff, include_closed=True).filter(round=round))
            if self.staff is not None else [],
        }
        if can_manage:
            context.setdefault("publish_form", RoundPublishForm(initial={"summary": round.summary}))
        return context


class RoundPublishView(RoundMixin, FormView):
    """The office publishes (or corrects) the round's summary; staff are told the first time."""

    form_class = RoundPublishForm
    template_name = "inspections/round_detail.html"
    http_method_names = ["post"]

    def allowed(self):
        return super().allowed() and self.scope.is_manager

    def form_valid(self, form):
        round = self.get_round()
        if not manages_school(self.request.user, round.school):
            raise PermissionDenied
        first = not round.is_published
        try:
            round_publish(round=round, summary=form.cleaned_data["summary"], user=self.request.user)
        except ValidationError as error:
            show_errors(self.request, error)
        else:
            messages.success(self.request, _("The summary is published to all staff.") if first
                             else _("The summary was corrected."))
        return redirect("inspections:round-detail", pk=round.pk)

    def form_invalid(self, form):
        round = self.get_round()
        if not manages_school(self.request.user, round.school):
            raise PermissionDenied
        messages.error(self.request, _("Nothing was published: correct the form below."))
        view = RoundDetailView(request=self.request, kwargs=self.kwargs)
        view._round = round
        return self.response_class(request=self.request, template=self.template_name,
                                   context=view.get_context_data(publish_form=form))


class RoundOpenView(StaffPageMixin, FormView):
    """The office opens a spot check (V3.5) or a special inspection of a grade or subject (V3.7)."""

    form_class = RoundOpenForm
    template_name = "inspections/round_form.html"

    def allowed(self):
        return self.root is not None and manages_school(self.request.user, self.root)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"school": self.root}

    def get_initial(self):
        day = today()
        return {"opens_on": day, "due_on": day + dt.timedelta(days=7),
                "checker": RoundRule.Checker.OFFICE}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            round = round_open_by_hand(
                school=self.root, kind=data["kind"], title=data["title"], checklist=data["checklist"],
                checker=data["checker"], opens_on=data["opens_on"], due_on=data["due_on"], grade=data["grade"],
                subject=data["subject"], user=self.request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, _("The round is open: %(round)s.") % {"round": round.name})
        return redirect("inspections:round-detail", pk=round.pk)


class AssignmentListView(StaffPageMixin, TemplateView):
    """My checks: the open rounds' checks that are mine, by round and teacher, with what is done and what is
    late; a check no installed app records is marked done here."""

    template_name = "inspections/assignment_list.html"

    def get_context_data(self, **kwargs):
        show_closed = self.request.GET.get("all") == "1"
        assignments = selectors.assignments_of_checker(self.staff, include_closed=show_closed) \
            if self.staff is not None else Assignment.objects.none()
        from .. import evidence

        return super().get_context_data(**kwargs) | {
            "rounds": selectors.group_by_round(assignments),
            "today": today(),
            "recorded_items": evidence.items_with_evidence(),
            "show_closed": show_closed,
        }


class AssignmentDoneView(StaffPageMixin, View):
    """The checker marks a paper check done (POST)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        if self.staff is None:
            raise Http404
        assignment = get_object_or_404(Assignment.objects.filter(checker=self.staff), pk=pk)
        try:
            assignment_mark_done(assignment=assignment, checker=self.staff)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("Marked done."))
        return redirect(reverse("inspections:assignment-list"))
