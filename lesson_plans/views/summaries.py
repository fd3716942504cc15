"""Term summaries and yearly papers (V4.III): the office's and group leader's table of who has handed in (on time,
late, missing), a teacher handing hers in, reading one, its file, and the office closing the collection (late ones
fined 2 yuan a day where the policy has the rule)."""

from __future__ import annotations

from functools import cached_property

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from school.selectors import today

from ..files import file_response
from ..forms.lists import ListFilter
from ..forms.work import SummaryForm
from ..models import TermSummary
from ..selectors import summaries as selectors
from ..selectors.common import deadlines_for
from ..services.summaries import summaries_close, summary_submit
from .common import PersonPermissionMixin, StaffMixin, TermMixin, error_message, form_errors_from

K = TermSummary.Kind
STATES = [
    (selectors.ON_TIME, gettext_lazy("On time")),
    (selectors.LATE, gettext_lazy("Late")),
    (selectors.MISSING, gettext_lazy("Missing")),
    (selectors.NOT_DUE, gettext_lazy("Not yet due")),
]


class SummaryListView(PersonPermissionMixin, TermMixin, TemplateView):
    """Every teacher of the term's timetable the user sees, with her summary (or paper) and its state."""

    permission_required = "lesson_plans.see_summaries"
    template_name = "lesson_plans/summary_list.html"

    @cached_property
    def kind(self) -> str:
        return K.PAPER if self.request.GET.get("kind") == K.PAPER else K.SUMMARY

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = ListFilter(self.filter_data(), user=self.request.user, term=self.term,
                             fields=("term", "school", "group", "status"), statuses=STATES,
                             status_label=_("State"))
        rows, due, deadlines = [], None, None
        if self.term is not None:
            deadlines = deadlines_for(self.term, self.policy)
            due = selectors.due_date(self.kind, self.policy, deadlines)
        if due is not None:
            chosen = filters.objects()
            rows = selectors.summary_table(self.request.user, self.term, self.kind, due, today(),
                                           group=chosen["group"], school=chosen["school"], state=chosen["status"])
        kinds = [(k, K(k).label) for k in (K.SUMMARY, K.PAPER)
                 if self.term is not None and selectors.due_date(k, self.policy, deadlines) is not None]
        can_close = (self.term is not None and due is not None
                     and rules.has_perm("lesson_plans.manage_term", self.request.user, self.term))
        counts = [(state, label, sum(1 for r in rows if r.state == state)) for state, label in STATES]
        return context | {
            "term": self.term, "filters": filters, "rows": rows, "due": due, "kind": self.kind, "kinds": kinds,
            "deadlines": deadlines, "can_close": can_close, "past_due": due is not None and today() > due,
            "counts": counts, "states": dict(STATES), "query_without_kind": self.query_without("kind"),
        }


class SummarySubmitView(PersonPermissionMixin, TermMixin, FormView):
    """She hands in her term summary (or yearly paper): a file, text, or both; she may replace it later."""

    permission_required = "lesson_plans.submit_summary"
    template_name = "lesson_plans/summary_form.html"
    form_class = SummaryForm

    @cached_property
    def kind(self) -> str:
        if self.kwargs["kind"] not in K.values:
            raise Http404
        return self.kwargs["kind"]

    @cached_property
    def mine(self):
        if self.term is None:
            return None
        deadlines = deadlines_for(self.term, self.policy)
        rows = selectors.my_summaries(self.staff, self.term, self.policy, deadlines, today())
        return next((row for row in rows if row.kind == self.kind), None)

    def get_initial(self):
        summary = self.mine.summary if self.mine else None
        return {"text": summary.text if summary else ""}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"term": self.term, "mine": self.mine,
                                                     "label": K(self.kind).label}

    def form_valid(self, form):
        try:
            summary = summary_submit(teacher=self.staff, kind=self.kind, text=form.cleaned_data.get("text") or "",
                                     upload=form.cleaned_data.get("file") or None, user=self.request.user,
                                     term=self.term)
        except (ValidationError, PermissionDenied) as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        if summary.days_late:
            messages.warning(self.request, _("Handed in, %(days)s days after the deadline.") % {
                "days": summary.days_late})
        else:
            messages.success(self.request, _("Handed in on time."))
        return redirect("lesson_plans:summary-detail", summary.pk)


class SummaryObjectMixin(StaffMixin):
    @cached_property
    def object(self) -> TermSummary:
        queryset = selectors.summaries_visible_to(self.request.user).select_related("teacher", "term", "school")
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.object


class SummaryDetailView(SummaryObjectMixin, PersonPermissionMixin, TemplateView):
    permission_required = "lesson_plans.see_my_work"
    template_name = "lesson_plans/summary_detail.html"

    def get_context_data(self, **kwargs):
        summary = self.object
        return super().get_context_data(**kwargs) | {
            "summary": summary, "is_mine": self.staff is not None and self.staff.pk == summary.teacher_id,
            "history": summary.history.select_related("history_user__staff").order_by("-history_date")[:10],
        }


class SummaryFileView(SummaryObjectMixin, PersonPermissionMixin, View):
    permission_required = "lesson_plans.see_my_work"

    def get(self, request, *args, **kwargs):
        return file_response(self.object)


class SummaryCloseView(PersonPermissionMixin, TermMixin, View):
    """The office closes the collection after the deadline: each missing one is late from the deadline to today."""

    http_method_names = ["post"]
    permission_required = "lesson_plans.manage_term"

    def get_permission_object(self):
        if self.term is None:
            raise Http404
        return self.term

    def post(self, request, *args, **kwargs):
        try:
            missing = summaries_close(term=self.term, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            error_message(request, error)
        else:
            messages.success(request, _("Collection closed: %(count)s not handed in.") % {"count": len(missing)})
        return redirect(f"{reverse('lesson_plans:summary-list')}?term={self.term.pk}")
