"""The evaluation pages of `make bench` (benchmarks/registry.py) and the term's results workbook."""

from __future__ import annotations

from benchmarks.registry import Operation, Page


def _results_export(demo, _):
    from feedback.exports import results_workbook
    from feedback.selectors.results import results_for
    from feedback.views.results import _rounds_of_term

    results_workbook(demo.term, results_for(demo.person("office").user, list(_rounds_of_term(demo.term))))


BENCHMARKS = [
    Page("teacher", "feedback:results"),
    Page("group_leader", "feedback:results"),
    Page("office", "feedback:round-list"),
    Page("office", "feedback:results"),
    Page("office", "feedback:questionnaire-list"),
    Page("office", "feedback:forum-list"),
    Page("principal", "feedback:results"),
    Operation("export", "evaluation: the term's results workbook", _results_export, repeat=5),
]
