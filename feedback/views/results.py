"""Results (issue 7.6): a term's closed rounds with the groups a person may see, a round's full results, and the
term's archive as a workbook. A teacher reads her own, a group leader her group's, leaders everyone's."""

from __future__ import annotations

from functools import cached_property

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView, View

from school.excel import xlsx_response
from school.selectors import today

from .. import exports
from ..models import MIN_RESPONSES, Round
from ..selectors.forums import opinions_of
from ..selectors.results import closed_rounds, results_for
from ..services.responses import round_seal
from .common import LoginFirstMixin, TermPageMixin


def _rounds_of_term(term):
    if term is None:
        return Round.objects.none()
    return closed_rounds(Round.objects.filter(term=term), today()).select_related(
        "term", "term__school_year", "questionnaire", "school").order_by("-closes_on", "-pk")


def _seal_due(rounds) -> None:
    for round_ in rounds:
        if not round_.sealed:
            round_seal(round_=round_)


class ResultsView(TermPageMixin, LoginFirstMixin, TemplateView):
    """The term's closed rounds: for each, the groups (teacher and class) she may see with their response count
    and overall average, or that they are withheld; her forum opinions below."""

    permission_required = "feedback.see_results"
    template_name = "feedback/results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rounds = list(_rounds_of_term(self.term))
        _seal_due(rounds)
        staff = self.scope.staff
        context.update(
            results=results_for(self.request.user, rounds),
            min_responses=MIN_RESPONSES,
            my_opinions=list(opinions_of(staff, self.request.user, self.term)) if staff is not None else [],
            staff=staff,
        )
        return context


class RoundResultsView(LoginFirstMixin, TemplateView):
    """One closed round: every group she may see, item by item, with the comments the office let through."""

    permission_required = "feedback.see_results"
    template_name = "feedback/round_results.html"

    @cached_property
    def round(self):
        round_ = get_object_or_404(Round.objects.select_related("term", "term__school_year", "questionnaire",
                                                                "school"), pk=self.kwargs["pk"])
        if not round_.is_closed(today()):
            raise Http404
        return round_

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        _seal_due([self.round])
        found = results_for(self.request.user, [self.round])
        if not found:
            raise Http404
        context.update(result=found[0], round=self.round, min_responses=MIN_RESPONSES)
        return context


class ResultsExportView(TermPageMixin, LoginFirstMixin, View):
    """The term's results as she may see them, as a workbook: the archive of the term."""

    permission_required = "feedback.see_results"

    def get(self, request, *args, **kwargs):
        if self.term is None:
            raise Http404
        rounds = list(_rounds_of_term(self.term))
        _seal_due(rounds)
        content = exports.results_workbook(self.term, results_for(request.user, rounds))
        return xlsx_response(content, ascii_name=f"evaluation-{self.term.pk}.xlsx",
                             name=exports.workbook_name(self.term))
